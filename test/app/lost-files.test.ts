/**
 * What a lost file of the data folder must not do (issue #25 items 4 and 5), with the real
 * command line, offline (--no-dht --no-lan): a lost identity key never becomes a new
 * identity in a data folder that has published, and a lost index never loses the user's
 * decisions, the stored sites, nor makes a publish sign a seq twice.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { identityKeyPath } from '../../src/store/identity-file.js';
import { INDEX_FILE, Store } from '../../src/store/store.js';
import { runCli, type CliResult } from '../helpers/nodes.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';

let root: string;
before(() => {
  root = makeTempDir('swarmpress-lost-files-');
});
after(() => {
  removeDir(root);
});

const OFFLINE = ['--no-dht', '--no-lan', '--listen', '127.0.0.1:0'];

function cli(dataDir: string, args: readonly string[]): Promise<CliResult> {
  return runCli([...args, '--json', '--data-dir', dataDir, ...OFFLINE]);
}

function last(result: CliResult): Record<string, unknown> {
  assert.equal(result.code, 0, `exit ${String(result.code ?? result.signal)}: ${result.stderr}`);
  const message = result.messages.at(-1);
  assert.ok(message !== undefined, result.stdout);
  return message;
}

function writeSite(folder: string, text: string): string {
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'index.md'), text);
  return folder;
}

test('a data folder that has published never gets a new identity: publish without the key refuses and names the restore command', async () => {
  const dataDir = path.join(root, 'author');
  const site = writeSite(path.join(root, 'site-a'), '# A\n\nFirst.\n');
  const first = last(await cli(dataDir, ['publish', site]));
  assert.equal(first['seq'], '1');
  const backup = path.join(root, 'a.key');
  assert.equal((await cli(dataDir, ['identity', 'export', backup])).code, 0);
  const key = identityKeyPath(dataDir);
  fs.rmSync(key);

  fs.writeFileSync(path.join(site, 'index.md'), '# A\n\nSecond.\n');
  for (const lostToo of ['nothing else', 'the index']) {
    if (lostToo === 'the index') for (const name of fs.readdirSync(dataDir)) if (name.startsWith('index.sqlite')) fs.rmSync(path.join(dataDir, name));
    const refused = await cli(dataDir, ['publish', site]);
    assert.equal(refused.code, 1, `${lostToo}: ${refused.stdout}`);
    assert.match(refused.stderr, /identity key .* is missing, but this data folder has published .*swarmpress identity import FILE/, lostToo);
    assert.equal(fs.existsSync(key), false, `${lostToo}: no new key was made`);
  }

  assert.equal((await cli(dataDir, ['identity', 'import', backup])).code, 0);
  const again = last(await cli(dataDir, ['publish', site]));
  assert.equal(again['url'], first['url'], 'the same address');
  assert.equal(again['seq'], '2', 'the next seq, not 1 again');

  // A data folder that never published still gets its identity on first use.
  const fresh = last(await cli(path.join(root, 'fresh'), ['publish', writeSite(path.join(root, 'site-b'), '# B\n')]));
  assert.equal(fresh['seq'], '1');
});

test('a lost index (missing, empty, damaged): blocks and follows hold, the own site opens offline, the next publish signs a new seq', async () => {
  const dataDir = path.join(root, 'writer');
  const site = writeSite(path.join(root, 'site-c'), '# C\n\nVersion 0.\n');
  const published = last(await cli(dataDir, ['publish', site]));
  assert.equal(published['seq'], '1');
  const url = published['url'] as string;
  const blocked = `bittorrent://${'ab'.repeat(32)}`;
  const followed = `bittorrent://${'cd'.repeat(32)}`;
  assert.equal(last(await cli(dataDir, ['block', blocked]))['event'], 'blocked');
  assert.equal(last(await cli(dataDir, ['follow', followed]))['event'], 'followed');
  assert.equal(last(await cli(dataDir, ['mute', followed]))['event'], 'muted');

  let seq = 1;
  for (const loss of ['missing', 'empty', 'damaged'] as const) {
    const index = path.join(dataDir, INDEX_FILE);
    for (const suffix of ['-wal', '-shm', '-clean']) fs.rmSync(index + suffix, { force: true });
    if (loss === 'missing') fs.rmSync(index);
    else if (loss === 'empty') fs.truncateSync(index, 0);
    else fs.writeFileSync(index, Buffer.alloc(fs.statSync(index).size, 0xa5));

    const refused = await cli(dataDir, ['get', blocked]);
    assert.equal(refused.code, 1, `${loss}: ${refused.stdout}`);
    assert.match(refused.stderr, /is blocked/, `${loss}: a blocked site stays blocked`);
    const stored = last(await cli(dataDir, ['get', url]));
    assert.equal(stored['source'], 'stored', `${loss}: the stored site opens offline`);
    assert.equal(stored['seq'], String(seq));

    fs.writeFileSync(path.join(site, 'index.md'), `# C\n\nAfter a ${loss} index.\n`);
    const next = last(await cli(dataDir, ['publish', site]));
    seq += 1;
    assert.equal(next['seq'], String(seq), `${loss}: the next seq, never one signed before`);
    assert.equal(next['url'], url);
  }
  // Said to the user (a note on standard error; the serve and app logs have it as a warning).
  fs.rmSync(path.join(dataDir, INDEX_FILE));
  const told = await runCli(['get', url, '--data-dir', dataDir, ...OFFLINE]);
  assert.equal(told.code, 0, told.stderr);
  assert.match(told.stderr, /note: the index database .* was missing .*: rebuilt from content\/ \(\d+ versions?\), \d+ decisions? and \d+ records? restored/);
  const store = Store.open({ dataDir });
  try {
    const followedKey = new Uint8Array(Buffer.from('cd'.repeat(32), 'hex'));
    assert.equal(store.isFollowing('site', followedKey), true);
    assert.equal(store.isMuted(followedKey), true);
    assert.equal(store.localSeq(store.sites().find((s) => s.isOwn)?.key ?? new Uint8Array(32)), BigInt(seq));
  } finally {
    store.close();
  }
});
