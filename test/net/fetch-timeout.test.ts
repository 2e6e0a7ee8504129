/**
 * A fetch that times out leaves nothing in content/ (issue #25 item 6: 21 MB of partial
 * data stayed there, outside the index and the cache budget). Two real nodes on loopback;
 * the author's copy of the last megabyte is damaged after publishing, so the reader gets
 * the rest (its pieces pass their hash checks) and waits for that part until the deadline.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { SiteNode } from '../../src/net/site-node.js';
import { contentFolder } from '../../src/store/rebuild.js';
import { Store } from '../../src/store/store.js';
import { LOOPBACK } from '../helpers/loopback.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';

let dir: string;
const nodes: SiteNode[] = [];
before(() => {
  dir = makeTempDir();
});
after(async () => {
  await Promise.all(nodes.map((node) => node.close()));
  for (const node of nodes) if (!node.store.isClosed) node.store.close();
  removeDir(dir);
});

function start(name: string): SiteNode {
  const node = SiteNode.start({ store: Store.open({ dataDir: path.join(dir, name) }), session: LOOPBACK });
  nodes.push(node);
  return node;
}

test('a fetch that times out half-way removes what it downloaded', async () => {
  const site = path.join(dir, 'site');
  fs.mkdirSync(site);
  fs.writeFileSync(path.join(site, 'index.md'), '# Big\n');
  fs.writeFileSync(path.join(site, 'big.png'), crypto.randomBytes(4 * 1024 * 1024));
  const author = start('author');
  const published = await author.publish(site, 'big');
  const picture = fs.readdirSync(contentFolder(author.dataDir, published.infohash), { recursive: true, encoding: 'utf8' }).find((name) => name.endsWith('big.png'));
  assert.ok(picture !== undefined);
  const damaged = path.join(contentFolder(author.dataDir, published.infohash), picture);
  const fd = fs.openSync(damaged, 'r+');
  fs.writeSync(fd, Buffer.alloc(1024 * 1024), 0, 1024 * 1024, 3 * 1024 * 1024);
  fs.closeSync(fd);
  const reader = start('reader');
  const folder = contentFolder(reader.dataDir, published.infohash);
  await assert.rejects(
    reader.fetch(published.infohash, { timeoutMs: 4_000, peers: [{ host: '127.0.0.1', port: author.session.listenPort }] }),
    (error: unknown) => (error as { code?: string }).code === 'ERR_TIMEOUT' && /\d+%/.test((error as Error).message) && !/ 0%/.test((error as Error).message),
  );
  assert.equal(fs.existsSync(folder), false, `${folder} is gone`);
  assert.equal(reader.store.version(published.infohash), undefined);
});
