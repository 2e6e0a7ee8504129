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
import path from 'node:path';
import { after, before, test } from 'node:test';
import { TorrentSession } from '../../src/net/session.js';
import { LOOPBACK } from '../helpers/loopback.js';
import { startTracker, type Tracker } from '../helpers/tracker.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';
import { until } from '../helpers/until.js';

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

/**
 * Serves announces over HTTPS with a certificate for 127.0.0.1 that authority `ca` signed,
 * and has a fresh session announce a magnet that names only that tracker, until `settled`.
 */
async function announceOverHttps(ca: string, infoHash: string, settled: (tracker: Tracker) => boolean): Promise<Tracker> {
  const [key, cert] = makeServerCertificate(`server-of-${ca}`, ca);
  const tracker = await startTracker([], { key, cert });
  const session = new TorrentSession(LOOPBACK);
  try {
    session.addTorrent({ magnet: `magnet:?xt=urn:btih:${infoHash}&tr=${encodeURIComponent(tracker.url)}`, savePath: path.join(dir, infoHash) });
    await until(() => settled(tracker), `the announce to a tracker of ${ca} to settle`, 20_000);
    return tracker;
  } finally {
    await Promise.all([session.close(), tracker.close()]);
  }
}

before(() => {
  dir = makeTempDir();
  makeAuthority('trusted-ca');
  makeAuthority('stranger-ca');
  fs.mkdirSync(trustedDir());
  fs.copyFileSync(path.join(dir, 'trusted-ca.pem'), path.join(trustedDir(), 'trusted-ca.pem'));
  openssl('rehash', trustedDir());
  // Read by OpenSSL when a session starts.
  delete process.env['SSL_CERT_FILE'];
  process.env['SSL_CERT_DIR'] = trustedDir();
});

after(() => {
  removeDir(dir);
});

test('a tracker whose certificate a CA of the directory signed is announced to over HTTPS', async () => {
  const tracker = await announceOverHttps('trusted-ca', '1'.repeat(40), (t) => t.announces() >= 1);
  assert.equal(tracker.handshakeErrors(), 0);
});

test('a tracker whose CA is not in the directory is refused at the handshake, never announced to', async () => {
  const tracker = await announceOverHttps('stranger-ca', '2'.repeat(40), (t) => t.handshakeErrors() >= 1);
  assert.equal(tracker.announces(), 0);
});
