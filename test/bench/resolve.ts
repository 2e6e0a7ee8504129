/**
 * Resolving a site's newest record on a local DHT (issues #7 and #10; target p50 ≤ 200 ms):
 * a private DHT of libtorrent nodes on 127.0.0.1 holds a site whose author published a few
 * versions from one node; swarmpress resolves it with `SiteRecords.lookup` on another node
 * (settling shortly after the first valid record, every response checked by core), and bittorrent-dht
 * — joined to the same network behind the test suite's filter — with its own `get`. Both
 * lookups run alternately, one after the other, after one warm-up each; each must find the
 * newest version, or the benchmark fails.
 */
import { encodeSitePointer } from '../../src/core/bep46.js';
import { Identity } from '../../src/core/identity.js';
import { SiteRecords } from '../../src/net/site-records.js';
import { startBtDhtNode } from '../helpers/bittorrent-dht.js';
import { startDhtNetwork } from '../helpers/dht-network.js';
import type { Figure } from './report.js';
import { percentile } from './stats.js';

interface Sizes {
  readonly nodes: number;
  readonly lookups: number;
}

const FULL: Sizes = { nodes: 20, lookups: 30 };
const SMOKE: Sizes = { nodes: 10, lookups: 2 };
const VERSIONS = 3;

/** Runs the benchmark; `smoke` uses a smaller network and two lookups (the figures then mean nothing). */
export async function benchResolve(options: { smoke: boolean }): Promise<Figure[]> {
  const sizes = options.smoke ? SMOKE : FULL;
  const network = await startDhtNetwork(sizes.nodes);
  try {
    const bt = await startBtDhtNode(network.nodes.slice(0, 3).map((node) => ({ host: '127.0.0.1', port: node.listenPort })));
    try {
      const [, publisherSession] = network.nodes;
      const readerSession = network.nodes.at(-1);
      if (publisherSession === undefined || readerSession === undefined) throw new Error('the network is too small');
      const site = Identity.fromSeed(new Uint8Array(32).fill(0x5e));
      const publisher = new SiteRecords({ session: publisherSession });
      let newest = -1n;
      for (let version = 0; version < VERSIONS; version++) {
        const infohash = new Uint8Array(20).fill(version + 1);
        newest = (await publisher.publish(site, encodeSitePointer(infohash))).record.seq;
      }
      const reader = new SiteRecords({ session: readerSession });

      const swarmpress = async (): Promise<number> => {
        const start = performance.now();
        const found = await reader.lookup(site.publicKey);
        const ms = performance.now() - start;
        if (found.head?.record.seq !== newest) throw new Error(`swarmpress resolved seq ${String(found.head?.record.seq)}, not ${newest}`);
        return ms;
      };
      const bittorrentDht = async (): Promise<number> => {
        const { record, ms } = await bt.timedGetMutable(site.publicKey);
        if (record?.seq !== newest) throw new Error(`bittorrent-dht resolved seq ${String(record?.seq)}, not ${newest}`);
        return ms;
      };
      await swarmpress();
      await bittorrentDht();
      const ours: number[] = [];
      const theirs: number[] = [];
      for (let i = 0; i < sizes.lookups; i++) {
        // Alternate who goes first, so that neither always runs right after the other.
        if (i % 2 === 0) {
          ours.push(await swarmpress());
          theirs.push(await bittorrentDht());
        } else {
          theirs.push(await bittorrentDht());
          ours.push(await swarmpress());
        }
      }
      const filter = bt.filter;
      if (filter.droppedTotal > 0) throw new Error(`the filter dropped honest datagrams: ${JSON.stringify([...filter.dropped])}`);
      if (filter.blockedSends > 0) throw new Error(`bittorrent-dht tried to send beyond loopback ${filter.blockedSends} times`);

      const where = `a site's newest record on a local ${sizes.nodes}-node DHT`;
      return [
        {
          id: 'resolve-p50',
          title: `DHT: resolve ${where}, p50 of ${sizes.lookups} lookups (SiteRecords.lookup on a node that did not publish)`,
          subject: { label: 'swarmpress', unit: 'ms', values: ours },
          reference: { label: 'bittorrent-dht get', unit: 'ms', values: theirs },
          target: '≤ 200 ms',
        },
        {
          id: 'resolve-p95',
          title: `DHT: resolve ${where}, p95 of the same ${sizes.lookups} lookups`,
          subject: { label: 'swarmpress', unit: 'ms', values: [percentile(ours, 95)] },
          reference: { label: 'bittorrent-dht get', unit: 'ms', values: [percentile(theirs, 95)] },
        },
      ];
    } finally {
      await bt.close();
    }
  } finally {
    await network.close();
  }
}
