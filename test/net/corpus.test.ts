import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { parseTorrent, TorrentSession } from '../../src/net/session.js';
import { REPO_ROOT } from '../helpers/process.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';

const CORPUS = path.join(REPO_ROOT, 'test', 'corpus', 'hostile-torrents');
const expectedErrors = new Map(
  fs.readFileSync(path.join(CORPUS, 'EXPECTED-ERRORS.txt'), 'utf8').trim().split('\n').map((line) => line.split(' ') as [string, string]),
);
/**
 * Files that libtorrent's newer test suite expects to be refused but Debian's 2.0.8 loads
 * (measured): duplicate names are renamed (bar.1.txt, ...), and v2 piece layers are not
 * checked until the pieces are hashed. Either way every path stays inside the save folder.
 */
const LOADED_BY_2_0_8 = new Set(['duplicate_files2.torrent', 'v2_invalid_piece_layer_root.torrent', 'v2_unknown_piece_layer_entry.torrent']);
const files = fs.readdirSync(CORPUS).filter((name) => name.endsWith('.torrent')).sort();

let saveDir: string;
before(() => {
  saveDir = makeTempDir();
});
after(() => {
  removeDir(saveDir);
});

test('all 108 hostile and edge-case torrents are either refused with a NativeError or load with every path inside the save folder', () => {
  assert.equal(files.length, 108);
  for (const name of files) {
    const result = parseTorrent(fs.readFileSync(path.join(CORPUS, name)));
    const refuse = expectedErrors.has(name) && !LOADED_BY_2_0_8.has(name);
    if (refuse) {
      if (result.ok) assert.fail(`${name} should be refused (${expectedErrors.get(name) ?? ''})`);
      assert.equal(result.error.code, 'ERR_LIBTORRENT');
      assert.equal(result.error.operation, 'parse_torrent');
      assert.ok(result.error.category.length > 0 && Number.isInteger(result.error.value), name);
      continue;
    }
    if (!result.ok) assert.fail(`${name} should load: ${result.error.message}`);
    for (const file of result.value.files) {
      const target = path.resolve(saveDir, file.path);
      assert.ok(target.startsWith(saveDir + path.sep), `${name}: ${file.path} leaves the save folder`);
      assert.ok(!file.path.split('/').includes('..'), `${name}: ${file.path}`);
    }
  }
});

test('the loadable ones can be added to a session without incident', async () => {
  const session = new TorrentSession({ listen: '127.0.0.1:0', dht: false, lsd: false, portMapping: false });
  try {
    const added = new Set<string>();
    const refusedAtAdd: string[] = [];
    for (const name of files) {
      const bytes = fs.readFileSync(path.join(CORPUS, name));
      const parsed = parseTorrent(bytes);
      if (!parsed.ok) continue;
      try {
        const id = session.addTorrent({ torrent: bytes, savePath: saveDir, paused: true }).id;
        added.add(id);
        for (const file of session.files(id)?.files ?? []) {
          assert.ok(path.resolve(saveDir, file.path).startsWith(saveDir + path.sep), `${name}: ${file.path}`);
        }
      } catch (error) {
        const code = (error as { code?: string }).code;
        assert.equal(code, 'ERR_LIBTORRENT', `${name}: ${String(error)}`);
        // Many corpus files share one info dictionary (only trackers or seeds differ).
        if (added.has(parsed.value.infoHashes.id)) continue;
        refusedAtAdd.push(name);
      }
    }
    // libtorrent checks v2 piece layers when a torrent is added (measured with 2.0.8).
    assert.deepEqual(refusedAtAdd, ['v2_invalid_piece_layer_root.torrent', 'v2_invalid_root_hash.torrent']);
    assert.equal(added.size, 50);
    // libtorrent creates empty files and BEP 47 symlinks at once, even for paused torrents:
    // everything it made, and everywhere a symlink points, is inside the save folder.
    const made = fs.readdirSync(saveDir, { recursive: true, withFileTypes: true });
    assert.ok(made.length > 0);
    for (const entry of made) {
      const full = path.join(entry.parentPath, entry.name);
      assert.ok(full.startsWith(saveDir + path.sep), full);
      if (entry.isSymbolicLink()) {
        const target = path.resolve(path.dirname(full), fs.readlinkSync(full));
        assert.ok(target.startsWith(saveDir + path.sep), `${full} points to ${target}`);
      }
    }
  } finally {
    await session.close();
  }
});
