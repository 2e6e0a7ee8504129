/**
 * Block lists and mutes in the real app under a private Xvfb, driven with xdotool, against
 * two `swarmpress serve` nodes on a private DHT on 127.0.0.1: A publishes a block list that
 * blocks B's site "spam"; the app subscribes to it from the Site menu, after which "spam"
 * does not open; the library's Blocked section lists the list (Unsubscribe). B's site
 * "noisy", which replied to A's page, is muted from the Site menu: its page opens with a
 * notice and Unmute, its reply leaves A's thread, it leaves the followed list, and Delete on
 * its library row unmutes it. Screenshots of the library
 * with the list and of the muted page are kept as artifacts.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { appTestbed } from '../helpers/app-testbed.js';
import { grabWindow, pageText, untilDump, writeFiles } from '../helpers/app-window.js';
import { localArgs, runCli, startServe } from '../helpers/nodes.js';
import { startSwarmpress, type Message } from '../helpers/process.js';
import { findWindow, focusWindow, pressKeys, typeText } from '../helpers/xdotool.js';

const bed = appTestbed('swarmpress-social-');

async function cli(dataDir: string, args: readonly string[]): Promise<readonly Message[]> {
  const result = await runCli([...args, '--json', '--data-dir', dataDir, ...localArgs(bed.port)]);
  assert.equal(result.code, 0, `${args.join(' ')}: exit ${String(result.code ?? result.signal)}: ${result.stderr}`);
  return result.messages;
}

async function publish(dataDir: string, folder: string, site?: string): Promise<string> {
  const published = (await cli(dataDir, ['publish', folder, ...(site === undefined ? [] : ['--site', site])])).find((m) => m['event'] === 'published');
  assert.ok(published !== undefined);
  return published['url'] as string;
}

async function typeAddress(title: string, address: string): Promise<void> {
  await focusWindow(bed.x.display, await findWindow(bed.x.display, title));
  await pressKeys(bed.x.display, 'ctrl+l');
  await typeText(bed.x.display, `${address}\n`, 4);
}

function library(dump: Message): string[] {
  return (dump['library'] as string[] | undefined) ?? [];
}

test('subscribe to a block list and mute a site from the Site menu; the library lists both and lifts them', async () => {
  const a = await startServe(path.join(bed.root, 'A'), bed.port);
  const b = await startServe(path.join(bed.root, 'B'), bed.port);
  bed.running.push(a, b);
  const spam = await publish(b.dataDir, writeFiles(path.join(bed.root, 'spam'), { 'index.md': '---\ntitle: Spam\n---\n# Spam\n\nBuy now.\n' }), 'spam');
  await publish(a.dataDir, writeFiles(path.join(bed.root, 'curated'), { 'index.md': '---\ntitle: Curated\n---\n# Curated\n\nGood reading.\n' }));
  await cli(a.dataDir, ['block', spam]);
  const curated = (await cli(a.dataDir, ['block-list', 'publish', 'on'])).find((m) => m['event'] === 'published')?.['url'] as string;
  // Noisy replies to Curated's home page.
  const noisy = await publish(b.dataDir, writeFiles(path.join(bed.root, 'noisy'), { 'index.md': '---\ntitle: Noisy\n---\n# Noisy\n\nShouting.\n' }), 'noisy');
  const reply = writeFiles(path.join(bed.root, 'reply'), { 'reply.md': '# Re: Curated, LOUDLY\n\nMore shouting.\n' });
  await cli(b.dataDir, ['post', path.join(reply, 'reply.md'), '--reply-to', curated, '--site', 'noisy']);

  const app = startSwarmpress(['--data-dir', path.join(bed.root, 'app'), ...localArgs(bed.port)], { DISPLAY: bed.x.display, SWARMPRESS_POLL_SECONDS: '3600' });
  bed.apps.push(app);
  await app.waitFor((m) => m['automation'] === 'ready', 'the first painted page', 30_000);

  // Spam opens before the subscription.
  await typeAddress('Welcome to swarmpress — swarmpress', spam);
  await untilDump(app, (dump) => pageText(dump).includes('Buy now.'), 'the spam site before subscribing');

  // Site → Subscribe to this site's block list, on Curated.
  await typeAddress('Spam — swarmpress', curated);
  const shown = await untilDump(app, (dump) => pageText(dump).includes('Good reading.'), 'the curated site');
  assert.deepEqual(shown['siteMenu'], ['Block this site', 'Mute this site', "Subscribe to this site's block list"]);
  await pressKeys(bed.x.display, 'alt+s');
  await pressKeys(bed.x.display, 'l');
  const subscribed = await untilDump(app, (dump) => /^Subscribed to the block list of Curated/.test(dump['status'] as string), 'the subscription');
  assert.equal(subscribed['status'], 'Subscribed to the block list of Curated: 2 blocks.');
  assert.deepEqual(subscribed['siteMenu'], ['Block this site', 'Mute this site', "Unsubscribe from this site's block list"]);

  // Spam is blocked now.
  await typeAddress('Curated — swarmpress', spam);
  const refused = await untilDump(app, (dump) => pageText(dump).startsWith('Not found'), 'spam refused');
  assert.match(pageText(refused), /is blocked/);

  // Noisy: follow it, then mute it from the Site menu; its page says so and offers Unmute.
  await typeAddress('Not found — swarmpress', noisy);
  await untilDump(app, (dump) => pageText(dump).includes('Shouting.'), 'the noisy site');
  await pressKeys(bed.x.display, 'ctrl+d');
  await untilDump(app, (dump) => /^Following Noisy/.test(dump['status'] as string), 'Noisy followed');
  await typeAddress('Noisy — swarmpress', curated);
  const replied = await untilDump(app, (dump) => pageText(dump).includes('Replies (1)'), "Curated with Noisy's reply");
  assert.ok(pageText(replied).includes('Re: Curated, LOUDLY'));
  await pressKeys(bed.x.display, 'alt+Left');
  await untilDump(app, (dump) => pageText(dump).includes('Shouting.'), 'back on Noisy');
  await pressKeys(bed.x.display, 'alt+s');
  await pressKeys(bed.x.display, 'm');
  const muted = await untilDump(app, (dump) => pageText(dump).includes('You muted this site') && /^Muted Noisy/.test(dump['status'] as string), 'the muted page with its notice');
  assert.ok(pageText(muted).includes('Shouting.'), 'a muted page still opens');
  assert.deepEqual(muted['siteMenu'], ['Block this site', 'Unmute this site', "Subscribe to this site's block list"]);
  await grabWindow(app, 'app-muted-page.png');

  // Its reply is left out of Curated's thread while it is muted (it was listed before).
  await typeAddress('Noisy — swarmpress', curated);
  const thread = await untilDump(app, (dump) => pageText(dump).includes('Good reading.'), 'Curated with Noisy muted');
  assert.ok(!pageText(thread).includes('LOUDLY'), `the muted reply is not listed: ${pageText(thread)}`);
  await pressKeys(bed.x.display, 'alt+Left');
  await untilDump(app, (dump) => pageText(dump).includes('You muted this site'), 'back on the muted page');

  // The library: Noisy is not among the followed sites; the Blocked section lists the list and the mute.
  await pressKeys(bed.x.display, 'ctrl+b');
  const listed = await untilDump(app, (dump) => library(dump).includes('Noisy (muted)'), 'the library with the list and the mute');
  const rows = library(listed);
  assert.deepEqual(rows.slice(rows.indexOf('Blocked')), ['Blocked', 'Block list of Curated: 2 blocks', 'Noisy (muted)']);
  assert.ok(!rows.slice(0, rows.indexOf('Your sites')).some((row) => row.includes('Noisy')), `muted sites are not listed as followed: ${rows.join(' | ')}`);
  await typeText(bed.x.display, 'Block list');
  const current = await untilDump(app, (dump) => (dump['libraryCurrent'] as { row?: string } | undefined)?.row === 'Block list of Curated: 2 blocks', 'the list row selected');
  assert.deepEqual(current['libraryCurrent'], { row: 'Block list of Curated: 2 blocks', canUnblock: true, button: 'Unsubscribe' });
  await grabWindow(app, 'app-library-block-list.png');

  // Delete on the list's row unsubscribes; Delete on the mute's row unmutes (and the page loses its notice).
  await pressKeys(bed.x.display, 'Delete');
  const unsubscribed = await untilDump(app, (dump) => !library(dump).some((row) => row.startsWith('Block list')), 'the list unsubscribed');
  assert.match(unsubscribed['status'] as string, /^No longer using the block list of Curated/);
  await pressKeys(bed.x.display, 'End');
  await untilDump(app, (dump) => (dump['libraryCurrent'] as { button?: string } | undefined)?.button === 'Unmute', 'the mute row selected');
  await pressKeys(bed.x.display, 'Delete');
  const unmuted = await untilDump(app, (dump) => /^Unmuted Noisy/.test(dump['status'] as string) && !pageText(dump).includes('You muted'), 'unmuted, the page shown again without its notice');
  assert.deepEqual(library(unmuted).slice(0, 2), ['Followed sites', 'Noisy (v2)'], 'followed and listed again (v2: with the reply)');
  assert.equal(library(unmuted).at(-1), '   nothing blocked');
  await typeAddress('Noisy — swarmpress', spam);
  await untilDump(app, (dump) => pageText(dump).includes('Buy now.'), 'spam opens again after unsubscribing');

  app.send({ cmd: 'close' });
  assert.deepEqual(await app.waitExit(30_000), { code: 0, signal: null }, app.stderr);
});
