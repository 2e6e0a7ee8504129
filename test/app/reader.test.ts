/**
 * Reading, following, writing and discussing in the real app under a private Xvfb, driven
 * like a person (xdotool typing and keys; the automation channel reads back what Qt shows),
 * against a second node (`swarmpress serve`) on a private DHT of ten libtorrent nodes on
 * 127.0.0.1. Screenshots of every window are kept as artifacts.
 */
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import path from 'node:path';
import { test } from 'node:test';
import { appTestbed } from '../helpers/app-testbed.js';
import { editorUntil, grabWindow, pageText, untilDump, writeFiles } from '../helpers/app-window.js';
import { artifactPath } from '../helpers/artifacts.js';
import { startDhtNetwork } from '../helpers/dht-network.js';
import { localArgs, runCli, startServe, type CliResult } from '../helpers/nodes.js';
import { startSwarmpress, type Driven } from '../helpers/process.js';
import { findWindow, focusWindow, pressKeys, typeText } from '../helpers/xdotool.js';

const bed = appTestbed('swarmpress-reader-app-');

const WELCOME_TITLE = 'Welcome to swarmpress — swarmpress';

async function cli(dataDir: string, args: readonly string[]): Promise<Record<string, unknown>> {
  const result: CliResult = await runCli([...args, '--json', '--data-dir', dataDir, ...localArgs(bed.port)]);
  assert.equal(result.code, 0, `exit ${String(result.code ?? result.signal)}: ${result.stderr}`);
  const message = result.messages.at(-1);
  assert.ok(message !== undefined, result.stdout);
  return message;
}

async function startApp(dataDir: string, args: readonly string[] = localArgs(bed.port)): Promise<Driven> {
  const app = startSwarmpress(['--data-dir', dataDir, ...args], { DISPLAY: bed.x.display, SWARMPRESS_POLL_SECONDS: '1' });
  bed.apps.push(app);
  await app.waitFor((m) => m['automation'] === 'ready', 'the first painted page', 30_000);
  return app;
}

/** Types `address` into the address bar (Ctrl+L) of the main window titled `title`. */
async function typeAddress(title: string, address: string): Promise<void> {
  await focusWindow(bed.x.display, await findWindow(bed.x.display, title));
  await pressKeys(bed.x.display, 'ctrl+l');
  await typeText(bed.x.display, `${address}\n`, 4);
}

test('type an address, read the page served by another node, follow it, see its update, reply from the editor; the other node reads the reply, the thread shows it, offline shows the stored copy', async (t) => {
  const site = writeFiles(path.join(bed.root, 'site-b'), {
    'index.md': '---\ntitle: Garden notes\n---\n# Garden notes\n\nWelcome to the garden.\n\n[First post](posts/first.md)\n',
    'posts/first.md': '# First post\n\nTomatoes grow.\n',
  });
  const b = await startServe(path.join(bed.root, 'B'), bed.port);
  bed.running.push(b);
  const published = await cli(b.dataDir, ['publish', site]);
  const url = published['url'] as string;
  const appDir = path.join(bed.root, 'app');
  const spawnedAt = performance.now();
  const app = await startApp(appDir);
  t.diagnostic(`spawn → first paint with the node on a local DHT: ${Math.round(performance.now() - spawnedAt)} ms`);

  // Nothing there: a clear message with what was tried.
  const nobody = `bittorrent://${'ab'.repeat(32)}`;
  await typeAddress(WELCOME_TITLE, nobody);
  const missing = await untilDump(app, (dump) => pageText(dump).startsWith('Not found'), 'the not-found page');
  assert.match(pageText(missing), /no DHT node had a record/);
  assert.equal(missing['navigation'] !== undefined && (missing['navigation'] as { progress: unknown }).progress, null, 'no progress bar once it is over');
  await grabWindow(app, 'app-reader-not-found.png');

  // The site of the other node.
  const openedAt = performance.now();
  await typeAddress('Not found — swarmpress', url);
  const page = await untilDump(app, (dump) => pageText(dump).includes('Welcome to the garden.'), 'the page of the other node');
  t.diagnostic(`address typed → page shown: ${Math.round(performance.now() - openedAt)} ms`);
  assert.equal(page['address'], url);
  assert.equal(page['title'], 'Garden notes — swarmpress');
  assert.match(page['status'] as string, /^Version 1 of Garden notes, from /);
  assert.deepEqual((page['navigation'] as { actions: string[] }).actions, ['Follow', 'Block', 'Reply']);
  await grabWindow(app, 'app-reader-page.png');

  // A page by its path, then back and forward over the history.
  await typeAddress('Garden notes — swarmpress', `${url}/posts/first.md`);
  await untilDump(app, (dump) => pageText(dump).includes('Tomatoes grow.'), 'the post');
  await pressKeys(bed.x.display, 'alt+Left');
  const back = await untilDump(app, (dump) => pageText(dump).includes('Welcome to the garden.'), 'back to the home page');
  assert.equal((back['navigation'] as { canForward: boolean }).canForward, true);
  await pressKeys(bed.x.display, 'alt+Right');
  await untilDump(app, (dump) => pageText(dump).includes('Tomatoes grow.'), 'forward to the post');
  await pressKeys(bed.x.display, 'alt+Left');
  await untilDump(app, (dump) => pageText(dump).includes('Welcome to the garden.'), 'back again');

  // Follow; the other node publishes a new version; the app's node fetches it and says so; F5 shows it.
  await pressKeys(bed.x.display, 'ctrl+d');
  await untilDump(app, (dump) => (dump['navigation'] as { actions: string[] }).actions[0] === 'Unfollow', 'followed');
  writeFiles(site, { 'index.md': '---\ntitle: Garden notes\n---\n# Garden notes\n\nWelcome to the garden. Now with beans.\n\n[First post](posts/first.md)\n' });
  const v1 = await cli(b.dataDir, ['publish', site]);
  assert.equal(v1['seq'], '2');
  const publishedAt = performance.now();
  await untilDump(app, (dump) => /Version 2 of this site arrived/.test(dump['status'] as string), 'the news of version 2');
  t.diagnostic(`published on the other node → the app has version 2: ${Math.round(performance.now() - publishedAt)} ms (polling every second)`);
  await pressKeys(bed.x.display, 'F5');
  await untilDump(app, (dump) => pageText(dump).includes('Now with beans.'), 'version 2 after F5');
  await grabWindow(app, 'app-reader-updated.png');

  // The library lists the followed site; a search over the store finds the post.
  await pressKeys(bed.x.display, 'ctrl+b');
  const library = await untilDump(app, (dump) => Array.isArray(dump['library']) && (dump['library'] as string[]).some((row) => row.startsWith('Garden notes')), 'the library');
  assert.deepEqual((library['library'] as string[]).slice(0, 2), ['Followed sites', 'Garden notes (v2)']);
  await focusWindow(bed.x.display, await findWindow(bed.x.display, 'Garden notes — swarmpress'));
  await pressKeys(bed.x.display, 'Tab');
  const searched = await app.request({ cmd: 'dump' });
  t.diagnostic(`library rows: ${JSON.stringify(searched['library'])}`);
  await grabWindow(app, 'app-library.png');
  await pressKeys(bed.x.display, 'ctrl+b');

  // Reply: the editor opens on "Re: Garden notes"; publishing adds it to the app's own site.
  await pressKeys(bed.x.display, 'ctrl+shift+r');
  const editor = await findWindow(bed.x.display, 'Re: Garden notes — swarmpress');
  await focusWindow(bed.x.display, editor);
  await editorUntil(app, (dump) => dump['title'] === 'Re: Garden notes' && dump['focus'] === 'text', 'the reply editor, the keyboard in the text');
  await typeText(bed.x.display, 'I grow beans too.');
  await editorUntil(app, (dump) => dump['body'] === 'I grow beans too.', 'the reply typed');
  await app.request({ cmd: 'editor', do: 'grab', path: artifactPath('app-reply-editor.png') });
  await pressKeys(bed.x.display, 'ctrl+Return');
  const confirm = await editorUntil(app, (dump) => dump['page'] === 'publish', 'the publish confirmation');
  assert.match((confirm['publish'] as { details: string }).details, /posts\/\d{4}-\d\d-\d\d-re-garden-notes\.md/);
  await app.request({ cmd: 'editor', do: 'grab', path: artifactPath('app-reply-confirm.png') });
  assert.equal((await app.request({ cmd: 'editor', do: 'publishButton', name: 'publish' }))['ok'], true);
  const done = await editorUntil(app, (dump) => ['published', 'failed'].includes((dump['publish'] as { state: string }).state), 'published', 60_000);
  const panel = done['publish'] as { state: string; address: string; details: string };
  assert.equal(panel.state, 'published', panel.details);
  assert.match(panel.address, /^bittorrent:\/\/[0-9a-f]{64}\/posts\/\d{4}-\d\d-\d\d-re-garden-notes\.md$/);
  await app.request({ cmd: 'editor', do: 'grab', path: artifactPath('app-reply-published.png') });
  assert.equal((await app.request({ cmd: 'editor', do: 'publishButton', name: 'done' }))['ok'], true);

  // The other node reads the reply from the app's node.
  const read = await cli(b.dataDir, ['get', panel.address, '--timeout', '60']);
  assert.equal(read['text'], 'I grow beans too.');
  assert.equal(read['title'], 'Re: Garden notes');

  // The original shows its reply under it.
  await focusWindow(bed.x.display, await findWindow(bed.x.display, 'Garden notes — swarmpress'));
  await pressKeys(bed.x.display, 'F5');
  const thread = await untilDump(app, (dump) => pageText(dump).includes('Replies (1)'), 'the reply under the original');
  assert.match(pageText(thread), /Re: Garden notes — /);
  await grabWindow(app, 'app-thread.png');

  app.send({ cmd: 'close' });
  assert.deepEqual(await app.waitExit(30_000), { code: 0, signal: null }, app.stderr);

  // Offline: the stored version, saying so.
  const offline = await startApp(appDir, ['--no-dht', '--no-lan', '--listen', '127.0.0.1:0']);
  await typeAddress(WELCOME_TITLE, url);
  // The stored copy is shown at once ("asking the network…"); then the node says why it stays.
  const stored = await untilDump(offline, (dump) => pageText(dump).includes('Now with beans.') && !String(dump['status']).includes('asking the network'), 'the stored copy');
  assert.match(stored['status'] as string, /^stored copy, version 2, from .+ \(the DHT is switched off\)$/);
  await grabWindow(offline, 'app-reader-offline.png');
  offline.send({ cmd: 'close' });
  assert.deepEqual(await offline.waitExit(30_000), { code: 0, signal: null }, offline.stderr);
});

test('--kiosk URL: fullscreen and read-only; it follows the site and shows a new version by itself', async () => {
  const site = writeFiles(path.join(bed.root, 'site-kiosk'), { 'index.md': '# Notice board\n\nOpen at nine.\n' });
  const b = await startServe(path.join(bed.root, 'K'), bed.port);
  bed.running.push(b);
  const url = (await cli(b.dataDir, ['publish', site]))['url'] as string;
  const app = await startApp(path.join(bed.root, 'kiosk'), ['--kiosk', url, ...localArgs(bed.port)]);
  const first = await untilDump(app, (dump) => pageText(dump).includes('Open at nine.'), 'the kiosk page');
  assert.equal(first['fullScreen'], true);
  assert.deepEqual((first['navigation'] as { actions: string[] }).actions, [], 'no site actions');
  assert.equal(first['library'], undefined);
  app.send({ cmd: 'editor', do: 'dump' });
  await app.waitFor((m) => m['automation'] === 'error' && m['message'] === 'unknown command "editor"', 'no editor in kiosk mode');
  await grabWindow(app, 'app-kiosk.png');
  writeFiles(site, { 'index.md': '# Notice board\n\nOpen at ten.\n' });
  await cli(b.dataDir, ['publish', site]);
  await untilDump(app, (dump) => pageText(dump).includes('Open at ten.'), 'the new version, shown by itself');
  await grabWindow(app, 'app-kiosk-updated.png');
  app.send({ cmd: 'close' });
  assert.deepEqual(await app.waitExit(30_000), { code: 0, signal: null }, app.stderr);
});

test('a stored site is shown at once while a DHT that never answers is asked, and stays when the lookup gives up', async () => {
  // A network of its own, gone before the app starts: nothing the app remembers can answer.
  const ownDht = await startDhtNetwork(3);
  const own = localArgs(ownDht.nodes[0]?.listenPort ?? 0);
  const b = await startServe(path.join(bed.root, 'S'), ownDht.nodes[0]?.listenPort ?? 0);
  const site = writeFiles(path.join(bed.root, 'site-slow'), { 'index.md': '# Field notes\n\nRain again.\n' });
  const appDir = path.join(bed.root, 'slow-app');
  let url: string;
  try {
    const published = await runCli(['publish', site, '--json', '--data-dir', b.dataDir, ...own]);
    assert.equal(published.code, 0, published.stderr);
    url = published.messages.at(-1)?.['url'] as string;
    const followed = await runCli(['follow', url, '--data-dir', appDir, ...own]);
    assert.match(followed.stderr, /fetched version 1/);
  } finally {
    await b.stop();
    await ownDht.close();
  }
  // The app's only DHT node drops every packet.
  const silent = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
  try {
    const app = await startApp(appDir, ['--listen', '127.0.0.1:0', '--dht-bootstrap', `127.0.0.1:${silent.address().port}`, '--no-lan']);
    await typeAddress(WELCOME_TITLE, url);
    const early = await untilDump(app, (dump) => pageText(dump).includes('Rain again.'), 'the stored copy while the DHT is asked', 10_000);
    assert.match(early['status'] as string, /^stored copy, version 1, from .+ \(asking the network for a newer version…\)$/);
    const settled = await untilDump(app, (dump) => !/asking the network/.test(dump['status'] as string), 'the end of the lookup', 60_000);
    assert.match(settled['status'] as string, /^stored copy, version 1, from .+ \((the DHT lookup timed out|no DHT node had a record)\)$/);
    assert.ok(pageText(settled).includes('Rain again.'), 'the stored copy stays');
    app.send({ cmd: 'close' });
    assert.deepEqual(await app.waitExit(30_000), { code: 0, signal: null }, app.stderr);
  } finally {
    silent.close();
  }
});
