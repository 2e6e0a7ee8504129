/**
 * A data folder survives a damaged session.state and a full disk (issue #25 item 6): real
 * swarmpress processes, offline (no DHT, no LAN), on a small tmpfs for the full disk.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { runCli, type CliResult } from '../helpers/nodes.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';
import { fillDisk, mountTmpfs, unmount } from '../store/tmpfs.js';

const OFFLINE = ['--no-dht', '--no-lan', '--listen', '127.0.0.1:0'];

let dir: string;
before(() => {
  dir = makeTempDir();
});
after(() => {
  removeDir(dir);
});

function writeSite(root: string, files: Readonly<Record<string, string | Buffer>>): string {
  for (const [name, body] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), body);
  }
  return root;
}

function publish(dataDir: string, site: string): Promise<CliResult> {
  return runCli(['publish', site, '--data-dir', dataDir, ...OFFLINE]);
}

function ok(result: CliResult): void {
  assert.equal(result.code, 0, `exit ${String(result.code ?? result.signal)}: ${result.stderr}`);
}

for (const [name, bytes] of [
  ['empty', Buffer.alloc(0)],
  ['100 random bytes', crypto.randomBytes(100)],
] as const) {
  test(`a session.state of ${name} is treated as absent, with a warning, and replaced`, async () => {
    const dataDir = path.join(dir, `state-${name.replace(/ /g, '-')}`);
    const site = writeSite(path.join(dataDir, '..', `site-${name.replace(/ /g, '-')}`), { 'index.md': '# Hello\n' });
    ok(await publish(dataDir, site));
    const state = path.join(dataDir, 'session.state');
    assert.ok(fs.statSync(state).size > 0);
    fs.writeFileSync(state, bytes);
    const again = await publish(dataDir, writeSite(site, { 'more.md': '# More\n' }));
    ok(again);
    assert.match(again.stderr, /warning: session\.state cannot be read \(read_session_params: .+\): starting without it/);
    assert.doesNotMatch(again.stderr, /internal error/);
    assert.ok(fs.statSync(state).size > 0, 'a good state is saved in its place');
    const third = await publish(dataDir, writeSite(site, { 'third.md': '# Third\n' }));
    ok(third);
    assert.doesNotMatch(third.stderr, /session\.state/);
  });
}

test('session.state is replaced atomically: on a full disk the old one stays whole', async (t) => {
  const mount = path.join(dir, 'full-state');
  const why = mountTmpfs(mount, 8 * 1024 * 1024);
  if (why !== undefined) {
    t.skip(why);
    return;
  }
  try {
    const dataDir = path.join(mount, 'data');
    const site = writeSite(path.join(dir, 'site-full-state'), { 'index.md': '# Hello\n' });
    ok(await publish(dataDir, site));
    const state = path.join(dataDir, 'session.state');
    const before = fs.readFileSync(state);
    assert.ok(before.length > 0);
    const filler = fillDisk(mount);
    // A command that starts and stops a node, and so saves the state, on the full disk.
    await runCli(['block-list', 'list', '--data-dir', dataDir, ...OFFLINE]);
    assert.deepEqual(fs.readFileSync(state), before, 'the old state, whole');
    fs.rmSync(filler);
    ok(await publish(dataDir, writeSite(site, { 'more.md': '# More\n' })));
  } finally {
    unmount(mount);
  }
});

test('a publish on a full disk says so, keeps nothing, and works once space is freed', async (t) => {
  const mount = path.join(dir, 'full-publish');
  const why = mountTmpfs(mount, 16 * 1024 * 1024);
  if (why !== undefined) {
    t.skip(why);
    return;
  }
  try {
    const dataDir = path.join(mount, 'data');
    const site = writeSite(path.join(dir, 'site-full-publish'), { 'index.md': '# Hello\n' });
    ok(await publish(dataDir, site));
    const versions = fs.readdirSync(path.join(dataDir, 'content'));
    writeSite(site, { 'big.png': crypto.randomBytes(6 * 1024 * 1024) });
    // 3 MB left: less than the 6 MB picture's copy.
    const filler = fillDisk(mount);
    fs.truncateSync(filler, fs.statSync(filler).size - 3 * 1024 * 1024);
    const full = await publish(dataDir, site);
    assert.equal(full.code, 1, full.stderr);
    assert.match(full.stderr, /the disk of the data folder .+ is full: a new version is a copy of the site's files \(about 7 MB\), so free that much space and publish again; nothing was kept \(ENOSPC\)/);
    assert.doesNotMatch(full.stderr, /internal error/);
    assert.deepEqual(fs.readdirSync(path.join(dataDir, 'content')), versions, 'no new version on disk');
    assert.deepEqual(fs.readdirSync(path.join(dataDir, 'staging')), [], 'nothing staged is left');
    fs.rmSync(filler);
    ok(await publish(dataDir, site));
    assert.equal(fs.readdirSync(path.join(dataDir, 'content')).length, versions.length + 1);
  } finally {
    unmount(mount);
  }
});

test('publishing needs one copy of the site free, not two', async (t) => {
  const mount = path.join(dir, 'one-copy');
  const why = mountTmpfs(mount, 24 * 1024 * 1024);
  if (why !== undefined) {
    t.skip(why);
    return;
  }
  try {
    const dataDir = path.join(mount, 'data');
    const site = writeSite(path.join(dir, 'site-one-copy'), { 'index.md': '# Hello\n', 'big.png': crypto.randomBytes(8 * 1024 * 1024) });
    // 12 MB free: one 8 MB copy and the index fit, two copies do not (on main: ENOSPC).
    const filler = fillDisk(mount);
    fs.truncateSync(filler, fs.statSync(filler).size - 12 * 1024 * 1024);
    ok(await publish(dataDir, site));
    assert.equal(fs.readdirSync(path.join(dataDir, 'content')).length, 1);
  } finally {
    unmount(mount);
  }
});
