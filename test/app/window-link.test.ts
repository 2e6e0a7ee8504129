/**
 * One node per data folder (src/app/window-link.ts): a window opened while `swarmpress
 * serve` runs there takes its node over, and serve runs it again once the window has ended;
 * `swarmpress URL` run again while the window is open shows URL in that window and ends
 * (what a second `bittorrent:` link opened by the desktop does). Real processes under a
 * private Xvfb, on a private DHT on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { appTestbed } from '../helpers/app-testbed.js';
import { grabWindow, pageText, untilDump, writeFiles } from '../helpers/app-window.js';
import { localArgs, runCli, startServe } from '../helpers/nodes.js';
import { startSwarmpress } from '../helpers/process.js';

const bed = appTestbed('swarmpress-window-link-');

test('a window opened on the data folder of a running serve takes its node over; a second `swarmpress URL` opens in that window; serve runs again when the window closes', async () => {
  const site = writeFiles(path.join(bed.root, 'site'), { 'index.md': '# Linked garden\n\nOpened by a second link.\n' });
  const author = await startServe(path.join(bed.root, 'author'), bed.port);
  bed.running.push(author);
  const published = await runCli(['publish', site, '--json', '--data-dir', author.dataDir, ...localArgs(bed.port)]);
  assert.equal(published.code, 0, published.stderr);
  const url = published.messages.at(-1)?.['url'] as string;

  const reader = await startServe(path.join(bed.root, 'reader'), bed.port);
  bed.running.push(reader);
  const app = startSwarmpress(['--data-dir', reader.dataDir, ...localArgs(bed.port)], { DISPLAY: bed.x.display });
  bed.apps.push(app);
  await app.waitFor((m) => m['automation'] === 'ready', 'the first painted page', 30_000);
  await reader.process.waitFor((m) => m['event'] === 'handed-over', 'serve to hand its node over');

  // The second link: it ends at once, and the window shows the page, fetched by the node the
  // window runs now.
  const second = startSwarmpress([url, '--data-dir', reader.dataDir, ...localArgs(bed.port)], { DISPLAY: bed.x.display });
  const exit = await second.waitExit(30_000);
  assert.equal(exit.code, 0, second.stderr);
  assert.match(second.stderr, new RegExp(`opened ${url} in the running window \\(pid ${String(app.child.pid)}\\)`));
  const page = await untilDump(app, (dump) => pageText(dump).includes('Opened by a second link.'), 'the linked page in the first window', 60_000);
  assert.equal(page['address'], url);
  await grabWindow(app, 'window-link-second-link.png');

  // The window closes: serve's node runs again, and answers the data folder's commands.
  app.child.kill('SIGTERM');
  assert.equal((await app.waitExit(30_000)).code, 0, app.stderr);
  await reader.process.waitFor((m) => m['event'] === 'resumed', 'serve to run its node again', 30_000);
  const follow = await runCli(['follow', url, '--json', '--data-dir', reader.dataDir, ...localArgs(bed.port)]);
  assert.equal(follow.code, 0, follow.stderr);
  assert.equal(reader.process.child.exitCode, null, 'serve still runs');
});

test('a malformed bittorrent: or magnet: link opens the window, whose status says what is wrong with it, not an error nobody sees on stderr', async () => {
  const app = startSwarmpress(['magnet:?dn=nothing-to-fetch', '--data-dir', path.join(bed.root, 'malformed'), ...localArgs(bed.port)], { DISPLAY: bed.x.display });
  bed.apps.push(app);
  await app.waitFor((m) => m['automation'] === 'ready', 'the first painted page', 30_000);
  const dump = await untilDump(app, (shown) => /is not an address swarmpress opens/.test(String(shown['status'])), 'the status about the link');
  assert.match(String(dump['status']), /^'magnet:\?dn=nothing-to-fetch' is not an address swarmpress opens: /);
});

test('serve started while a window runs on its data folder waits for it, and starts its node once the window has closed', async () => {
  const dataDir = path.join(bed.root, 'window-first');
  const app = startSwarmpress(['--data-dir', dataDir, ...localArgs(bed.port)], { DISPLAY: bed.x.display });
  bed.apps.push(app);
  await app.waitFor((m) => m['automation'] === 'ready', 'the first painted page', 30_000);
  const serve = startSwarmpress(['serve', '--json', '--data-dir', dataDir, ...localArgs(bed.port)], { DISPLAY: '', WAYLAND_DISPLAY: '' });
  bed.apps.push(serve);
  await serve.waitFor((m) => m['event'] === 'waiting', 'serve to wait for the window');
  assert.equal(serve.messages.some((m) => m['event'] === 'started'), false, 'no second node while the window runs');
  app.child.kill('SIGTERM');
  assert.equal((await app.waitExit(30_000)).code, 0, app.stderr);
  await serve.waitFor((m) => m['event'] === 'started', 'serve to start its node after the window', 30_000);
  serve.child.kill('SIGTERM');
  assert.equal((await serve.waitExit(30_000)).code, 0, serve.stderr);
});
