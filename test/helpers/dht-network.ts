/**
 * A private DHT of libtorrent sessions on 127.0.0.1: node 0 starts alone, every other
 * node bootstraps from it. Nothing leaves the machine (no public bootstrap nodes, no
 * LSD, no port mapping).
 */
import { TorrentSession, type SessionOptions } from '../../src/net/session.js';
import { LOOPBACK } from './loopback.js';

export interface DhtNetwork {
  readonly nodes: readonly TorrentSession[];
  close(): Promise<void>;
}

function waitListening(session: TorrentSession, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    if (session.listenPort !== 0) {
      resolve();
      return;
    }
    const timer = setTimeout(() => {
      reject(new Error('the session did not start listening'));
    }, timeoutMs);
    const onAlert = (): void => {
      if (session.listenPort !== 0) {
        clearTimeout(timer);
        session.off('alert', onAlert);
        resolve();
      }
    };
    session.on('alert', onAlert);
  });
}

export async function startDhtNetwork(size: number, extra: SessionOptions = {}): Promise<DhtNetwork> {
  const base: SessionOptions = { ...LOOPBACK, dht: true, ...extra };
  const first = new TorrentSession(base);
  await waitListening(first, 10_000);
  const nodes = [first];
  for (let i = 1; i < size; i++) nodes.push(new TorrentSession({ ...base, dhtBootstrap: [{ host: '127.0.0.1', port: first.listenPort }] }));
  await Promise.all(nodes.map((node) => waitListening(node, 10_000)));
  // Every node introduces itself to node 0, and node 0 learns everyone: a connected network.
  for (const node of nodes.slice(1)) first.addDhtNode({ host: '127.0.0.1', port: node.listenPort });
  return {
    nodes,
    close: async () => {
      await Promise.all(nodes.map((node) => node.close()));
    },
  };
}
