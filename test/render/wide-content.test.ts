/**
 * Wide content through `swarmpress render` (issue #22): a 300-character word, a 12-column
 * table, a long line of code and of raw HTML, rendered 600 px wide. The dump reads back every
 * word and cell whole; the table is as wide as its cells need and scrolls sideways, and at
 * 2,000 px it fits and does not; the PNG (kept as an artifact) is the column's width.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { PNG } from 'pngjs';
import { artifactPath } from '../helpers/artifacts.js';
import { REPO_ROOT, SWARMPRESS_BIN } from '../helpers/process.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';

let dir: string;
before(() => {
  dir = makeTempDir('swarmpress-wide-');
});
after(() => {
  removeDir(dir);
});

const WORD = 'Honorificabilitudinitatibus'.repeat(12).slice(0, 300);
const COLUMNS = 12;
const CODE = `let x = "${'y'.repeat(250)}";`;
const HTML = `<div>${'h'.repeat(220)}</div>`;

function page(): string {
  const cells = (make: (c: number) => string): string => `| ${Array.from({ length: COLUMNS }, (_, c) => make(c + 1)).join(' | ')} |`;
  return [`# Wide`, '', `Before ${WORD} after.`, '', cells((c) => `Heading ${c}`), `|${'---|'.repeat(COLUMNS)}`, cells((c) => `cell ${c}`), '', '```', CODE, '```', '', HTML, ''].join('\n');
}

interface Widget {
  role: string;
  text: string;
  style: Record<string, unknown>;
  cells?: string[][];
}

function render(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const file = path.join(dir, 'wide.md');
  fs.writeFileSync(file, page());
  const result = spawnSync(process.execPath, [SWARMPRESS_BIN, '--data-dir', dir, 'render', file, ...args], {
    cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, DISPLAY: '' }, maxBuffer: 16 * 1024 * 1024,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function dump(width: number): Widget[] {
  const result = render(['--dump', '--json', '--width', String(width)]);
  assert.equal(result.code, 0, result.stderr);
  return (JSON.parse(result.stdout) as { widgets: Widget[] }).widgets;
}

test('600 px wide: the long word, every cell, the code and the raw HTML read back whole; the table scrolls sideways', () => {
  const widgets = dump(600);
  assert.equal(widgets.find((w) => w.role === 'paragraph')?.text, `Before ${WORD} after.`);
  const table = widgets.find((w) => w.role === 'table');
  assert.deepEqual(table?.cells, [Array.from({ length: COLUMNS }, (_, c) => `Heading ${c + 1}`), Array.from({ length: COLUMNS }, (_, c) => `cell ${c + 1}`)]);
  assert.equal(table.style['scrolls'], true);
  assert.ok(Number(table.style['gridWidth']) > 600, `the grid is ${String(table.style['gridWidth'])} px wide`);
  assert.equal(widgets.find((w) => w.role === 'code')?.text, CODE);
  assert.equal(widgets.find((w) => w.role === 'literal')?.text, HTML);
});

test('2,000 px wide: the same table fits and does not scroll', () => {
  const table = dump(2000).find((w) => w.role === 'table');
  assert.equal(table?.style['scrolls'], false);
  assert.ok(Number(table.style['gridWidth']) <= 2000, `the grid is ${String(table.style['gridWidth'])} px wide`);
});

test('--png at 600 px is the column wide, with the whole page in it', () => {
  const out = artifactPath('render-wide-600.png');
  const result = render(['--png', out, '--width', '600']);
  assert.equal(result.code, 0, result.stderr);
  const png = PNG.sync.read(fs.readFileSync(out));
  assert.equal(png.width, 600);
  assert.ok(png.height > 300, `${png.height} px high`);
});
