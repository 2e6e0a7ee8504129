/**
 * HTTPS trackers: libtorrent checks a tracker's certificate against the certificate
 * authorities OpenSSL is pointed at (settings_pack::validate_https_trackers, on by default).
 * A tracker whose certificate a known authority signed is announced to; one whose
 * authority is unknown is refused at the TLS handshake, and never learns of the torrent.
 *
 * The authorities are made here with the openssl tool. SSL_CERT_DIR points this process's
 * sessions at a hashed directory (`openssl rehash`) holding only the trusted one, as it
 * points OpenSSL at the system's (/etc/ssl/certs on Debian); SSL_CERT_FILE is unset, as on
 * a desktop.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type net from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { TorrentSession } from '../../src/net/session.js';
import { LOOPBACK } from '../helpers/loopback.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';

let dir: string;
const trustedDir = (): string => path.join(dir, 'trusted-cas');

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

/** A certificate authority `name` (name.key, name.pem in `dir`). */
function makeAuthority(name: string): void {
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', `/CN=swarmpress test ${name}`, '-keyout', `${name}.key`, '-out', `${name}.pem`);
}

/** A certificate for 127.0.0.1 signed by authority `ca`: [key, certificate] in PEM. */
function makeServerCertificate(name: string, ca: string): [string, string] {
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', `${name}.key`, '-out', `${name}.csr`);
  fs.writeFileSync(path.join(dir, `${name}.ext`), 'subjectAltName = IP:127.0.0.1\n');
  openssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.pem`);
  return [fs.readFileSync(path.join(dir, `${name}.key`), 'utf8'), fs.readFileSync(path.join(dir, `${name}.pem`), 'utf8')];
}

interface HttpsTracker {
  readonly url: string;
  announces(): number;
  handshakeErrors(): number;
  close(): Promise<void>;
}

/** An HTTPS tracker on 127.0.0.1 that answers every announce with no peers. */
async function startHttpsTracker(key: string, cert: string): Promise<HttpsTracker> {
  let announces = 0;
  let errors = 0;
  const server = https.createServer({ key, cert }, (request, response) => {
    if (!(request.url ?? '').startsWith('/announce')) {
      response.writeHead(404).end();
      return;
    }
    announces++;
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end('d8:intervali30e5:peers0:e');
  });
  server.on('tlsClientError', () => {
    errors++;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `https://127.0.0.1:${port}/announce`,
    announces: () => announces,
    handshakeErrors: () => errors,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

async function until(what: string, done: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Adds a magnet that names only `tracker` to a fresh session, and runs `check` while it announces. */
async function announceTo(tracker: HttpsTracker, infoHash: string, check: () => Promise<void>): Promise<void> {
  const session = new TorrentSession(LOOPBACK);
  try {
    session.addTorrent({ magnet: `magnet:?xt=urn:btih:${infoHash}&tr=${encodeURIComponent(tracker.url)}`, savePath: path.join(dir, infoHash) });
    await check();
  } finally {
    await session.close();
  }
}

before(() => {
  dir = makeTempDir();
  makeAuthority('trusted-ca');
  makeAuthority('stranger-ca');
  fs.mkdirSync(trustedDir());
  fs.copyFileSync(path.join(dir, 'trusted-ca.pem'), path.join(trustedDir(), 'trusted-ca.pem'));
  openssl('rehash', trustedDir());
  // Read by OpenSSL (and ca_store.cpp) when a session starts.
  delete process.env['SSL_CERT_FILE'];
  process.env['SSL_CERT_DIR'] = trustedDir();
});

after(() => {
  removeDir(dir);
});

test('a tracker whose certificate a CA of the directory signed is announced to over HTTPS', async () => {
  const [key, cert] = makeServerCertificate('trusted-server', 'trusted-ca');
  const tracker = await startHttpsTracker(key, cert);
  try {
    await announceTo(tracker, '1'.repeat(40), async () => {
      await until('an announce', () => tracker.announces() >= 1, 20_000);
    });
    assert.equal(tracker.handshakeErrors(), 0);
  } finally {
    await tracker.close();
  }
});

test('a tracker whose CA is not in the directory is refused at the handshake, never announced to', async () => {
  const [key, cert] = makeServerCertificate('stranger-server', 'stranger-ca');
  const tracker = await startHttpsTracker(key, cert);
  try {
    await announceTo(tracker, '2'.repeat(40), async () => {
      await until('a refused handshake', () => tracker.handshakeErrors() >= 1, 20_000);
    });
    assert.equal(tracker.announces(), 0);
  } finally {
    await tracker.close();
  }
});
