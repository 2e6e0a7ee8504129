/**
 * Site information and the library's Blocked section in the real app under a private Xvfb,
 * driven with xdotool against a second node (`swarmpress serve`) on a private DHT of ten
 * libtorrent nodes on 127.0.0.1: Ctrl+I shows the key, the version's infohash and seq, the
 * peers of its swarm, the history; an older version opens from the store after the other
 * node has stopped; the site is blocked from the Site menu and unblocked from the library.
 * Screenshots of the dialog and the library are kept as artifacts.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { appTestbed } from '../helpers/app-testbed.js';
import { grabWindow, pageText, untilDump, writeFiles } from '../helpers/app-window.js';
import { localArgs, runCli, startServe } from '../helpers/nodes.js';
import { startSwarmpress, type Message } from '../helpers/process.js';
import { findWindow, focusWindow, pressKeys, typeText } from '../helpers/xdotool.js';

const bed = appTestbed('swarmpress-site-info-');

const WELCOME_TITLE = 'Welcome to swarmpress — swarmpress';

async function publish(dataDir: string, folder: string): Promise<Message> {
  const result = await runCli(['publish', folder, '--json', '--data-dir', dataDir, ...localArgs(bed.port)]);
  assert.equal(result.code, 0, `exit ${String(result.code ?? result.signal)}: ${result.stderr}`);
  const message = result.messages.at(-1);
  assert.ok(message !== undefined, result.stdout);
  return message;
}

interface SiteInfoDump {
  readonly windowTitle: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly history: readonly string[];
  readonly clipboard: string;
}

function siteInfo(dump: Message): SiteInfoDump | undefined {
  return dump['siteInfo'] as SiteInfoDump | undefined;
}

async function typeAddress(title: string, address: string): Promise<void> {
  await focusWindow(bed.x.display, await findWindow(bed.x.display, title));
  await pressKeys(bed.x.display, 'ctrl+l');
  await typeText(bed.x.display, `${address}\n`, 4);
}

test('Ctrl+I: key, seq, infohash, peers and history of the site shown; an older version opens offline; block from the Site menu, unblock from the library', async (t) => {
  const site = writeFiles(path.join(bed.root, 'site'), { 'index.md': '---\ntitle: Garden notes\n---\n# Garden notes\n\nFirst season.\n' });
  const b = await startServe(path.join(bed.root, 'B'), bed.port);
  bed.running.push(b);
  const v0 = await publish(b.dataDir, site);
  const url = v0['url'] as string;
  const key = url.slice('bittorrent://'.length);
  const app = startSwarmpress(['--data-dir', path.join(bed.root, 'app'), ...localArgs(bed.port)], { DISPLAY: bed.x.display, SWARMPRESS_POLL_SECONDS: '3600' });
  bed.apps.push(app);
  await app.waitFor((m) => m['automation'] === 'ready', 'the first painted page', 30_000);

  // The welcome page belongs to no site: Ctrl+I says so.
  await focusWindow(bed.x.display, await findWindow(bed.x.display, WELCOME_TITLE));
  await pressKeys(bed.x.display, 'ctrl+i');
  await untilDump(app, (dump) => dump['status'] === 'Site information: this page belongs to no site.', 'no site information on the welcome page');
  await typeAddress(WELCOME_TITLE, url);
  await untilDump(app, (dump) => pageText(dump).includes('First season.'), 'version 1');
  writeFiles(site, { 'index.md': '---\ntitle: Garden notes\n---\n# Garden notes\n\nSecond season: beans.\n' });
  const v1 = await publish(b.dataDir, site);
  assert.equal(v1['seq'], '2');
  await pressKeys(bed.x.display, 'F5');
  await untilDump(app, (dump) => pageText(dump).includes('Second season: beans.'), 'version 2 after F5');

  // Site information: the peer count is live (B is in version 1's swarm with the app).
  await pressKeys(bed.x.display, 'ctrl+i');
  const opened = await untilDump(app, (dump) => /^[1-9]\d* peers? connected$/.test(siteInfo(dump)?.fields['peers'] ?? ''), 'the site information with a peer connected');
  const info = siteInfo(opened);
  assert.ok(info !== undefined);
  t.diagnostic(`site information: ${JSON.stringify(info.fields)}`);
  assert.equal(info.windowTitle, 'Site information — Garden notes');
  assert.equal(info.fields['key'], key);
  assert.equal(info.fields['infohash'], v1['infohash']);
  assert.equal(info.fields['seq'], '2');
  assert.match(info.fields['lastUpdate'] ?? '', /^version 2 published .+, received here .+$/);
  assert.match(info.fields['cacheSize'] ?? '', /^\d+(\.\d)? (bytes|KB) in 2 versions$/);
  assert.equal(info.history.length, 2);
  assert.match(info.history[0] ?? '', new RegExp(`^version 2 — .+ — ${(v1['infohash'] as string).slice(0, 12)}…  \\(shown\\)$`));
  assert.match(info.history[1] ?? '', new RegExp(`^version 1 — .+ — ${(v0['infohash'] as string).slice(0, 12)}…$`));
  await grabWindow(app, 'app-site-info.png', 'site-info');

  // The other node goes away; version 1 opens from the store, saying so.
  await b.stop();
  bed.running.splice(bed.running.indexOf(b), 1);
  await untilDump(app, (dump) => siteInfo(dump)?.fields['peers'] === '0 peers connected', 'the peer count after the other node left');
  await focusWindow(bed.x.display, await findWindow(bed.x.display, 'Site information — Garden notes'));
  await pressKeys(bed.x.display, 'Down');
  await pressKeys(bed.x.display, 'Return');
  const old = await untilDump(app, (dump) => pageText(dump).includes('First season.'), 'version 1 from the history');
  assert.match(old['status'] as string, /^stored copy, version 1, from .+ \(from the site's history, not fetched\)$/);
  assert.equal(old['address'], url);
  const moved = await untilDump(app, (dump) => siteInfo(dump)?.fields['seq'] === '1', 'the site information following the version shown');
  assert.equal(siteInfo(moved)?.fields['infohash'], v0['infohash']);
  assert.match(siteInfo(moved)?.history[1] ?? '', /\(shown\)$/);
  await grabWindow(app, 'app-site-info-old-version.png');

  // The key is copyable (Alt+C: Copy key).
  await pressKeys(bed.x.display, 'alt+c');
  await untilDump(app, (dump) => siteInfo(dump)?.clipboard === key, 'the key on the clipboard');
  await pressKeys(bed.x.display, 'Escape');
  await untilDump(app, (dump) => siteInfo(dump) === undefined, 'the site information closed');

  // Block from the Site menu; the library lists the block; Delete on it lifts it.
  await focusWindow(bed.x.display, await findWindow(bed.x.display, 'Garden notes — swarmpress'));
  await pressKeys(bed.x.display, 'alt+s');
  await pressKeys(bed.x.display, 'b');
  const blocked = await untilDump(app, (dump) => pageText(dump).startsWith('Blocked'), 'the blocked page');
  assert.deepEqual((blocked['navigation'] as { actions: string[] }).actions, [], 'no site actions on the blocked page');
  assert.match(blocked['status'] as string, /^Blocked Garden notes: /);
  await pressKeys(bed.x.display, 'ctrl+b');
  const library = await untilDump(app, (dump) => ((dump['library'] as string[] | undefined) ?? []).includes('Garden notes (author and site)'), 'the block in the library');
  const rows = library['library'] as string[];
  assert.deepEqual(rows.slice(rows.indexOf('Sites near me')), ['Sites near me', '   LAN discovery is off (--no-lan).', 'Blocked', 'Garden notes (author and site)']);
  await typeText(bed.x.display, 'Garden');
  const current = await untilDump(app, (dump) => (dump['libraryCurrent'] as { row?: string } | undefined)?.row === 'Garden notes (author and site)', 'the blocked row selected');
  assert.equal((current['libraryCurrent'] as { canUnblock: boolean }).canUnblock, true);
  await grabWindow(app, 'app-library-blocked.png');
  await pressKeys(bed.x.display, 'Delete');
  const lifted = await untilDump(app, (dump) => ((dump['library'] as string[] | undefined) ?? []).at(-1) === '   nothing blocked', 'the block lifted');
  assert.match(lifted['status'] as string, /^Unblocked Garden notes: /);

  // Unblocked, the site opens again (the stored newest version: its record is still on the DHT).
  await typeAddress('Blocked — swarmpress', url);
  const again = await untilDump(app, (dump) => pageText(dump).includes('Second season: beans.'), 'the site again after unblocking');
  assert.deepEqual((again['navigation'] as { actions: string[] }).actions, ['Follow', 'Block', 'Reply']);

  app.send({ cmd: 'close' });
  assert.deepEqual(await app.waitExit(30_000), { code: 0, signal: null }, app.stderr);
});
