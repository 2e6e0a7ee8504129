/**
 * Seeding what was read (settings: "seed what I read"), with three real nodes on loopback
 * and no DHT: a reader that does not seed pauses a version it downloaded, and a third node
 * cannot get it from there; switched on, the third node can. Paused versions stay paused
 * when the node starts again; the node's own site is seeded whatever the setting.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { toHex } from '../../src/core/bytes.js';
import { SiteNode } from '../../src/net/node/site-node.js';
import { Store } from '../../src/store/store.js';
import { LOOPBACK } from '../helpers/loopback.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';

let dir: string;
const nodes: SiteNode[] = [];

function startNode(name: string, seedReads = true): SiteNode {
  const node = SiteNode.start({ store: Store.open({ dataDir: path.join(dir, name) }), session: LOOPBACK, seedReads });
  nodes.push(node);
  return node;
}

async function stop(node: SiteNode): Promise<void> {
  nodes.splice(nodes.indexOf(node), 1);
  await node.close();
  node.store.close();
}

function endpoint(node: SiteNode): { host: string; port: number } {
  return { host: '127.0.0.1', port: node.session.listenPort };
}

function folder(name: string, text: string): string {
  const root = path.join(dir, `${name}-site`);
  fs.mkdirSync(root, { recursive: true });
  fs.writeFileSync(path.join(root, 'index.md'), text);
  return root;
}

before(() => {
  dir = makeTempDir('swarmpress-seed-reads-');
});
after(async () => {
  for (const node of [...nodes]) await stop(node);
  removeDir(dir);
});

test('a reader that does not seed pauses what it read, a third node cannot get it there; switched on, it can; kept over a restart; own sites always seeded', async (t) => {
  const author = startNode('author');
  const published = await author.publish(folder('author', '# Theirs\n\nShared.\n'), 'default');
  const hex = toHex(published.infohash);

  const reader = startNode('reader', false);
  const own = await reader.publish(folder('reader', '# Mine\n'), 'default');
  await reader.fetch(published.infohash, { timeoutMs: 30_000, peers: [endpoint(author)] });
  assert.deepEqual(reader.pausedVersions, [hex], 'the version read is paused; the own one is not');
  await stop(author);

  // Nobody else has it: a third node asking the reader only gets nothing.
  const third = startNode('third');
  await assert.rejects(third.fetch(published.infohash, { timeoutMs: 4_000, peers: [endpoint(reader)] }), { code: 'ERR_TIMEOUT' });

  // Seeding switched on: the third node gets it from the reader.
  reader.setSeedReads(true);
  assert.deepEqual(reader.pausedVersions, []);
  const startedMs = performance.now();
  const fetched = await third.fetch(published.infohash, { timeoutMs: 30_000, peers: [endpoint(reader)] });
  assert.equal(fetched.isNew, true);
  t.diagnostic(`from the seeding reader: ${Math.round(performance.now() - startedMs)} ms (the paused one gave nothing in 4 s)`);

  // Off again, and over a restart: paused from the start; the own site is seeded.
  reader.setSeedReads(false);
  assert.deepEqual(reader.pausedVersions, [hex]);
  await stop(reader);
  const again = startNode('reader', false);
  assert.deepEqual(again.seeding.sort(), [hex, toHex(own.infohash)].sort());
  assert.deepEqual(again.pausedVersions, [hex]);
});
