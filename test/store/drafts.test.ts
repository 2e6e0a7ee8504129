import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Drafts } from '../../src/store/drafts.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';

let root: string;
before(() => {
  root = makeTempDir('swarmpress-drafts-');
});
after(() => {
  removeDir(root);
});

test('drafts are files: saved atomically, listed, loaded byte for byte, removed', () => {
  const drafts = new Drafts(root);
  assert.equal(fs.statSync(drafts.folder).mode & 0o777, 0o700);
  const text = new TextEncoder().encode('# Draft\n\nünïcødé\u0000 and bytes');
  drafts.save('post-1', text);
  drafts.save('post-2', new Uint8Array([1, 2, 3]));
  drafts.save('post-1', text); // replace
  assert.deepEqual(drafts.list(), ['post-1', 'post-2']);
  assert.deepEqual(drafts.load('post-1')?.bytes, text);
  assert.equal(drafts.load('nope'), undefined);
  assert.equal(drafts.remove('post-2'), true);
  assert.equal(drafts.remove('post-2'), false);
  assert.deepEqual(fs.readdirSync(drafts.folder), ['post-1.draft'], 'no temporary file is left');
  for (const bad of ['', '../x', 'a/b', 'x'.repeat(65), 'é']) assert.throws(() => { drafts.save(bad, text); }, RangeError, bad);
});

test('temporaries a crash left behind are cleared on open and never listed', () => {
  const drafts = new Drafts(root);
  fs.writeFileSync(path.join(drafts.folder, '.post-9.draft.abcdef.tmp'), 'half');
  assert.equal(drafts.list().includes('post-9'), false);
  const reopened = new Drafts(root);
  assert.equal(fs.readdirSync(reopened.folder).some((name) => name.endsWith('.tmp')), false);
});
