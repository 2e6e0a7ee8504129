/**
 * From publish on A to the new version downloaded and verified on B, when B relies on the
 * DHT only (issue #7): two nodes (SiteNode, each with its own store) on a private DHT of
 * libtorrent nodes on 127.0.0.1. A publishes a changed folder; as soon as A's publish has
 * returned, B resolves the site and downloads the version. Reported: A's publish (folder →
 * version → record in the DHT), B's resolve + download, and the sum. A follower that polls
 * adds on average half its polling interval (5 minutes by default; the best-known BEP 46
 * browser polls every 30 minutes) — the delay the LAN push of issue #8 removes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { bytesEqual } from '../../src/core/bytes.js';
import { SiteNode } from '../../src/net/node/site-node.js';
import { Store } from '../../src/store/store.js';
import { startDhtNetwork } from '../helpers/dht-network.js';
import { LOOPBACK } from '../helpers/loopback.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';
import type { Figure } from './report.js';

export async function benchPublish(options: { smoke: boolean }): Promise<Figure[]> {
  const sizes = options.smoke ? { nodes: 10, versions: 1 } : { nodes: 20, versions: 8 };
  const dir = makeTempDir('swarmpress-bench-publish-');
  const network = await startDhtNetwork(sizes.nodes);
  const bootstrap = [{ host: '127.0.0.1', port: network.nodes[0]?.listenPort ?? 0 }];
  const node = (name: string): SiteNode =>
    SiteNode.start({ store: Store.open({ dataDir: path.join(dir, name) }), session: { ...LOOPBACK, dht: true, dhtBootstrap: bootstrap } });
  const a = node('A');
  const b = node('B');
  try {
    const folder = path.join(dir, 'site');
    fs.mkdirSync(path.join(folder, 'posts'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'index.md'), '# Bench site\n\nA page.\n');
    for (let i = 0; i < 20; i++) fs.writeFileSync(path.join(folder, 'posts', `post-${i}.md`), `# Post ${i}\n\n${'Words. '.repeat(200)}\n`);
    // Both nodes have been running for a while, as nodes do: their routing tables are filled.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const first = await a.publish(folder);
    await b.fetch((await b.resolveSite(first.key)).infohash, { timeoutMs: 60_000 });
    const publishMs: number[] = [];
    const fetchMs: number[] = [];
    const totalMs: number[] = [];
    for (let version = 1; version <= sizes.versions; version++) {
      fs.writeFileSync(path.join(folder, 'posts', `new-${version}.md`), `# New ${version}\n\nFresh.\n`);
      const start = performance.now();
      const published = await a.publish(folder);
      const publishedAt = performance.now();
      const resolved = await b.resolveSite(published.key);
      if (!bytesEqual(resolved.infohash, published.infohash)) throw new Error(`B resolved another version than A published (seq ${String(resolved.seq)} vs ${published.seq})`);
      await b.fetch(resolved.infohash, { timeoutMs: 60_000, expectAuthor: published.key });
      const done = performance.now();
      publishMs.push(publishedAt - start);
      fetchMs.push(done - publishedAt);
      totalMs.push(done - start);
    }
    const where = `${sizes.nodes}-node local DHT, ${sizes.versions} versions of a 21-page site`;
    return [
      { id: 'publish-to-reader', title: `DHT only: publish on A → new version verified and stored on B (${where})`, subject: { label: 'swarmpress', unit: 'ms', values: totalMs } },
      { id: 'publish-on-author', title: 'of which: A publishes (folder → signed version → torrent → records put)', subject: { label: 'swarmpress', unit: 'ms', values: publishMs } },
      { id: 'resolve-and-fetch', title: 'of which: B resolves the record and downloads + verifies the version', subject: { label: 'swarmpress', unit: 'ms', values: fetchMs } },
    ];
  } finally {
    for (const n of [a, b]) {
      await n.close();
      n.store.close();
    }
    await network.close();
    removeDir(dir);
  }
}
