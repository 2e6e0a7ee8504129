import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ensureDataDir, resolveDataDir } from '../../src/store/data-dir.js';
import { AppError } from '../../src/core/errors.js';
import { Store } from '../../src/store/store.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';

test('the data folder follows --data-dir, then XDG_DATA_HOME, then ~/.local/share', () => {
  assert.equal(resolveDataDir('/x/y'), '/x/y');
  assert.equal(resolveDataDir(undefined, { XDG_DATA_HOME: '/xdg', HOME: '/h' }), '/xdg/swarmpress');
  assert.equal(resolveDataDir(undefined, { XDG_DATA_HOME: 'relative', HOME: '/h' }), '/h/.local/share/swarmpress');
  assert.equal(resolveDataDir(undefined, { HOME: '/h' }), '/h/.local/share/swarmpress');
});

test('the data folder is created 0700; an unusable one is a clear error', () => {
  const dir = makeTempDir();
  try {
    const data = ensureDataDir(path.join(dir, 'a', 'swarmpress'));
    assert.equal(fs.statSync(data).mode & 0o777, 0o700);
    const file = path.join(dir, 'file');
    fs.writeFileSync(file, '');
    assert.throws(() => ensureDataDir(path.join(file, 'sub')), (e: unknown) => e instanceof AppError && e.code === 'ERR_DATA_DIR' && /ENOTDIR/.test(e.message));
  } finally {
    removeDir(dir);
  }
});

test('a data folder others can write is refused with how to fix it: group- or world-writable, or owned by another user (issue #25 item 11)', (t) => {
  const dir = makeTempDir();
  try {
    const data = path.join(dir, 'data');
    fs.mkdirSync(data, { mode: 0o700 });
    const unsafe = (pattern: RegExp) => (e: unknown) => e instanceof AppError && e.code === 'ERR_DATA_DIR_UNSAFE' && pattern.test(e.message);
    for (const mode of [0o777, 0o770, 0o1777, 0o702]) {
      fs.chmodSync(data, mode);
      assert.throws(() => ensureDataDir(data), unsafe(new RegExp(`can be written by other users \\(mode 0${mode.toString(8)}\\).*chmod 700 ${data}`)), mode.toString(8));
      assert.throws(() => Store.open({ dataDir: data }), unsafe(/can be written by other users/));
      assert.equal(fs.existsSync(path.join(data, 'index.sqlite')), false, 'nothing is written into it');
    }
    fs.chmodSync(data, 0o755);
    assert.equal(ensureDataDir(data), data, 'readable by others is the user\'s choice; writable is not');
    // The index is private in such a folder whatever the umask (it was 0644: readable by nobody).
    const umask = process.umask(0o022);
    try {
      const store = Store.open({ dataDir: data });
      store.follow('site', new Uint8Array(32).fill(1));
      for (const name of ['index.sqlite', 'index.sqlite-wal', 'index.sqlite-shm']) assert.equal(fs.statSync(path.join(data, name)).mode & 0o777, 0o600, name);
      store.close();
    } finally {
      process.umask(umask);
    }
    if (process.getuid?.() !== 0) {
      t.diagnostic('owned by another user: needs root to chown');
      return;
    }
    fs.chmodSync(data, 0o700);
    fs.chownSync(data, 65534, 65534);
    assert.throws(() => ensureDataDir(data), unsafe(/belongs to user 65534, not to this user \(0\)/));
    fs.chownSync(data, 0, 0);
    assert.equal(ensureDataDir(data), data);
  } finally {
    removeDir(dir);
  }
});
