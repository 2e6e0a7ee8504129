import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { toHex } from '../../src/core/bytes.js';
import { parseKeyFile } from '../../src/core/identity.js';
import { createIdentity, identityKeyPath } from '../../src/store/identity-file.js';
import { REPO_ROOT, SWARMPRESS_BIN } from '../helpers/process.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';

let root: string;
before(() => {
  root = makeTempDir('swarmpress-identity-cli-');
});
after(() => {
  removeDir(root);
});

function run(dataDir: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [SWARMPRESS_BIN, '--data-dir', dataDir, 'identity', ...args], {
    cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('identity show: the public key; without an identity, a one-line error and no new key', () => {
  const empty = path.join(root, 'empty');
  const missing = run(empty, ['show']);
  assert.equal(missing.code, 1, missing.stderr);
  assert.equal(missing.stderr.trim().split('\n').length, 1);
  assert.match(missing.stderr, /^swarmpress: .*there is no identity key file.*identity import FILE/);
  assert.equal(fs.existsSync(identityKeyPath(empty)), false);

  const dataDir = path.join(root, 'alice');
  fs.mkdirSync(dataDir, { mode: 0o700 });
  const alice = createIdentity(dataDir);
  const shown = run(dataDir, ['show']);
  assert.equal(shown.code, 0, shown.stderr);
  assert.equal(shown.stdout, `${toHex(alice.publicKey)}\n`);
  const json = JSON.parse(run(dataDir, ['show', '--json']).stdout) as Record<string, string>;
  assert.equal(json['publicKey'], toHex(alice.publicKey));
  assert.equal(json['url'], `bittorrent://${toHex(alice.publicKey)}`);

  fs.chmodSync(identityKeyPath(dataDir), 0o640);
  const loose = run(dataDir, ['show', '--json']);
  assert.equal(loose.code, 1);
  assert.equal((JSON.parse(loose.stdout) as { error: string }).error, 'ERR_KEY_PERMISSIONS');
  assert.match(loose.stderr, /accessible to other users \(mode 0640\).*chmod 600/);
});

test('identity export then import moves an identity to another data folder; an unexported one is never replaced', () => {
  const from = path.join(root, 'from');
  fs.mkdirSync(from, { mode: 0o700 });
  const alice = createIdentity(from);
  const backup = path.join(root, 'alice.key');
  const exported = run(from, ['export', backup]);
  assert.equal(exported.code, 0, exported.stderr);
  assert.match(exported.stdout, /keep it private/);
  assert.equal(fs.statSync(backup).mode & 0o777, 0o600);
  const parsed = parseKeyFile(new Uint8Array(fs.readFileSync(backup)));
  assert.ok(parsed.ok);
  assert.equal(toHex(parsed.value.publicKey), toHex(alice.publicKey));

  const to = path.join(root, 'to');
  const imported = run(to, ['import', backup, '--json']);
  assert.equal(imported.code, 0, imported.stderr);
  assert.deepEqual(JSON.parse(imported.stdout), { publicKey: toHex(alice.publicKey), changed: true });
  assert.equal(run(to, ['show']).stdout.trim(), toHex(alice.publicKey));
  assert.match(run(to, ['import', backup]).stdout, /already .* nothing changed/);

  const other = path.join(root, 'other');
  fs.mkdirSync(other, { mode: 0o700 });
  const bob = createIdentity(other);
  const refused = run(other, ['import', backup]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /never exported: run 'swarmpress identity export FILE' first/);
  assert.equal(run(other, ['show']).stdout.trim(), toHex(bob.publicKey), 'still Bob');
  assert.equal(run(other, ['export', path.join(root, 'bob.key')]).code, 0);
  const replaced = run(other, ['import', backup, '--json']);
  assert.equal(replaced.code, 0, replaced.stderr);
  assert.match((JSON.parse(replaced.stdout) as { keptOldKeyAt: string }).keptOldKeyAt, new RegExp(`${toHex(bob.publicKey)}\\.key$`));
  assert.equal(run(other, ['show']).stdout.trim(), toHex(alice.publicKey));

  const corrupt = path.join(root, 'corrupt.key');
  fs.writeFileSync(corrupt, fs.readFileSync(backup, 'utf8').replace(/secret-seed: (.)/, (_, digit: string) => `secret-seed: ${digit === '0' ? '1' : '0'}`));
  const bad = run(path.join(root, 'fresh'), ['import', corrupt]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /corrupt/);
});
