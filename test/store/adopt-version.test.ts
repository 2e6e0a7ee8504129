/**
 * A version adopted into the store that cannot be stored leaves nothing behind (issue #25
 * item 6: a publish that failed after its version was moved into content/ left it there,
 * named by no record and outside the index).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { contentFolder } from '../../src/store/rebuild.js';
import { Store } from '../../src/store/store.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';

let dir: string;
before(() => {
  dir = makeTempDir();
});
after(() => {
  removeDir(dir);
});

test('a staged version that does not verify is refused and removed, staging and content alike', () => {
  const dataDir = path.join(dir, 'data');
  const store = Store.open({ dataDir });
  try {
    const staging = path.join(dataDir, 'staging', 'x');
    fs.mkdirSync(path.join(staging, 'site'), { recursive: true });
    fs.writeFileSync(path.join(staging, 'site', 'index.md'), '# No manifest\n');
    const infohash = new Uint8Array(20).fill(7);
    const adopted = store.adoptVersion(staging, infohash, 'own');
    assert.equal(adopted.ok, false);
    assert.equal(fs.existsSync(staging), false, 'the staging folder is gone');
    assert.equal(fs.existsSync(contentFolder(dataDir, infohash)), false, 'nothing is left in content/');
    assert.equal(store.version(infohash), undefined);
  } finally {
    store.close();
  }
});

test('a stored version is never removed by adopting another copy of it', () => {
  const dataDir = path.join(dir, 'data-2');
  const store = Store.open({ dataDir });
  try {
    const infohash = new Uint8Array(20).fill(8);
    const existing = contentFolder(dataDir, infohash);
    fs.mkdirSync(path.join(existing, 'site'), { recursive: true });
    fs.writeFileSync(path.join(existing, 'site', 'keep.md'), 'kept');
    const staging = path.join(dataDir, 'staging', 'y');
    fs.mkdirSync(staging, { recursive: true });
    assert.equal(store.adoptVersion(staging, infohash, 'own').ok, false);
    assert.equal(fs.readFileSync(path.join(existing, 'site', 'keep.md'), 'utf8'), 'kept', 'a folder it did not move there stays');
  } finally {
    store.close();
  }
});
