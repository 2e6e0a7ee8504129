/**
 * `swarmpress serve` starts with the data folder's settings.json, the file the window's
 * Edit → Settings writes (settings-file.ts): a version read through the node that does not
 * fit in the cache budget any more is evicted at its next round; a malformed file is reported and the defaults used.
 * Real processes on a private DHT of ten libtorrent nodes on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { writeFiles } from '../helpers/app-window.js';
import { localArgs, runCli, useServeBed } from '../helpers/nodes.js';

const bed = useServeBed('swarmpress-serve-settings-');

async function cli(dataDir: string, args: readonly string[]): Promise<Record<string, unknown>> {
  const result = await runCli([...args, '--json', '--data-dir', dataDir, ...localArgs(bed.port)]);
  assert.equal(result.code, 0, `exit ${String(result.code ?? result.signal)}: ${result.stderr}`);
  const message = result.messages.at(-1);
  assert.ok(message !== undefined, result.stdout);
  return message;
}

/** A site of `name` on node `dataDir` with a page and `kib` KiB of random bytes beside it. */
function siteOf(name: string, kib: number): string {
  const folder = writeFiles(path.join(bed.dir, name), { 'index.md': `# ${name}\n\nOpen late.\n` });
  fs.mkdirSync(path.join(folder, 'media'));
  fs.writeFileSync(path.join(folder, 'media', 'filler.bin'), crypto.randomBytes(kib * 1024));
  return folder;
}

test('serve keeps to the cache budget of settings.json: the version read first goes when the second does not fit', async () => {
  const a = await bed.serve('A');
  const first = await cli(a.dataDir, ['publish', siteOf('first', 600), '--site', 'first']);
  const second = await cli(a.dataDir, ['publish', siteOf('second', 600), '--site', 'second']);
  const bDir = path.join(bed.dir, 'B');
  fs.mkdirSync(bDir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(bDir, 'settings.json'), JSON.stringify({ cacheBudgetMb: 1, uploadKBps: 0, downloadKBps: 0, seedReads: true }));
  const b = await bed.serve('B');
  assert.equal((await cli(bDir, ['get', first['url'] as string, '--timeout', '60']))['text'], '# first\n\nOpen late.\n');
  assert.equal((await cli(bDir, ['get', second['url'] as string, '--timeout', '60']))['text'], '# second\n\nOpen late.\n');
  const evicted = await b.process.waitFor((m) => m['event'] === 'evicted', 'the eviction', 20_000);
  assert.equal(evicted['versions'], 1);
  assert.equal(fs.existsSync(path.join(bDir, 'content', first['infohash'] as string)), false, 'the first version read is gone');
  assert.equal(fs.existsSync(path.join(bDir, 'content', second['infohash'] as string)), true, 'the second one is kept');
});

test('serve reports a malformed settings.json and runs with the defaults', async () => {
  const dataDir = path.join(bed.dir, 'bad');
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(dataDir, 'settings.json'), '{"uploadKBps": "fast"}');
  const node = await bed.serve('bad');
  const warning = node.process.messages.find((m) => m['event'] === 'warning' && m['code'] === 'ERR_SETTINGS');
  assert.ok(warning !== undefined, node.process.stdout);
  assert.match(warning['message'] as string, /settings\.json: the upload limit \(KB\/s\) must be a whole number from 0 to \d+, not "fast"; the default settings are used/);
});
