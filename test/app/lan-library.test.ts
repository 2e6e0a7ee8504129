/**
 * "Sites near me" in the real window on a real LAN (network namespaces on one bridge, the
 * DHT off everywhere): the app runs in one host, `swarmpress serve` in two others; the
 * library lists the site both serve nodes announce over mDNS with its seq and how many
 * nodes carry it, and opening the row reads the site from them. The window reaches the
 * private Xvfb through its socket file (the abstract socket is per network namespace).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { grabWindow, pageText, untilDump, writeFiles } from '../helpers/app-window.js';
import { hostArgs, LAN_NODE_ENV, runOnHost, serveOnHost } from '../helpers/lan-nodes.js';
import { createLan, netnsUnavailable, type Lan, type LanHost } from '../helpers/netns.js';
import { REPO_ROOT, SWARMPRESS_BIN, type Message } from '../helpers/process.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';
import { findWindow, focusWindow, pressKeys, typeText } from '../helpers/xdotool.js';
import { startXvfb, type XServer } from '../helpers/xvfb.js';

const unavailable = await netnsUnavailable();
const skip = unavailable === undefined ? false : `needs network namespaces: ${unavailable}`;

let lan: Lan;
let dir: string;
let x: XServer;

before(async () => {
  if (skip !== false) return;
  dir = makeTempDir('swarmpress-lan-library-');
  x = await startXvfb();
  lan = await createLan(3);
});
after(async () => {
  if (skip !== false) return;
  await lan.close();
  await x.stop();
  removeDir(dir);
});

/** Runs a swarmpress command inside `host` (handed to the serve node of `dataDir`); its last JSON line. */
async function cli(host: LanHost, dataDir: string, args: readonly string[]): Promise<Message> {
  return (await runOnHost(host, dataDir, args)).at(-1) ?? {};
}

test('the library lists the sites LAN neighbours announce, with their seq and how many carry them; opening one reads it from them', { skip, timeout: 180_000 }, async () => {
  const [hostA, hostB, hostApp] = lan.hosts;
  assert.ok(hostA !== undefined && hostB !== undefined && hostApp !== undefined);
  const [a, b] = [path.join(dir, 'a'), path.join(dir, 'b')];
  await Promise.all([serveOnHost(hostA, a), serveOnHost(hostB, b)]);
  const site = writeFiles(path.join(dir, 'site'), { 'index.md': '---\ntitle: Village news\n---\n# Village news\n\nThe well is fixed.\n' });
  const published = await cli(hostA, a, ['publish', site]);
  const url = published['url'] as string;
  // B reads it and follows it, and so announces it too (a site only read is never announced).
  assert.equal((await cli(hostB, b, ['get', url]))['source'], 'lan');
  assert.equal((await cli(hostB, b, ['follow', url]))['event'], 'followed');

  const app = hostApp.startNode([SWARMPRESS_BIN, ...hostArgs(hostApp, path.join(dir, 'app'))], {
    env: { ...LAN_NODE_ENV, DISPLAY: x.display, SWARMPRESS_AUTOMATION: '1' },
    cwd: REPO_ROOT,
  });
  await app.waitFor((m) => m['automation'] === 'ready', 'the first painted page', 30_000);
  await focusWindow(x.display, await findWindow(x.display, 'Welcome to swarmpress — swarmpress'));
  await pressKeys(x.display, 'ctrl+b');
  const row = 'Village news (v1) — 2 nodes nearby';
  const listed = await untilDump(app, (dump) => ((dump['library'] as string[] | undefined) ?? []).includes(row), 'the site in "Sites near me"', 60_000);
  const rows = listed['library'] as string[];
  assert.deepEqual(rows.slice(rows.indexOf('Sites near me'), rows.indexOf('Blocked')), ['Sites near me', row]);
  await grabWindow(app, 'app-library-near-me.png');

  // A new version on A: the row follows the seq the neighbours announce.
  writeFiles(site, { 'index.md': '---\ntitle: Village news\n---\n# Village news\n\nThe well is fixed. The bridge too.\n' });
  assert.equal((await cli(hostA, a, ['publish', site]))['seq'], '2');
  await untilDump(app, (dump) => ((dump['library'] as string[] | undefined) ?? []).some((text) => /^Village news \(v2\) — [12] nodes? nearby$/.test(text)), 'seq 2 announced', 60_000);

  await typeText(x.display, 'Village');
  await pressKeys(x.display, 'Return');
  const page = await untilDump(app, (dump) => pageText(dump).includes('The bridge too.'), 'the site read from the LAN', 60_000);
  assert.equal(page['address'], url);
  assert.match(page['status'] as string, /^Version 2 of Village news, from .+ \(from a LAN neighbour\)\.$/);
  await grabWindow(app, 'app-lan-site.png');
  app.send({ cmd: 'close' });
  assert.deepEqual(await app.waitExit(30_000), { code: 0, signal: null }, app.stderr);
});
