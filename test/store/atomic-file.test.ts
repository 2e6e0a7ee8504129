import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createFileAtomic, writeFileAtomic } from '../../src/store/atomic-file.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';

let root: string;
before(() => {
  root = makeTempDir('swarmpress-atomic-');
});
after(() => {
  removeDir(root);
});

test('createFileAtomic never replaces a file; writeFileAtomic does, with the mode from the start', () => {
  const file = path.join(root, 'key');
  createFileAtomic(file, new TextEncoder().encode('first'), 0o600);
  assert.throws(() => { createFileAtomic(file, new TextEncoder().encode('second')); }, (e: unknown) => (e as NodeJS.ErrnoException).code === 'EEXIST');
  assert.equal(fs.readFileSync(file, 'utf8'), 'first');
  const oldUmask = process.umask(0o077);
  try {
    writeFileAtomic(file, new TextEncoder().encode('third'), 0o640);
  } finally {
    process.umask(oldUmask);
  }
  assert.equal(fs.readFileSync(file, 'utf8'), 'third');
  assert.equal(fs.statSync(file).mode & 0o777, 0o640, 'the umask does not change the mode asked for');
  assert.deepEqual(fs.readdirSync(root), ['key'], 'no temporary file is left, also after a refusal');
  assert.throws(() => { writeFileAtomic(path.join(root, 'missing', 'x'), new Uint8Array(1)); }, (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT');
});
