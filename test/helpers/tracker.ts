/**
 * A minimal BitTorrent HTTP tracker (BEP 3, compact peers per BEP 23) on 127.0.0.1, for
 * interop tests: independent clients announce to it and learn the peers it was told of.
 * It answers every info hash with the same peers. Given a key and certificate, it is an
 * HTTPS tracker, and counts the TLS handshakes it refused (a client that did not trust it).
 */
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';

export interface Tracker {
  readonly url: string;
  /** How many announces it answered. */
  announces(): number;
  /** How many TLS handshakes failed (an HTTPS tracker only; 0 for HTTP). */
  handshakeErrors(): number;
  close(): Promise<void>;
}

function compactPeers(peers: readonly { host: string; port: number }[]): Buffer {
  return Buffer.concat(
    peers.map((peer) => {
      const out = Buffer.alloc(6);
      peer.host.split('.').forEach((octet, i) => out.writeUInt8(Number(octet), i));
      out.writeUInt16BE(peer.port, 4);
      return out;
    }),
  );
}

export async function startTracker(peers: readonly { host: string; port: number }[], tls?: { key: string; cert: string }): Promise<Tracker> {
  let count = 0;
  let handshakeErrors = 0;
  const handle: http.RequestListener = (request, response) => {
    if (!(request.url ?? '').startsWith('/announce')) {
      response.writeHead(404).end();
      return;
    }
    count++;
    const list = compactPeers(peers);
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end(Buffer.concat([Buffer.from(`d8:intervali30e5:peers${list.length}:`), list, Buffer.from('e')]));
  };
  const server = tls === undefined ? http.createServer(handle) : https.createServer(tls, handle);
  server.on('tlsClientError', () => {
    handshakeErrors++;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}/announce`,
    announces: () => count,
    handshakeErrors: () => handshakeErrors,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
