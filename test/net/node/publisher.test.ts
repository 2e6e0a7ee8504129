/**
 * Publishing (src/net/node/publisher.ts) on one node without the DHT: what a publish that
 * fails leaves behind (issue #21: nothing).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { deriveSiteIdentity } from '../../../src/core/identity.js';
import { SiteNode } from '../../../src/net/node/site-node.js';
import { readOwnSites } from '../../../src/store/local-files.js';
import { Store } from '../../../src/store/store.js';
import { LOOPBACK } from '../../helpers/loopback.js';
import { makeTempDir, removeDir } from '../../helpers/temp.js';

let dir: string;
let node: SiteNode;

function writeFolder(name: string, files: Readonly<Record<string, string | Uint8Array>>): string {
  const folder = path.join(dir, name);
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(folder, file)), { recursive: true });
    fs.writeFileSync(path.join(folder, file), content);
  }
  return folder;
}

/** Bytes that are not UTF-8 (a lone continuation byte, an invalid lead byte). */
const BINARY = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x80, 0xff, 0xfe, 0x00]);

before(() => {
  dir = makeTempDir();
  node = SiteNode.start({ store: Store.open({ dataDir: path.join(dir, 'data') }), session: LOOPBACK });
});
after(async () => {
  await node.close();
  node.store.close();
  removeDir(dir);
});

test('a publish that fails to build changes nothing: not the folder record, not the outbox, not the site', async () => {
  const good = writeFolder('bees', { 'index.md': '# Bees\n\nThey hum.\n', 'posts/one.md': '# One\n' });
  const first = await node.publish(good, 'bees');
  assert.equal(node.siteSource('bees'), good);
  const outbox = node.store.pendingPublishes().length;

  const broken = writeFolder('broken', { 'index.md': BINARY });
  await assert.rejects(node.publish(broken, 'bees'), /index\.md is not UTF-8 text/);
  assert.equal(node.siteSource('bees'), good, 'own-sites.json still names the folder the site was published from');
  assert.equal(node.store.pendingPublishes().length, outbox, 'no record was signed');
  assert.equal(node.latestSigned(first.key)?.seq, first.seq);

  // The next publish of the site's folder works, at the next seq: the failed one took none.
  const again = await node.publish(good, 'bees');
  assert.equal(again.seq, first.seq + 1n);
  assert.equal(again.items, first.items);
});

test('a first publish of a new site that fails leaves no trace of the site', async () => {
  const broken = writeFolder('wasps', { 'index.md': BINARY });
  const key = deriveSiteIdentity(node.author(), 'wasps').publicKey;
  await assert.rejects(node.publish(broken, 'wasps'), /not UTF-8 text/);
  assert.equal(node.siteSource('wasps'), undefined);
  assert.equal(readOwnSites(node.dataDir).some((site) => site.name === 'wasps'), false);
  assert.equal(node.store.site(key), undefined, 'the site is not noted as own');
});
