/**
 * The window's start-up read-ahead (bin/swarmpress.js, native/src/preload/preload.cpp):
 * which command lines open the window, and that readAhead really brings a file that is
 * not in memory into the page cache, from a thread of its own. And its malloc arena
 * limit: threads started after it share the arenas there are.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { COMMAND_WORDS, opensWindow } from '../../src/app/command-words.js';
import { parseCommandLine } from '../../src/app/cli.js';
import { REPO_ROOT } from '../helpers/process.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';
import { until } from '../helpers/until.js';

const PRELOAD_PATH = path.join(REPO_ROOT, 'native/build/Release/swarmpress_preload.node');
const preload = createRequire(import.meta.url)(PRELOAD_PATH) as { readAhead: (paths: unknown) => boolean; limitArenas: (arenas: unknown) => boolean };

let root: string;
before(() => {
  root = makeTempDir('swarmpress-preload-');
});
after(() => {
  removeDir(root);
});

test('the window opens, and is read ahead for, exactly when no command word is given', () => {
  for (const argv of [[], ['bittorrent://' + 'a'.repeat(64)], ['--kiosk', 'bittorrent://' + 'a'.repeat(64)], ['--data-dir', '/tmp/x', '--no-dht']]) {
    assert.equal(opensWindow(argv), true, argv.join(' '));
    assert.equal(parseCommandLine(argv).command.name, 'window', argv.join(' '));
  }
  const url = `bittorrent://${'a'.repeat(64)}`;
  const operands: Readonly<Record<(typeof COMMAND_WORDS)[number], readonly string[]>> = {
    publish: ['site/'], post: ['post.md'], get: [url], follow: [url], unfollow: [url], block: [url], unblock: [url], mute: [url], unmute: [url],
    'block-list': ['list'], serve: [], render: ['page.md', '--dump'], identity: ['show'], sites: [], search: ['bees'], history: [url], help: [],
  };
  for (const word of COMMAND_WORDS) {
    const argv = [word, ...operands[word]];
    assert.equal(opensWindow(argv), false, argv.join(' '));
    assert.equal(parseCommandLine(argv).command.name, word, `${word} is a command the parser knows`);
  }
  for (const flag of ['--help', '-h', '--version', '-V']) assert.equal(opensWindow([flag]), false, flag);
});

/** Bytes of `file` in the page cache (util-linux fincore). */
function resident(file: string): number {
  return Number(execFileSync('fincore', ['--bytes', '--noheadings', '--output', 'RES', file], { encoding: 'utf8' }).trim());
}

test('readAhead reads files into the page cache in the background; missing files are skipped; bad input is a TypeError', async () => {
  const file = path.join(root, 'library.so');
  fs.writeFileSync(file, Buffer.alloc(8 * 1024 * 1024, 7));
  const fd = fs.openSync(file, 'r');
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  // Out of the page cache (dd's nocache flag: posix_fadvise DONTNEED on a clean file).
  execFileSync('dd', [`if=${file}`, 'iflag=nocache', 'count=0', 'status=none']);
  assert.ok(resident(file) < 1024 * 1024, `evicted first (${resident(file)} bytes resident)`);
  assert.equal(preload.readAhead([path.join(root, 'missing.so'), file]), true);
  await until(() => resident(file) === 8 * 1024 * 1024, 'the whole file in the page cache', 10_000, 20);
  assert.throws(() => preload.readAhead('not a list'), TypeError);
});

test("the list 'make build' wrote for the window names files that exist, Qt's first", () => {
  const list = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'dist/bundle/app/preload.json'), 'utf8')) as string[];
  assert.ok(list.some((file) => /libQt6Widgets\.so/.test(file)), list.join(', '));
  for (const file of list) assert.ok(fs.existsSync(path.resolve(REPO_ROOT, file)), file);
});

test('limitArenas: threads started after it share the arenas there are; without it, each allocating thread gets one', () => {
  // Six worker threads each allocate 4 MB in 2 KB blocks (ArrayBuffers: malloc'd in the
  // worker's own thread); the child reports how many arenas glibc has then.
  const child = (limit: number): number => {
    const script = `
      const { Worker } = require('node:worker_threads');
      const preload = require(${JSON.stringify(PRELOAD_PATH)});
      if (${limit} > 0 && !preload.limitArenas(${limit})) throw new Error('mallopt refused');
      const code = "const keep = []; for (let i = 0; i < 2000; i++) keep.push(Buffer.allocUnsafeSlow(2048)); require('node:worker_threads').parentPort.postMessage(keep.length);";
      let done = 0;
      for (let i = 0; i < 6; i++) new Worker(code, { eval: true }).on('message', () => { if (++done === 6) { console.log(preload.mallocArenas()); process.exit(0); } });`;
    return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim());
  };
  const unlimited = child(0);
  const limited = child(2);
  assert.ok(unlimited > 4, `${unlimited} arenas without a limit`);
  assert.ok(limited >= 1 && limited <= 2, `${limited} arenas with a limit of 2`);
  assert.throws(() => preload.limitArenas(0), RangeError);
  assert.throws(() => preload.limitArenas('two'), RangeError);
});
