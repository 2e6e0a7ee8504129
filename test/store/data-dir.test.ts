import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ensureDataDir, resolveDataDir } from '../../src/store/data-dir.js';
import { AppError } from '../../src/core/errors.js';
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
