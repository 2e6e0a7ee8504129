import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { toHex } from '../../src/core/bytes.js';
import { formatKeyFile } from '../../src/core/identity.js';
import { createIdentity, exportIdentity, identityKeyPath, importIdentity, loadIdentity } from '../../src/store/identity-file.js';
import { StoreError } from '../../src/store/store-error.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';
import { testIdentity } from './fixtures.js';

let root: string;
let counter = 0;
before(() => {
  root = makeTempDir('swarmpress-keys-');
});
after(() => {
  removeDir(root);
});

function dataDir(): string {
  const dir = path.join(root, `data-${counter++}`);
  fs.mkdirSync(dir, { mode: 0o700 });
  return dir;
}

function isStoreError(code: string, pattern?: RegExp): (e: unknown) => boolean {
  return (e: unknown) => e instanceof StoreError && e.code === code && (pattern === undefined || pattern.test(e.message));
}

test('a missing key is an error, never a new identity; creating one is explicit and writes 0600 in 0700', () => {
  const dir = dataDir();
  assert.throws(() => loadIdentity(dir), isStoreError('ERR_KEY_FILE_MISSING', /identity import/));
  assert.equal(fs.existsSync(identityKeyPath(dir)), false, 'loading created nothing');
  const made = createIdentity(dir, new Uint8Array(32).fill(5));
  assert.equal(fs.statSync(identityKeyPath(dir)).mode & 0o777, 0o600);
  assert.equal(fs.statSync(path.dirname(identityKeyPath(dir))).mode & 0o777, 0o700);
  assert.equal(toHex(loadIdentity(dir).publicKey), toHex(made.publicKey));
  assert.throws(() => createIdentity(dir), isStoreError('ERR_IDENTITY_EXISTS'));
  assert.deepEqual(fs.readdirSync(path.dirname(identityKeyPath(dir))), ['identity.key'], 'no temporary file is left');
});

test('a key or key folder that others can read is refused with a clear error', () => {
  const dir = dataDir();
  createIdentity(dir);
  const file = identityKeyPath(dir);
  fs.chmodSync(file, 0o644);
  assert.throws(() => loadIdentity(dir), isStoreError('ERR_KEY_PERMISSIONS', /mode 0644.*chmod 600/));
  fs.chmodSync(file, 0o600);
  fs.chmodSync(path.dirname(file), 0o755);
  assert.throws(() => loadIdentity(dir), isStoreError('ERR_KEY_PERMISSIONS', /key folder.*chmod 700/));
  fs.chmodSync(path.dirname(file), 0o700);
  loadIdentity(dir);
  const real = `${file}.real`;
  fs.renameSync(file, real);
  fs.symlinkSync(real, file);
  assert.throws(() => loadIdentity(dir), isStoreError('ERR_KEY_PERMISSIONS', /not a regular file/));
});

test('a corrupt key is an error naming the problem; the file is left as it is', () => {
  const dir = dataDir();
  createIdentity(dir);
  const file = identityKeyPath(dir);
  const text = fs.readFileSync(file, 'utf8');
  const broken = text.replace(/checksum: ([0-9a-f])/, (_, digit: string) => `checksum: ${digit === '0' ? '1' : '0'}`);
  fs.writeFileSync(file, broken);
  assert.throws(() => loadIdentity(dir), isStoreError('ERR_KEY_FILE_CHECKSUM', /corrupt/));
  assert.equal(fs.readFileSync(file, 'utf8'), broken);
  fs.writeFileSync(file, '');
  assert.throws(() => loadIdentity(dir), isStoreError('ERR_KEY_FILE_EMPTY'));
});

test('export writes a backup that reads back; it never overwrites another file', () => {
  const dir = dataDir();
  const identity = createIdentity(dir);
  const backup = path.join(root, `backup-${counter++}.key`);
  exportIdentity(dir, backup);
  assert.equal(fs.readFileSync(backup, 'utf8'), formatKeyFile(identity));
  assert.equal(fs.statSync(backup).mode & 0o777, 0o600);
  exportIdentity(dir, backup); // the same identity again: fine
  const other = path.join(root, `other-${counter++}.txt`);
  fs.writeFileSync(other, 'my notes');
  assert.throws(() => exportIdentity(dir, other), isStoreError('ERR_IDENTITY_EXISTS'));
  assert.equal(fs.readFileSync(other, 'utf8'), 'my notes');
  assert.throws(() => exportIdentity(dir, path.join(root, 'no-such-folder', 'x.key')), isStoreError('ERR_STORE_IO', /no-such-folder.*does not exist \(ENOENT\)/));
});

test('import: installs into an empty folder, is a no-op for the same identity, refuses to drop an identity without backup', () => {
  const dir = dataDir();
  const alice = testIdentity(1);
  const bob = testIdentity(2);
  const aliceFile = path.join(root, `alice-${counter++}.key`);
  const bobFile = path.join(root, `bob-${counter++}.key`);
  fs.writeFileSync(aliceFile, formatKeyFile(alice).replaceAll('\n', '\r\n'), { mode: 0o644 }); // a backup that went through Windows
  fs.writeFileSync(bobFile, formatKeyFile(bob));
  assert.deepEqual({ ...importIdentity(dir, aliceFile), identity: undefined }, { identity: undefined, changed: true });
  assert.equal(toHex(loadIdentity(dir).publicKey), toHex(alice.publicKey));
  assert.equal(importIdentity(dir, aliceFile).changed, false);
  assert.throws(() => importIdentity(dir, bobFile), isStoreError('ERR_IDENTITY_EXISTS', /never exported.*identity export/));
  assert.equal(toHex(loadIdentity(dir).publicKey), toHex(alice.publicKey), 'nothing changed');
  exportIdentity(dir, path.join(root, `alice-backup-${counter++}.key`));
  const replaced = importIdentity(dir, bobFile);
  assert.equal(replaced.changed, true);
  assert.equal(toHex(loadIdentity(dir).publicKey), toHex(bob.publicKey));
  const retired = replaced.keptOldKeyAt ?? '';
  assert.match(retired, new RegExp(`retired/${toHex(alice.publicKey)}\\.key$`));
  assert.equal(fs.readFileSync(retired, 'utf8'), formatKeyFile(alice), 'the replaced key is kept');
  const missing = path.join(root, 'nope.key');
  assert.throws(() => importIdentity(dir, missing), isStoreError('ERR_KEY_FILE_MISSING'));
  const garbage = path.join(root, `garbage-${counter++}.key`);
  fs.writeFileSync(garbage, 'hello');
  assert.throws(() => importIdentity(dir, garbage), isStoreError('ERR_KEY_FILE_FORMAT'));
});

test('import reads a bounded part of a file and refuses what is not a regular file (/dev/zero, a FIFO, a folder)', () => {
  const dir = dataDir();
  const huge = path.join(root, `huge-${counter++}.key`);
  fs.writeFileSync(huge, Buffer.alloc(4 * 1024 * 1024, 'a'));
  assert.throws(() => importIdentity(dir, huge), isStoreError('ERR_KEY_FILE_TOO_LARGE'));
  // On main /dev/zero was read until memory ran out (11 GB in 60 s), and a FIFO hung.
  assert.throws(() => importIdentity(dir, '/dev/zero'), isStoreError('ERR_KEY_FILE_NOT_REGULAR', /\/dev\/zero is not a regular file/));
  const fifo = path.join(root, `fifo-${counter++}`);
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  assert.throws(() => importIdentity(dir, fifo), isStoreError('ERR_KEY_FILE_NOT_REGULAR'));
  assert.throws(() => importIdentity(dir, root), isStoreError('ERR_KEY_FILE_NOT_REGULAR'));
  assert.throws(() => loadIdentity(dir), isStoreError('ERR_KEY_FILE_MISSING'), 'nothing was installed');
});

test('import replaces a corrupt key and keeps the corrupt file aside', () => {
  const dir = dataDir();
  createIdentity(dir);
  fs.writeFileSync(identityKeyPath(dir), 'garbage');
  const alice = testIdentity(1);
  const file = path.join(root, `alice-${counter++}.key`);
  fs.writeFileSync(file, formatKeyFile(alice));
  const report = importIdentity(dir, file, () => 42);
  assert.equal(report.keptOldKeyAt, `${identityKeyPath(dir)}.corrupt-42`);
  assert.equal(fs.readFileSync(report.keptOldKeyAt, 'utf8'), 'garbage');
  assert.equal(toHex(loadIdentity(dir).publicKey), toHex(alice.publicKey));
});
