/**
 * Published block lists (and mutes) end to end: real `swarmpress serve` nodes on a private
 * DHT on 127.0.0.1. Muting hides without dropping anything. A publishes its blocks; B subscribes and stops showing and seeding what they
 * block, follows A's changes to the list, and never lets a list block its own site. Hostile
 * lists — hand-built versions seeded by a bare libtorrent session, as any peer could — are
 * refused with their reason, and B's node keeps running.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { encodeSitePointer } from '../../src/core/bep46.js';
import { BLOCK_LIST_MIME, BLOCK_LIST_PATH, MAX_BLOCK_LIST_BYTES, MAX_BLOCK_LIST_ENTRIES } from '../../src/core/block-list.js';
import { fromHex, toHex, utf8 } from '../../src/core/bytes.js';
import { Identity } from '../../src/core/identity.js';
import { createTorrent } from '../../src/net/session.js';
import { SiteRecords } from '../../src/net/site-records.js';
import { buildVersion, scanSource } from '../../src/store/site-build.js';
import { TORRENTS_FOLDER } from '../../src/store/local-files.js';
import { localArgs, runCli, useServeBed, type CliResult, type ServeNode } from '../helpers/nodes.js';

const bed = useServeBed();

function writeSite(root: string, text: string): string {
  fs.mkdirSync(root, { recursive: true });
  fs.writeFileSync(path.join(root, 'index.md'), text);
  return root;
}

async function cli(dataDir: string, args: readonly string[]): Promise<CliResult> {
  return runCli([...args, '--json', '--data-dir', dataDir, ...localArgs(bed.port)]);
}

/** The JSON lines of a command that must succeed. */
async function ok(dataDir: string, args: readonly string[]): Promise<readonly Record<string, unknown>[]> {
  const result = await cli(dataDir, args);
  assert.equal(result.code, 0, `${args.join(' ')}: exit ${String(result.code ?? result.signal)}: ${result.stderr}`);
  return result.messages;
}

const serve = (name: string): Promise<ServeNode> => bed.serve(name);

function event(messages: readonly Record<string, unknown>[], name: string): Record<string, unknown> {
  const found = messages.find((message) => message['event'] === name);
  assert.ok(found !== undefined, `no '${name}' in ${JSON.stringify(messages)}`);
  return found;
}

/** Versions of the data folder that a node would seed again when it starts. */
function resumeFiles(dataDir: string): string[] {
  const folder = path.join(dataDir, TORRENTS_FOLDER);
  return fs.existsSync(folder) ? fs.readdirSync(folder) : [];
}

test('A publishes its blocks; B subscribes, stops showing and seeding what they block (never its own site), and follows A unblocking', async () => {
  const [a, b, c] = [await serve('A'), await serve('B'), await serve('C')];
  const siteC = event(await ok(c.dataDir, ['publish', writeSite(path.join(bed.dir, 'site-c'), '# C\n\nSpam, spam, spam.\n')]), 'published');
  const siteA = event(await ok(a.dataDir, ['publish', writeSite(path.join(bed.dir, 'site-a'), '# A\n\nCurated.\n')]), 'published');
  const siteB = event(await ok(b.dataDir, ['publish', writeSite(path.join(bed.dir, 'site-b'), '# B\n\nMine.\n')]), 'published');
  const keyC = String(siteC['url']).slice('bittorrent://'.length);
  const keyB = String(siteB['url']).slice('bittorrent://'.length);

  // B reads and follows C: stored and seeded.
  assert.equal(event(await ok(b.dataDir, ['get', String(siteC['url'])]), 'page')['text'], '# C\n\nSpam, spam, spam.\n');
  await ok(b.dataDir, ['follow', keyC]);
  assert.ok(resumeFiles(b.dataDir).some((file) => file.startsWith(String(siteC['infohash']))), 'B seeds C');

  // Muting C only hides it: still readable, stored and seeded.
  assert.equal(event(await ok(b.dataDir, ['mute', String(siteC['url'])]), 'muted')['changed'], true);
  assert.equal(event(await ok(b.dataDir, ['get', String(siteC['url'])]), 'page')['text'], '# C\n\nSpam, spam, spam.\n');
  assert.ok(resumeFiles(b.dataDir).some((file) => file.startsWith(String(siteC['infohash']))), 'B still seeds muted C');
  assert.equal(event(await ok(b.dataDir, ['unmute', keyC]), 'unmuted')['changed'], true);
  assert.equal(event(await ok(b.dataDir, ['unmute', keyC]), 'unmuted')['changed'], false);

  // A blocks C and B's own site, and publishes its list.
  await ok(a.dataDir, ['block', keyC]);
  await ok(a.dataDir, ['block', keyB]);
  const on = await ok(a.dataDir, ['block-list', 'publish', 'on']);
  assert.equal(event(on, 'block-list-publishing')['on'], true);
  assert.equal(event(on, 'published')['seq'], '2', 'the site was republished with the list');

  const subscribed = event(await ok(b.dataDir, ['block-list', 'subscribe', String(siteA['url'])]), 'subscribed');
  assert.equal(subscribed['applied'], true);
  assert.equal(subscribed['entries'], 2, 'C as author and as site');
  assert.equal(subscribed['refused'], 2, "B's own key is left out");
  assert.match(String(subscribed['problem']), /your own key or sites: left out/);
  // The subscribe command and the node's fetch of A's version may both apply the list, at
  // once: one of them stops seeding C, the other then finds nothing left to drop.
  await b.process.waitFor((m) => m['event'] === 'block-list' && m['entries'] === 2 && (m['dropped'] as number) >= 1, "B's node to apply A's list and stop seeding C");
  assert.ok(!resumeFiles(b.dataDir).some((file) => file.startsWith(String(siteC['infohash']))), 'C would not be seeded again after a restart');
  const refusedGet = await cli(b.dataDir, ['get', String(siteC['url'])]);
  assert.notEqual(refusedGet.code, 0);
  assert.match(refusedGet.stderr, /blocked/);
  assert.equal((await cli(b.dataDir, ['get', String(siteB['url'])])).code, 0, "B's own site is not blocked");
  const listed = await ok(b.dataDir, ['block-list', 'list']);
  assert.deepEqual(listed.filter((m) => m['event'] === 'block-list').map((m) => [m['key'], m['entries']]), [[String(siteA['url']).slice(13), 2]]);

  // A unblocks C and publishes: B's node reads the new list by itself.
  const seen = b.process.messages.length;
  await ok(a.dataDir, ['unblock', keyC]);
  assert.equal(event(await ok(a.dataDir, ['publish', path.join(bed.dir, 'site-a')]), 'published')['seq'], '3');
  await b.process.waitFor((m) => m['event'] === 'block-list' && m['entries'] === 0, "B's node to apply A's new list", 60_000, seen);
  assert.equal(event(await ok(b.dataDir, ['get', String(siteC['url'])]), 'page')['text'], '# C\n\nSpam, spam, spam.\n');

  // Unsubscribing ends it.
  assert.equal(event(await ok(b.dataDir, ['block-list', 'unsubscribe', String(siteA['url'])]), 'unsubscribed')['changed'], true);
  assert.equal((await ok(b.dataDir, ['block-list', 'list'])).filter((m) => m['event'] === 'block-list').length, 0);
});

/** Publishes a site whose block list file holds `body`, built and seeded by a bare DHT node (not swarmpress). */
async function publishHostile(index: number, body: Uint8Array): Promise<string> {
  const session = bed.dht.nodes[index];
  assert.ok(session !== undefined);
  const site = Identity.fromSeed(new Uint8Array(32).fill(100 + index));
  const dataDir = path.join(bed.dir, `hostile-${index}`);
  const built = buildVersion({
    dataDir,
    source: scanSource(writeSite(path.join(bed.dir, `hostile-src-${index}`), '# Hostile\n')),
    author: site,
    site,
    fallbackTitle: 'hostile',
    rootName: 'hostile',
    generated: [{ path: BLOCK_LIST_PATH, title: 'Block list', mime: BLOCK_LIST_MIME, bytes: body }],
    nowMs: Date.now(),
  });
  assert.ok(built.root !== undefined && built.staging !== undefined);
  const created = await createTorrent(built.root, { format: 'v1', skipHidden: false });
  const infohash = fromHex(created.infoHashes.v1 ?? '', 20);
  assert.ok(infohash !== undefined);
  session.addTorrent({ torrent: created.torrent, savePath: built.staging, seedMode: true });
  session.dhtAnnounce(toHex(infohash), session.listenPort, true);
  await new SiteRecords({ session }).publish(site, encodeSitePointer(infohash));
  return toHex(site.publicKey);
}

test('hostile lists (malformed, oversized, too many entries) are refused with their reason; the node runs on', async () => {
  const b = await serve('B2');
  const entry = (i: number): string => JSON.stringify({ kind: 'site', key: i.toString(16).padStart(64, '0') });
  const hostile: [string, Uint8Array, RegExp][] = [
    ['malformed', utf8('{"blocks": [{"kind": "site", "key": '), /not JSON/],
    ['oversized', utf8(`{"blocks": []}${' '.repeat(MAX_BLOCK_LIST_BYTES)}`), new RegExp(`more than the ${MAX_BLOCK_LIST_BYTES} read`)],
    ['too many', utf8(`{"blocks": [${Array.from({ length: MAX_BLOCK_LIST_ENTRIES + 1 }, (_, i) => entry(i + 1)).join(',')}]}`), new RegExp(`${MAX_BLOCK_LIST_ENTRIES + 1} entries, more than`)],
    ['bad key', utf8('{"blocks": [{"kind": "site", "key": "XYZ"}]}'), /blocks\[0\]\.key must be 64 lower-case hex digits/],
  ];
  const keys: string[] = [];
  for (const [i, [what, body, reason]] of hostile.entries()) {
    const key = await publishHostile(i + 1, body);
    keys.push(key);
    const subscribed = event(await ok(b.dataDir, ['block-list', 'subscribe', key]), 'subscribed');
    assert.equal(subscribed['applied'], false, what);
    assert.match(String(subscribed['problem']), reason, what);
  }
  const listed = (await ok(b.dataDir, ['block-list', 'list'])).filter((m) => m['event'] === 'block-list');
  assert.deepEqual(listed.map((m) => m['key']), keys);
  for (const [i, [what, , reason]] of hostile.entries()) {
    const row = listed[i];
    assert.ok(row !== undefined, what);
    assert.equal(row['entries'], 0, what);
    assert.match(String(row['problem']), reason, what);
  }
  assert.equal(b.process.child.exitCode, null, "B's node is still running");
});
