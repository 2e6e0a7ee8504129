/**
 * `make bench`: runs every benchmark of test/bench and writes bench-results.md and
 * bench-results.json at the top of the repository (or --out-dir). `--smoke` runs each
 * once with tiny sizes, so that `make test` keeps the benchmarks working; its figures
 * mean nothing. `--only NAME,…` runs just those benchmarks (window, app, render, hostile,
 * transfer, resolve, publish, lan, store); through make: `make bench BENCH_ARGS='--only app,window'`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROGRAM_NODE_ENV, REPO_ROOT } from '../helpers/process.js';
import { startXvfb } from '../helpers/xvfb.js';
import { writeReport, type Figure } from './report.js';
import { benchApp } from './app.js';
import { benchHostile } from './hostile.js';
import { benchLan } from './lan.js';
import { benchPublish } from './publish.js';
import { benchRender } from './render.js';
import { benchResolve } from './resolve.js';
import { benchStore } from './store.js';
import { benchTransfer } from './transfer.js';
import { benchWindow } from './window.js';

// `make bench` runs this harness on a copy of the node binary (exec'd, no node process
// above it), and what it measures on the system's own: memory is PSS, which splits each
// shared page among the processes that map it, and with both on one binary the harness
// took half of every page of node's code the measured process touched (measured: the
// app's PSS 15 MB lower than when it runs alone, as it does for a user). Chromium, the
// reference, never shared pages with the harness. The copy is unlinked once running.
const harnessCopy = process.env['SWARMPRESS_HARNESS_COPY'];
if (harnessCopy !== undefined && harnessCopy === process.execPath) fs.rmSync(harnessCopy, { force: true });
const separateHarness = process.env[PROGRAM_NODE_ENV] !== undefined && process.env[PROGRAM_NODE_ENV] !== process.execPath;

const { values } = parseArgs({ options: { smoke: { type: 'boolean' }, 'out-dir': { type: 'string' }, only: { type: 'string' } } });
const smoke = values.smoke === true;
/**
 * Idle is measured from 12 s after the first paint: about 8 s after start-up, V8's memory
 * reducer runs two incremental mark-compacts (~100 ms of CPU in ~95 steps, heap 33 -> 19 MB,
 * seen with --trace-gc). That is start-up work, not idling.
 */
const IDLE_SETTLE_MS = 12_000;
const outDir = values['out-dir'] ?? REPO_ROOT;
/** `--only app,render`: just these benchmarks (while working on one); the default is all. */
const BENCHES = ['window', 'app', 'render', 'hostile', 'transfer', 'resolve', 'publish', 'lan', 'store'];
const only = values.only?.split(',');
for (const name of only ?? []) {
  if (!BENCHES.includes(name)) throw new Error(`--only: there is no benchmark '${name}' (there are ${BENCHES.join(', ')})`);
}
const wanted = (name: string): boolean => only === undefined || only.includes(name);

const figures: Figure[] = [];
if (wanted('window') || wanted('app') || wanted('render') || wanted('hostile')) {
  const x = await startXvfb();
  try {
    if (wanted('window')) {
      process.stderr.write('bench: window (idle CPU, memory, start)...\n');
      figures.push(...(await benchWindow(x, smoke ? { runs: 1, idleMs: 1000, settleMs: 300 } : { runs: 3, idleMs: 10_000, settleMs: IDLE_SETTLE_MS })));
    }
    if (wanted('app')) {
      process.stderr.write('bench: app (a followed site of 1,000 posts open, beside headless Chromium)...\n');
      figures.push(...(await benchApp(x, smoke ? { smoke, runs: 1, settleMs: 300 } : { smoke, runs: 3, settleMs: IDLE_SETTLE_MS })));
    }
    if (wanted('render')) {
      process.stderr.write('bench: render (1 MB Markdown beside Qt setMarkdown and headless Chromium)...\n');
      figures.push(...(await benchRender(x, { smoke })));
    }
    if (wanted('hostile')) {
      process.stderr.write('bench: hostile pages (the worst page of a corpus made to exhaust memory, in the window and render --png)...\n');
      figures.push(...(await benchHostile(x, { smoke })));
    }
  } finally {
    await x.stop();
  }
}
if (wanted('transfer')) {
  process.stderr.write('bench: transfer (1 GiB over loopback beside aria2c and raw TCP, seeding memory)...\n');
  figures.push(...(await benchTransfer({ smoke })));
}
if (wanted('resolve')) {
  process.stderr.write("bench: resolve (a site's newest record on a local DHT beside bittorrent-dht's get)...\n");
  figures.push(...(await benchResolve({ smoke })));
}
if (wanted('publish')) {
  process.stderr.write('bench: publish on A to the new version on B, over the DHT only...\n');
  figures.push(...(await benchPublish({ smoke })));
}
if (wanted('lan')) {
  process.stderr.write('bench: LAN push on hosts in network namespaces, beside DHT polling...\n');
  figures.push(...(await benchLan({ smoke })));
}
if (wanted('store')) {
  process.stderr.write('bench: store (ingest, full-text search, memory)...\n');
  figures.push(...(await benchStore({ smoke })));
}
fs.mkdirSync(outDir, { recursive: true });
const sharing = separateHarness
  ? 'Memory is counted as for a program running alone: the harness ran on a copy of node, so no page of the node binary was shared with what it measured.'
  : 'The harness ran on the same node binary as what it measured (not through `make bench`): PSS figures of node processes are low by the pages they shared with it.';
const note = `${smoke ? 'SMOKE RUN: one tiny iteration each; these figures mean nothing.' : 'Reproduce with `make bench`.'} ${sharing}`;
writeReport(figures, path.join(outDir, 'bench-results.json'), path.join(outDir, 'bench-results.md'), note);
process.stderr.write(`bench: wrote ${path.join(outDir, 'bench-results.md')}\n`);
