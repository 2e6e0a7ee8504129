/**
 * A private DHT of libtorrent sessions on 127.0.0.1. Nothing leaves the machine (no public
 * bootstrap nodes, no LSD, no port mapping).
 *
 * Every node is introduced to every other one, and the network is handed over only once
 * each node's routing table holds its neighbours: libtorrent keeps a bootstrap node out of
 * routing tables (it is a "router"), and answers lookups only with nodes that have
 * answered it. Nodes that merely bootstrapped from node 0 at the same moment knew almost
 * nobody, so lookups of a node joining later ended after one hop, empty-handed, while the
 * record sat on nodes nobody pointed to (the publish benchmark failed 2 runs in 3 so).
 */
import { decodeBencode, type BencodeDict, type BencodeValue } from '../../src/core/bencode.js';
import { TorrentSession, type SessionOptions } from '../../src/net/session.js';
import { LOOPBACK } from './loopback.js';

export interface DhtNetwork {
  readonly nodes: readonly TorrentSession[];
  close(): Promise<void>;
}

/** Kademlia's bucket size in libtorrent: a node answers with at most this many neighbours. */
const BUCKET = 8;

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

/** How many nodes the session's DHT routing table holds (from its saved state). */
export function routingTableSize(session: TorrentSession): number {
  const state = decodeBencode(session.saveState(), { maxBytes: 1 << 20 });
  if (!state.ok || !(state.value instanceof Map)) return 0;
  const dht = (state.value as BencodeDict).get('dht state');
  if (!(dht instanceof Map)) return 0;
  const nodes = (dht as BencodeDict).get('nodes');
  if (nodes instanceof Uint8Array) return Math.floor(nodes.length / 6);
  if (!Array.isArray(nodes)) return 0;
  return (nodes as readonly BencodeValue[]).reduce<number>((sum, entry) => sum + (entry instanceof Uint8Array ? Math.floor(entry.length / 6) : 0), 0);
}

export async function startDhtNetwork(size: number, extra: SessionOptions = {}): Promise<DhtNetwork> {
  const base: SessionOptions = { ...LOOPBACK, dht: true, ...extra };
  const first = new TorrentSession(base);
  await waitListening(first, 10_000);
  const nodes = [first];
  for (let i = 1; i < size; i++) nodes.push(new TorrentSession({ ...base, dhtBootstrap: [{ host: '127.0.0.1', port: first.listenPort }] }));
  await Promise.all(nodes.map((node) => waitListening(node, 10_000)));
  for (const node of nodes) {
    for (const other of nodes) if (other !== node) node.addDhtNode({ host: '127.0.0.1', port: other.listenPort });
  }
  // Each node pinged the others; wait until the answers are in the routing tables (node 0,
  // everyone's bootstrap router, stays out of theirs).
  const wanted = (index: number): number => Math.min(index === 0 ? size - 1 : size - 2, BUCKET);
  const deadline = Date.now() + 10_000;
  while (nodes.some((node, index) => routingTableSize(node) < wanted(index))) {
    if (Date.now() > deadline) {
      const sizes = nodes.map(routingTableSize).join(', ');
      await Promise.all(nodes.map((node) => node.close()));
      throw new Error(`the private DHT did not connect: routing tables hold ${sizes} nodes`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    nodes,
    close: async () => {
      await Promise.all(nodes.map((node) => node.close()));
    },
  };
}
