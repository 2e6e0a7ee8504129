/**
 * Publishing, reading and following sites end to end: real swarmpress processes (the
 * command line of DESIGN.md) on a private DHT of ten libtorrent nodes on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { toHex } from '../../src/core/bytes.js';
import { Store } from '../../src/store/store.js';
import { startAria2 } from '../helpers/aria2.js';
import { localArgs, runCli, useServeBed, type CliResult, type ServeNode } from '../helpers/nodes.js';
import { freePort } from '../helpers/ports.js';
import { startTracker } from '../helpers/tracker.js';

// Each test has a DHT of its own (useServeBed).
const bed = useServeBed();

function write(root: string, files: Readonly<Record<string, string>>): string {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}

async function cli(dataDir: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runCli([...args, '--json', '--data-dir', dataDir, ...localArgs(bed.port)], env);
}

function last(result: CliResult): Record<string, unknown> {
  assert.equal(result.code, 0, `exit ${String(result.code ?? result.signal)}: ${result.stderr}`);
  const message = result.messages.at(-1);
  assert.ok(message !== undefined, result.stdout);
  return message;
}

const serve = (name: string, env: NodeJS.ProcessEnv = {}): Promise<ServeNode> => bed.serve(name, env);
const stop = (node: ServeNode): Promise<void> => bed.stop(node);

test('publish on A, get on B; a new version reaches B, which follows; with A gone, C reads from B', async () => {
  const site = write(path.join(bed.dir, 'site-a'), {
    'index.md': '# A garden\n\nWelcome.\n',
    'posts/first.md': '---\ntags: garden\n---\n# First post\n\nTomatoes.\n',
    'media/leaf.png': 'not really a png',
    '.git/config': 'hidden: left out',
  });
  const a = await serve('A');
  const b = await serve('B', { SWARMPRESS_REPUT_SECONDS: '2' });
  const published = last(await cli(a.dataDir, ['publish', site]));
  assert.equal(published['event'], 'published');
  assert.equal(published['seq'], '1', 'the first version is version 1');
  assert.equal(published['items'], 3);
  assert.deepEqual(published['skipped'], ['.git']);
  const url = published['url'] as string;
  assert.match(url, /^bittorrent:\/\/[0-9a-f]{64}$/);
  assert.match(published['magnet'] as string, /^magnet:\?xs=urn:btpk:[0-9a-f]{64}$/);

  // B reads it: the home page, a post by its path, and by the BEP 46 magnet.
  const home = last(await cli(b.dataDir, ['get', url]));
  assert.equal(home['text'], '# A garden\n\nWelcome.\n');
  assert.equal(home['source'], 'dht');
  const post = last(await cli(b.dataDir, ['get', `${url}/posts/first.md`]));
  assert.equal(post['title'], 'First post');
  assert.equal(post['text'], '# First post\n\nTomatoes.\n', 'the front matter is not part of the body');
  const byMagnet = last(await cli(b.dataDir, ['get', published['magnet'] as string]));
  assert.equal(byMagnet['infohash'], published['infohash']);
  const byInfohash = last(await cli(b.dataDir, ['get', `bittorrent://${published['infohash'] as string}/posts/first.md`]));
  assert.equal(byInfohash['source'], 'infohash');

  // Human output: the page on stdout, where it came from on stderr.
  const human = await runCli(['get', url, '--data-dir', b.dataDir, ...localArgs(bed.port)]);
  assert.equal(human.code, 0, human.stderr);
  assert.equal(human.stdout, '# A garden\n\nWelcome.\n');

  // Republishing the unchanged folder changes nothing.
  const again = last(await cli(a.dataDir, ['publish', site]));
  assert.equal(again['event'], 'unchanged');
  assert.equal(again['seq'], '1');
  assert.equal(again['infohash'], published['infohash']);

  // B follows; A publishes a new version; B's node fetches it by itself.
  assert.equal(last(await cli(b.dataDir, ['follow', url]))['event'], 'followed');
  write(site, { 'posts/second.md': '# Second post\n\nBeans.\n' });
  const v1 = last(await cli(a.dataDir, ['publish', site]));
  assert.equal(v1['seq'], '2');
  assert.equal(v1['newItems'], 1, 'unchanged pages keep their items');
  const updated = await b.process.waitFor((m) => m['event'] === 'updated' && m['seq'] === '2', "B's follower to fetch version 2", 30_000);
  assert.equal(updated['infohash'], v1['infohash']);
  // B keeps the record of the site it follows alive in the DHT (BEP 44 items expire).
  const reput = await b.process.waitFor((m) => m['event'] === 'reput' && (m['put'] as number) >= 1, "B's hourly re-put (every 2 s here)", 30_000);
  assert.equal(reput['failed'], 0);

  // A goes offline; C, a new reader, gets the newest version from B.
  await stop(a);
  const c = last(await cli(path.join(bed.dir, 'C'), ['get', `${url}/posts/second.md`, '--timeout', '60']));
  assert.equal(c['text'], '# Second post\n\nBeans.\n');
  assert.equal(c['seq'], '2');
  const out = path.join(bed.dir, 'c-out');
  last(await cli(path.join(bed.dir, 'C'), ['get', url, '--out', out]));
  assert.equal(fs.readFileSync(path.join(out, 'posts', 'second.md'), 'utf8'), '# Second post\n\nBeans.\n');
  assert.equal(fs.readFileSync(path.join(out, 'media', 'leaf.png'), 'utf8'), 'not really a png');
  assert.ok(!fs.existsSync(path.join(out, '.git')));
  await stop(b);
});

test('a reply posted on B names the post it answers; offline, get says it shows the stored copy', async () => {
  const a = await serve('reply-A');
  const b = await serve('reply-B');
  const site = write(path.join(bed.dir, 'reply-site'), { 'index.md': '# Questions\n', 'posts/q.md': '# Why bees?\n' });
  const url = last(await cli(a.dataDir, ['publish', site]))['url'] as string;
  const draft = write(path.join(bed.dir, 'reply-draft'), { 'answer.md': 'Because flowers.\n' });
  const posted = last(await cli(b.dataDir, ['post', path.join(draft, 'answer.md'), '--title', 'Re: Why bees?', '--reply-to', `${url}/posts/q.md`]));
  assert.equal(posted['event'], 'published');
  assert.match(posted['post'] as string, /^posts\/\d{4}-\d{2}-\d{2}-re-why-bees\.md$/);
  const question = last(await cli(b.dataDir, ['get', `${url}/posts/q.md`]));
  const store = Store.open({ dataDir: b.dataDir });
  try {
    const reply = store.item(Buffer.from(posted['item'] as string, 'hex'));
    assert.ok(reply !== undefined);
    assert.equal(reply.title, 'Re: Why bees?');
    assert.deepEqual(reply.related.map((r) => [r.rel, toHex(r.id), r.href]), [['reply', question['id'], `${url}/posts/q.md`]]);
    assert.equal(store.backlinks(Buffer.from(question['id'] as string, 'hex'), 'reply').length, 1);
  } finally {
    store.close();
  }
  await stop(a);
  await stop(b);
  // With the DHT switched off, B shows the copy it stored, and says so.
  const offline = await runCli(['get', url, '--data-dir', b.dataDir, '--no-dht', '--no-lan', '--listen', '127.0.0.1:0']);
  assert.equal(offline.code, 0, offline.stderr);
  assert.equal(offline.stdout, '# Questions\n');
  assert.match(offline.stderr, /offline copy: the last stored record, seq 1, version of \d{4}-\d\d-\d\dT\S+ — the DHT is switched off/);
});

test('a publish killed at any point resumes from the outbox, and no seq is signed with two values', async () => {
  for (const point of ['before-adopt', 'after-reserve', 'after-put']) {
    // A fresh DHT for each crash: the node stopped after the last one would slow this one down.
    await bed.restartDht();
    const dataDir = path.join(bed.dir, `crash-${point}`);
    const site = write(path.join(bed.dir, `crash-site-${point}`), { 'index.md': `# Crash ${point}\n` });
    const crashed = await cli(dataDir, ['publish', site], { SWARMPRESS_CRASH_AT: point });
    assert.equal(crashed.signal, 'SIGKILL', point);
    let pending: { seq: bigint; value: string; signature: string }[];
    const store = Store.open({ dataDir });
    try {
      pending = store.pendingPublishes().map((p) => ({ seq: p.record.seq, value: toHex(p.record.value), signature: toHex(p.record.signature) }));
    } finally {
      store.close();
    }
    assert.equal(pending.length > 0, point !== 'before-adopt', `${point}: the outbox holds the reserved record`);
    // The node starts again: it puts what waits in the outbox, then the author publishes again.
    const node = await serve(`crash-${point}`);
    const resumed = last(await cli(dataDir, ['publish', site]));
    assert.equal(resumed['seq'], '1', `${point}: the resumed publish uses seq 1`);
    const reader = last(await cli(path.join(bed.dir, `crash-reader-${point}`), ['get', resumed['url'] as string]));
    assert.equal(reader['seq'], '1');
    assert.equal(reader['infohash'], resumed['infohash'], `${point}: readers get the version the reserved record named`);
    for (const record of pending) {
      assert.equal(record.seq, 1n);
      assert.ok(record.value.includes(resumed['infohash'] as string), `${point}: the record reserved before the crash names the published version`);
    }
    await stop(node);
    const after = Store.open({ dataDir });
    try {
      assert.deepEqual(after.pendingPublishes(), [], `${point}: the outbox is empty`);
    } finally {
      after.close();
    }
  }
});

test('two devices of one author lose no post, and a restored week-old backup publishes above the network', async () => {
  const one = await serve('device-1');
  const two = await serve('device-2');
  const folderOne = write(path.join(bed.dir, 'dev1-site'), { 'index.md': '# Shared\n', 'posts/from-one.md': '# From one\n' });
  const folderTwo = write(path.join(bed.dir, 'dev2-site'), { 'index.md': '# Shared\n', 'posts/from-two.md': '# From two\n' });
  const first = last(await cli(one.dataDir, ['publish', folderOne]));
  const backup = path.join(bed.dir, 'identity.backup');
  assert.equal((await runCli(['identity', 'export', backup, '--data-dir', one.dataDir])).code, 0);
  assert.equal((await runCli(['identity', 'import', backup, '--data-dir', two.dataDir])).code, 0);
  const second = last(await cli(two.dataDir, ['publish', folderTwo]));
  assert.equal(second['url'], first['url'], 'one identity, one site');
  assert.equal(second['seq'], '2');
  assert.equal(second['merged'], 1, 'device 2 carries the post of device 1');
  write(folderOne, { 'posts/later.md': '# Later from one\n' });
  const third = last(await cli(one.dataDir, ['publish', folderOne]));
  assert.equal(third['seq'], '3');
  const out = path.join(bed.dir, 'devices-out');
  last(await cli(path.join(bed.dir, 'devices-reader'), ['get', first['url'] as string, '--out', out]));
  for (const post of ['from-one.md', 'from-two.md', 'later.md']) assert.ok(fs.existsSync(path.join(out, 'posts', post)), post);

  // A week-old backup restored on a new machine: its first publish goes above the network's seq.
  const restored = path.join(bed.dir, 'restored');
  assert.equal((await runCli(['identity', 'import', backup, '--data-dir', restored])).code, 0);
  await serve('restored');
  const fromBackup = last(await cli(restored, ['publish', folderOne]));
  assert.equal(fromBackup['seq'], '4');
  const out2 = path.join(bed.dir, 'restored-out');
  last(await cli(path.join(bed.dir, 'restored-reader'), ['get', first['url'] as string, '--out', out2]));
  for (const post of ['from-one.md', 'from-two.md', 'later.md']) assert.ok(fs.existsSync(path.join(out2, 'posts', post)), post);
});

test('a site published as hybrid v1+v2 torrents (BEP 52) is read by another node', async () => {
  const a = await serve('hybrid-A', { SWARMPRESS_TORRENT_FORMAT: 'hybrid' });
  const site = write(path.join(bed.dir, 'hybrid-site'), { 'index.md': '# Hybrid\n', 'media/clip.bin': 'y'.repeat(40_000) });
  const published = last(await cli(a.dataDir, ['publish', site], { SWARMPRESS_TORRENT_FORMAT: 'hybrid' }));
  const out = path.join(bed.dir, 'hybrid-out');
  const read = last(await cli(path.join(bed.dir, 'hybrid-reader'), ['get', published['url'] as string, '--out', out]));
  assert.equal(read['infohash'], published['infohash']);
  assert.equal(fs.readFileSync(path.join(out, 'media', 'clip.bin'), 'utf8'), 'y'.repeat(40_000));
});

test('aria2c downloads a site version by its infohash from a swarmpress node', async () => {
  const node = await serve('aria2-seeder');
  const site = write(path.join(bed.dir, 'aria2-site'), { 'index.md': '# For aria2\n', 'posts/p.md': 'x'.repeat(50_000) });
  const published = last(await cli(node.dataDir, ['publish', site]));
  const tracker = await startTracker([{ host: '127.0.0.1', port: node.port }]);
  const out = path.join(bed.dir, 'aria2-out');
  const aria2 = startAria2({ dir: out, port: await freePort(), seed: false, torrent: `magnet:?xt=urn:btih:${published['infohash'] as string}&tr=${encodeURIComponent(tracker.url)}` });
  try {
    const exit = await aria2.waitExit(60_000);
    assert.equal(exit.code, 0, aria2.stderr + aria2.stdout);
    const root = path.join(out, fs.readdirSync(out).find((name) => !name.startsWith('.')) ?? '');
    assert.equal(fs.readFileSync(path.join(root, 'posts', 'p.md'), 'utf8'), 'x'.repeat(50_000));
    assert.ok(fs.existsSync(path.join(root, '.swarmpress', 'manifest')), 'the signed manifest travels with the site');
  } finally {
    aria2.child.kill('SIGKILL');
    await tracker.close();
    await stop(node);
  }
});
