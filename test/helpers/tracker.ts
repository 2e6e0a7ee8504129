/**
 * A minimal BitTorrent HTTP tracker (BEP 3, compact peers per BEP 23) on 127.0.0.1, for
 * interop tests: independent clients announce to it and learn the peers it was told of.
 * It answers every info hash with the same peers.
 */
import http from 'node:http';
import type net from 'node:net';

export interface Tracker {
  readonly url: string;
  /** How many announces it answered. */
  announces(): number;
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

export async function startTracker(peers: readonly { host: string; port: number }[]): Promise<Tracker> {
  let count = 0;
  const server = http.createServer((request, response) => {
    if (!(request.url ?? '').startsWith('/announce')) {
      response.writeHead(404).end();
      return;
    }
    count++;
    const list = compactPeers(peers);
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end(Buffer.concat([Buffer.from(`d8:intervali30e5:peers${list.length}:`), list, Buffer.from('e')]));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/announce`,
    announces: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
