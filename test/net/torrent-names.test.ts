/**
 * Names libtorrent 2.0.8 changes when it reads a torrent, and the site-path rule that
 * refuses them before publishing (issue #25 item 7): measured here on the real library, so
 * the rule and the library cannot drift apart unnoticed.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { AppError } from '../../src/core/errors.js';
import { checkSitePath, MAX_PATH_SEGMENT_BYTES } from '../../src/core/site-path.js';
import { createTorrent } from '../../src/net/session.js';
import { scanSource } from '../../src/store/site-build.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';

let dir: string;
before(() => {
  dir = makeTempDir();
});
after(() => {
  removeDir(dir);
});

/** The name libtorrent gives a file called `name` in a torrent of a folder holding it. */
async function asLibtorrentNamesIt(name: string): Promise<string> {
  const folder = fs.mkdtempSync(path.join(dir, 'site-'));
  fs.writeFileSync(path.join(folder, name), 'x');
  const created = await createTorrent(folder, { format: 'v1' });
  const file = created.files[0];
  assert.ok(file !== undefined);
  return path.basename(file.path);
}

test('libtorrent keeps names of up to MAX_PATH_SEGMENT_BYTES and cuts longer ones; checkSitePath draws the line there', async () => {
  const longest = 'a'.repeat(MAX_PATH_SEGMENT_BYTES - 3) + '.md';
  assert.equal(await asLibtorrentNamesIt(longest), longest);
  assert.equal(checkSitePath(longest).ok, true);
  const over = 'a'.repeat(MAX_PATH_SEGMENT_BYTES - 2) + '.md';
  assert.notEqual(await asLibtorrentNamesIt(over), over, 'libtorrent changes a longer name');
  assert.equal(checkSitePath(over).ok, false);
});

test('libtorrent drops bidi marks and overrides from names; checkSitePath refuses them', async () => {
  for (const name of ['a\u200eb.md', 'a\u200fb.md', 'x\u202etxt.md', 'x\u202ab.md']) {
    assert.notEqual(await asLibtorrentNamesIt(name), name, JSON.stringify(name));
    assert.equal(checkSitePath(name).ok, false, JSON.stringify(name));
  }
});

test('publishing a folder with such a name is refused with a message naming the file and the character', () => {
  const folder = path.join(dir, 'publish');
  fs.mkdirSync(folder);
  fs.writeFileSync(path.join(folder, 'index.md'), '# Hi\n');
  fs.writeFileSync(path.join(folder, 'report\u202etxt.md'), 'x');
  assert.throws(
    () => scanSource(folder),
    (error: unknown) => error instanceof AppError && error.code === 'ERR_SOURCE' && /U\+202E/.test(error.message) && /rename it/.test(error.message),
  );
  fs.rmSync(path.join(folder, 'report\u202etxt.md'));
  fs.writeFileSync(path.join(folder, `${'n'.repeat(245)}.md`), 'x');
  assert.throws(() => scanSource(folder), /longer than 240 bytes; rename it/);
});
