/** `swarmpress render` end to end on the sample document and on a hostile page. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { REPO_ROOT, SWARMPRESS_BIN } from '../helpers/process.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';
import { MAX_FILE_BYTES } from '../../src/app/commands/render.js';

let dir: string;
before(() => {
  dir = makeTempDir();
});
after(() => {
  removeDir(dir);
});

interface Widget {
  type: string;
  role: string;
  text: string;
  links: string[];
  style: Record<string, unknown>;
  cells?: string[][];
}

function render(args: string[]): { code: number | null; stdout: string; stderr: string; ms: number } {
  const started = performance.now();
  const result = spawnSync(process.execPath, [SWARMPRESS_BIN, '--data-dir', dir, 'render', ...args], {
    cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, DISPLAY: '' }, maxBuffer: 64 * 1024 * 1024,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, ms: performance.now() - started };
}

test('--dump of the sample: every element, style keys, link targets, table cells, pictures and media from the folder', () => {
  const result = render([path.join(REPO_ROOT, 'assets', 'sample', 'sample.md'), '--dump', '--json']);
  assert.equal(result.code, 0, result.stderr);
  const { widgets } = JSON.parse(result.stdout) as { widgets: Widget[] };
  const roles = new Set(widgets.map((w) => w.role));
  for (const role of ['h1', 'h6', 'paragraph', 'code', 'literal', 'rule', 'table', 'image', 'placeholder', 'media']) assert.ok(roles.has(role), role);
  const paragraph = widgets.find((w) => w.links.length === 4);
  assert.deepEqual(paragraph?.links, ['about.md', `bittorrent://${'a'.repeat(64)}`, 'https://example.org/a?b=c', 'javascript:alert(1)']);
  const table = widgets.find((w) => w.role === 'table');
  assert.ok(table !== undefined);
  assert.deepEqual(table.cells?.[0], ['Left', 'Centre', 'Right']);
  assert.equal(table.style['align'], 'left,center,right');
  assert.equal(widgets.find((w) => w.role === 'image')?.style['format'], 'PNG');
  assert.match(widgets.find((w) => w.role === 'media')?.text ?? '', /clip\.ogg \(39 bytes\)/);
  assert.ok(widgets.some((w) => w.role === 'placeholder' && /not a PNG, JPEG or GIF/.test(w.text)));
  assert.ok(widgets.some((w) => w.role === 'literal' && w.text.includes('<b>not bold</b>') && w.style['format'] === 'plain'));
  const rtl = widgets.filter((w) => w.style['rtl'] === true);
  assert.equal(rtl.length, 2);
  assert.ok(rtl.every((w) => w.style['align'] === 'right'));
});

test('a page that keeps the lexer busy past the time limit is shown as plain text with a notice', () => {
  const file = path.join(dir, 'hostile.md');
  fs.writeFileSync(file, `${'*a '.repeat(40_000)}x${' a*'.repeat(40_000)}`);
  const result = render([file, '--dump', '--json']);
  assert.equal(result.code, 0, result.stderr);
  const { notices, widgets } = JSON.parse(result.stdout) as { notices: string[]; widgets: Widget[] };
  assert.match(notices[0] ?? '', /plain text/);
  assert.equal(widgets[0]?.text, notices[0]);
  assert.ok(widgets.slice(1).every((w) => w.role === 'literal' && w.style['format'] === 'plain'));
  assert.ok(result.ms < 15_000, `${result.ms} ms`);
});

test('input is capped: /dev/zero, a FIFO nobody writes to and a file past the cap are refused at once with a clear message', () => {
  const fifo = path.join(dir, 'fifo.md');
  spawnSync('mkfifo', [fifo]);
  const huge = path.join(dir, 'huge.md');
  fs.writeFileSync(huge, Buffer.alloc(MAX_FILE_BYTES + 1, 0x61));
  for (const [file, message] of [['/dev/zero', /\/dev\/zero is not a file/], [fifo, /fifo\.md is not a file/], [huge, /huge\.md is larger than 16777216 bytes/]] as const) {
    const result = render([file, '--dump']);
    assert.notEqual(result.code, 0, file);
    assert.equal(result.code !== null, true, `${file}: not killed by the time limit`);
    assert.match(result.stderr, message);
    assert.ok(result.ms < 20_000, `${file}: ${result.ms} ms`);
  }
});
