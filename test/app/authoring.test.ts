/**
 * The author's side of the real app under a private Xvfb, driven like a person (xdotool
 * keys, typing and clicks; the automation channel reads back what Qt shows), with a second
 * node (`swarmpress serve`) on a private DHT of ten libtorrent nodes on 127.0.0.1:
 * - Edit on a page of one's own site opens its file in the editor; publishing writes it
 *   back (front matter kept) and the other node reads the new text, while the unchanged
 *   page keeps its item id;
 * - File → New site creates a second site; a post chosen for it in the editor goes there;
 *   the library lists both sites;
 * - Edit → Settings refuses a bad value and changes nothing; good values are saved, the
 *   node's libtorrent session has the rate limits, read versions stop being seeded, a
 *   budget smaller than what was read evicts it; after a restart the settings are kept and applied.
 * Screenshots of every new window and dialog are kept as artifacts.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, beforeEach, test } from 'node:test';
import { artifactPath } from '../helpers/artifacts.js';
import { dialogUntil, editorUntil, pageText, untilDump, writeFiles } from '../helpers/app-window.js';
import { startDhtNetwork, type DhtNetwork } from '../helpers/dht-network.js';
import { localArgs, runCli, startServe, type ServeNode } from '../helpers/nodes.js';
import { summarisePng } from '../helpers/png.js';
import { startSwarmpress, type Driven, type Message } from '../helpers/process.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';
import { clickAt, findWindow, focusWindow, pressKeys, typeText } from '../helpers/xdotool.js';
import { startXvfb, type XServer } from '../helpers/xvfb.js';

let x: XServer;
let root: string;
let dht: DhtNetwork;
let port: number;
const running: ServeNode[] = [];
const apps: Driven[] = [];

before(async () => {
  x = await startXvfb();
  root = makeTempDir('swarmpress-authoring-app-');
});
after(async () => {
  await x.stop();
  removeDir(root);
});
beforeEach(async () => {
  dht = await startDhtNetwork(10);
  port = dht.nodes[0]?.listenPort ?? 0;
});
afterEach(async () => {
  for (const app of apps.splice(0)) app.child.kill('SIGKILL');
  await Promise.all(running.splice(0).map((node) => node.stop().catch(() => undefined)));
  await dht.close();
});

const WELCOME_TITLE = 'Welcome to swarmpress — swarmpress';

async function cli(dataDir: string, args: readonly string[]): Promise<Message> {
  const result = await runCli([...args, '--json', '--data-dir', dataDir, ...localArgs(port)]);
  assert.equal(result.code, 0, `exit ${String(result.code ?? result.signal)}: ${result.stderr}`);
  const message = result.messages.at(-1);
  assert.ok(message !== undefined, result.stdout);
  return message;
}

async function startApp(dataDir: string): Promise<Driven> {
  const app = startSwarmpress(['--data-dir', dataDir, ...localArgs(port)], { DISPLAY: x.display, SWARMPRESS_POLL_SECONDS: '1' });
  apps.push(app);
  await app.waitFor((m) => m['automation'] === 'ready', 'the first painted page', 30_000);
  return app;
}

async function closeApp(app: Driven): Promise<void> {
  app.send({ cmd: 'close' });
  assert.deepEqual(await app.waitExit(30_000), { code: 0, signal: null }, app.stderr);
}

/** Types `address` into the address bar (Ctrl+L) of the main window titled `title`. */
async function typeAddress(title: string, address: string): Promise<void> {
  await focusWindow(x.display, await findWindow(x.display, title));
  await pressKeys(x.display, 'ctrl+l');
  await typeText(x.display, `${address}\n`, 4);
}

async function grab(app: Driven, request: Message & { cmd: string }, name: string): Promise<void> {
  const file = artifactPath(name);
  assert.equal((await app.request({ ...request, path: file }))['ok'], true, `screenshot ${name}`);
  assert.ok(summarisePng(file).colours > 8, `${name} shows something`);
}

/**
 * Opens form dialog `dialog` with the keyboard: `keys` pressed one after the other (a
 * menu: Alt+letter, then the entry's mnemonic; or a shortcut); again (after Escape) when a
 * menu was not open yet to take the mnemonic.
 */
async function openDialogByKeys(app: Driven, windowTitle: string, keys: readonly string[], dialog: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await focusWindow(x.display, await findWindow(x.display, windowTitle));
    for (const [index, key] of keys.entries()) {
      if (index > 0) await new Promise((resolve) => setTimeout(resolve, 300));
      await pressKeys(x.display, key);
    }
    try {
      await dialogUntil(app, dialog, (dump) => dump['error'] === undefined || dump['error'] === '', `the ${dialog} dialog`, 3_000);
      break;
    } catch (error) {
      if (attempt === 3) throw error;
      await pressKeys(x.display, 'Escape');
    }
  }
  await focusWindow(x.display, await findWindow(x.display, `${dialog === 'settings' ? 'Settings' : 'New site'} — swarmpress`));
}

/** Publishes from the newest editor (Ctrl+Enter, then Publish in the confirmation); returns the panel once published. */
async function publishFromEditor(app: Driven, shots: string): Promise<{ address: string; details: string }> {
  await pressKeys(x.display, 'ctrl+Return');
  const confirm = await editorUntil(app, (dump) => dump['page'] === 'publish', 'the publish confirmation');
  await grab(app, { cmd: 'editor', do: 'grab' }, `${shots}-confirm.png`);
  const details = (confirm['publish'] as { details: string }).details;
  assert.equal((await app.request({ cmd: 'editor', do: 'publishButton', name: 'publish' }))['ok'], true);
  const done = await editorUntil(app, (dump) => ['published', 'failed'].includes((dump['publish'] as { state: string }).state), 'published', 60_000);
  const panel = done['publish'] as { state: string; address: string; message: string };
  assert.equal(panel.state, 'published', panel.message);
  await grab(app, { cmd: 'editor', do: 'grab' }, `${shots}-published.png`);
  assert.equal((await app.request({ cmd: 'editor', do: 'publishButton', name: 'done' }))['ok'], true);
  return { address: panel.address, details };
}

test('Edit on a page of your own site: its file opens in the editor, front matter kept; published again, another node reads the new text', async () => {
  const appDir = path.join(root, 'edit-app');
  const folder = writeFiles(path.join(root, 'edit-site'), {
    'index.md': '---\ntitle: Field diary\n---\n# Field diary\n\n[Hello](posts/hello.md)\n',
    'posts/hello.md': '---\ntitle: Hello\nsource: Ana\ntags: garden\n---\n# Hello\n\nFirst words.\n',
  });
  const published = await cli(appDir, ['publish', folder]);
  const url = published['url'] as string;
  // The app seeds the site (the command's own node is gone); the other node reads it.
  const app = await startApp(appDir);
  const b = await startServe(path.join(root, 'edit-B'), port);
  running.push(b);
  const before = await cli(b.dataDir, ['get', `${url}/posts/hello.md`, '--timeout', '60']);
  assert.equal(before['text'], '# Hello\n\nFirst words.\n');
  const indexBefore = await cli(b.dataDir, ['get', url, '--timeout', '60']);

  await typeAddress(WELCOME_TITLE, `${url}/posts/hello.md`);
  const page = await untilDump(app, (dump) => pageText(dump).includes('First words.') && (dump['navigation'] as { actions: string[] }).actions.includes('Edit'), 'the own page with Edit');
  assert.deepEqual((page['navigation'] as { actions: string[] }).actions, ['Follow', 'Reply', 'Edit'], 'no Block on an own site; Edit is there');
  await grab(app, { cmd: 'grab' }, 'app-own-page-edit.png');

  await pressKeys(x.display, 'ctrl+shift+e');
  await focusWindow(x.display, await findWindow(x.display, 'Editing Hello — swarmpress'));
  const opened = await editorUntil(app, (dump) => dump['title'] === 'Hello' && dump['focus'] === 'text', 'the page in the editor');
  assert.equal(opened['body'], '# Hello\n\nFirst words.\n', 'the Markdown without its front matter');
  assert.deepEqual({ ...(opened['site'] as Record<string, unknown>), at: undefined }, { chosen: 'default', names: ['default'], fixed: true, at: undefined });
  await pressKeys(x.display, 'ctrl+End');
  await typeText(x.display, 'Second words, edited.\n');
  await editorUntil(app, (dump) => dump['body'] === '# Hello\n\nFirst words.\nSecond words, edited.\n', 'the edit typed');
  await app.request({ cmd: 'editor', do: 'preview' });
  await grab(app, { cmd: 'editor', do: 'grab' }, 'app-edit-page.png');

  const { address, details } = await publishFromEditor(app, 'app-edit-page');
  assert.match(details, /Writes 1 file:\n\s*posts\/hello\.md/);
  assert.match(details, /This replaces posts\/hello\.md in a new version/);
  assert.equal(address, `${url}/posts/hello.md`);
  assert.equal(fs.readFileSync(path.join(folder, 'posts', 'hello.md'), 'utf8'), '---\ntitle: Hello\nsource: Ana\ntags: garden\n---\n# Hello\n\nFirst words.\nSecond words, edited.\n', 'front matter kept');
  assert.deepEqual((await app.request({ cmd: 'drafts' }))['drafts'], [], 'the edit was published: no draft is left');

  // The other node finds version 2 and reads the new text; the home page kept its item.
  const deadline = Date.now() + 60_000;
  let after: Message;
  for (;;) {
    after = await cli(b.dataDir, ['get', `${url}/posts/hello.md`, '--timeout', '60']);
    if (after['seq'] === '2' || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  assert.equal(after['seq'], '2');
  assert.equal(after['text'], '# Hello\n\nFirst words.\nSecond words, edited.\n');
  assert.notEqual(after['id'], before['id'], 'the edited page is a new item');
  const indexAfter = await cli(b.dataDir, ['get', url, '--timeout', '60']);
  assert.equal(indexAfter['seq'], '2');
  assert.equal(indexAfter['id'], indexBefore['id'], 'the unchanged page keeps its item id');

  // The app shows the new text of its own page.
  await focusWindow(x.display, await findWindow(x.display, 'Hello — swarmpress'));
  await pressKeys(x.display, 'F5');
  await untilDump(app, (dump) => pageText(dump).includes('Second words, edited.'), 'the edited page in the app');
  await closeApp(app);
});

test('File → New site makes a second site; a post chosen for it in the editor goes there; the library lists both', async () => {
  const appDir = path.join(root, 'sites-app');
  const folder = writeFiles(path.join(root, 'main-site'), { 'index.md': '---\ntitle: Main site\n---\n# Main site\n' });
  const main = await cli(appDir, ['publish', folder]);
  const app = await startApp(appDir);

  // A bad name is refused with a message; the dialog stays, nothing is made.
  await openDialogByKeys(app, WELCOME_TITLE, ['alt+f', 's'], 'new-site');
  await typeText(x.display, 'Field Notes');
  await pressKeys(x.display, 'Tab');
  await typeText(x.display, 'Field notebook\n');
  const refused = await dialogUntil(app, 'new-site', (dump) => dump['error'] !== '' && dump['busy'] === false, 'the refusal');
  assert.equal(refused['error'], "A site name is lower-case letters, digits, '-' or '_' (up to 64), not 'Field Notes'.");
  assert.equal(fs.existsSync(path.join(appDir, 'sites', 'Field Notes')), false);
  await grab(app, { cmd: 'dialog', name: 'new-site', do: 'grab' }, 'app-new-site-refused.png');
  await pressKeys(x.display, 'shift+Tab');
  await typeText(x.display, 'notebook\n');
  const created = await untilDump(app, (dump) => /Your new site 'notebook' is published at bittorrent:\/\/[0-9a-f]{64}/.test(dump['status'] as string), 'the new site', 60_000);
  const notebookUrl = /bittorrent:\/\/[0-9a-f]{64}/.exec(created['status'] as string)?.[0] ?? '';
  assert.notEqual(notebookUrl, main['url'], 'a site of its own, with its own key');
  assert.deepEqual(fs.readdirSync(path.join(appDir, 'sites', 'notebook')), [], 'no index.md of the author\'s: the home page is generated, and lists the posts');
  const ownSites = JSON.parse(fs.readFileSync(path.join(appDir, 'own-sites.json'), 'utf8')) as { sites: Record<string, { title?: string }> };
  assert.deepEqual(Object.keys(ownSites.sites).sort(), ['default', 'notebook']);
  assert.equal(ownSites.sites['notebook']?.title, 'Field notebook');
  assert.equal((await app.request({ cmd: 'dialog', name: 'new-site', do: 'dump' }))['error'], "no dialog 'new-site' is open");

  // A new post: the editor offers both sites; the author picks the notebook.
  await focusWindow(x.display, await findWindow(x.display, WELCOME_TITLE));
  await pressKeys(x.display, 'ctrl+n');
  await focusWindow(x.display, await findWindow(x.display, 'New post — swarmpress'));
  const fresh = await editorUntil(app, (dump) => dump['focus'] === 'title', 'the new post');
  const site = fresh['site'] as { chosen: string; names: string[]; fixed: boolean; at: { x: number; y: number } };
  assert.deepEqual([site.chosen, site.names, site.fixed], ['default', ['default', 'notebook'], false]);
  await clickAt(x.display, site.at.x, site.at.y);
  await new Promise((resolve) => setTimeout(resolve, 400));
  await pressKeys(x.display, 'Down', 'Return');
  await editorUntil(app, (dump) => (dump['site'] as { chosen: string }).chosen === 'notebook', 'the notebook chosen');
  await focusWindow(x.display, await findWindow(x.display, 'New post — swarmpress'));
  await editorUntil(app, (dump) => dump['focus'] === 'title', 'the keyboard back in the title');
  await typeText(x.display, 'In the notebook\nBeans on the left.');
  await editorUntil(app, (dump) => dump['title'] === 'In the notebook' && dump['body'] === 'Beans on the left.', 'the post typed');
  await app.request({ cmd: 'editor', do: 'preview' });
  await grab(app, { cmd: 'editor', do: 'grab' }, 'app-editor-site-choice.png');
  const { address, details } = await publishFromEditor(app, 'app-post-second-site');
  assert.match(details, /your site 'notebook'/);
  assert.ok(address.startsWith(`${notebookUrl}/posts/`), `${address} is in the notebook site`);
  const postPath = decodeURIComponent(address.slice(notebookUrl.length + 1));
  assert.equal(fs.readFileSync(path.join(appDir, 'sites', 'notebook', ...postPath.split('/')), 'utf8'), '---\ntitle: In the notebook\n---\nBeans on the left.');

  // The library lists both of the author's sites.
  await focusWindow(x.display, await findWindow(x.display, WELCOME_TITLE));
  await pressKeys(x.display, 'ctrl+b');
  const library = await untilDump(app, (dump) => Array.isArray(dump['library']) && (dump['library'] as string[]).includes('Field notebook (v2)'), 'both sites in the library');
  const rows = library['library'] as string[];
  const ownRows = rows.slice(rows.indexOf('Your sites') + 1, rows.indexOf('Sites near me'));
  assert.deepEqual(ownRows.sort(), ['Field notebook (v2)', 'Main site (v1)']);
  await grab(app, { cmd: 'grab' }, 'app-library-own-sites.png');

  // The other node reads the post from the second site.
  const b = await startServe(path.join(root, 'sites-B'), port);
  running.push(b);
  const read = await cli(b.dataDir, ['get', address, '--timeout', '60']);
  assert.equal(read['text'], 'Beans on the left.');
  await closeApp(app);
});

interface NodeReport {
  versions: { infohash: string; paused: boolean }[];
  cache: { usedBytes: number; budgetBytes: number };
  sessionSettings: Record<string, number | string>;
}

async function nodeReport(app: Driven): Promise<NodeReport> {
  return (await app.request({ cmd: 'node' })) as unknown as NodeReport;
}

async function clickDialogButton(app: Driven, name: string, button: 'submit' | 'cancel'): Promise<void> {
  const dump = await app.request({ cmd: 'dialog', name, do: 'dump' });
  const at = (dump['buttons'] as Record<string, { x: number; y: number }>)[button];
  assert.ok(at !== undefined);
  await clickAt(x.display, at.x, at.y);
}

test('Edit → Settings: a bad value changes nothing; limits reach libtorrent, read versions stop seeding, a small budget evicts them; kept and applied after a restart', async () => {
  const appDir = path.join(root, 'settings-app');
  const own = await cli(appDir, ['publish', writeFiles(path.join(root, 'settings-own'), { 'index.md': '# Mine\n\nKept whatever the budget.\n' })]);
  const b = await startServe(path.join(root, 'settings-B'), port);
  running.push(b);
  // 1.5 MB: more than a budget of 1 MB, so lowering the budget to it evicts this version.
  const theirFolder = writeFiles(path.join(root, 'settings-theirs'), { 'index.md': '# Theirs\n\nRead once.\n' });
  fs.mkdirSync(path.join(theirFolder, 'media'));
  fs.writeFileSync(path.join(theirFolder, 'media', 'big.bin'), crypto.randomBytes(1536 * 1024));
  const theirs = await cli(b.dataDir, ['publish', theirFolder]);
  const theirVersion = theirs['infohash'] as string;
  const ownVersion = own['infohash'] as string;
  const settingsFile = path.join(appDir, 'settings.json');

  const app = await startApp(appDir);
  await typeAddress(WELCOME_TITLE, theirs['url'] as string);
  await untilDump(app, (dump) => pageText(dump).includes('Read once.'), 'their page');
  const first = await nodeReport(app);
  assert.deepEqual(first.versions.map((v) => [v.infohash, v.paused]).sort(), [[ownVersion, false], [theirVersion, false]].sort(), 'both versions seeded by default');
  assert.equal(first.sessionSettings['upload_rate_limit'] ?? 0, 0, 'no upload limit by default');

  // A bad value: a message, nothing saved, nothing applied.
  await openDialogByKeys(app, 'Theirs — swarmpress', ['alt+e', 's'], 'settings');
  const shown = await dialogUntil(app, 'settings', () => true, 'the settings dialog');
  assert.deepEqual(shown['values'], { cacheBudgetMb: '2048', uploadKBps: '0', downloadKBps: '0', seedReads: true, publishBlockList: false, lanAnnounce: 'own-and-followed' });
  await grab(app, { cmd: 'dialog', name: 'settings', do: 'grab' }, 'app-settings.png');
  await typeText(x.display, 'lots\n');
  const refused = await dialogUntil(app, 'settings', (dump) => dump['error'] !== '' && dump['busy'] === false, 'the refusal');
  assert.equal(refused['error'], "The cache budget must be a whole number (digits only), not 'lots'. Nothing was changed.");
  await grab(app, { cmd: 'dialog', name: 'settings', do: 'grab' }, 'app-settings-refused.png');
  assert.equal(fs.existsSync(settingsFile), false, 'nothing saved');
  assert.equal((await nodeReport(app)).sessionSettings['upload_rate_limit'] ?? 0, 0, 'nothing applied');

  // Good values: saved, and applied to the running node.
  await pressKeys(x.display, 'ctrl+a');
  await typeText(x.display, '2048');
  await pressKeys(x.display, 'Tab');
  await typeText(x.display, '50');
  await pressKeys(x.display, 'Tab');
  await typeText(x.display, '200');
  await pressKeys(x.display, 'Tab', 'space');
  await dialogUntil(app, 'settings', (dump) => !(dump['values'] as { seedReads: boolean }).seedReads, 'seeding unticked');
  await clickDialogButton(app, 'settings', 'submit');
  await untilDump(app, (dump) => String(dump['status']).startsWith('Settings saved'), 'the settings saved');
  assert.deepEqual(JSON.parse(fs.readFileSync(settingsFile, 'utf8')), { cacheBudgetMb: 2048, uploadKBps: 50, downloadKBps: 200, seedReads: false, publishBlockList: false, lanAnnounce: 'own-and-followed' });
  const limited = await nodeReport(app);
  assert.equal(limited.sessionSettings['upload_rate_limit'], 50 * 1024, "libtorrent's upload limit");
  assert.equal(limited.sessionSettings['download_rate_limit'], 200 * 1024, "libtorrent's download limit");
  assert.deepEqual(limited.versions.map((v) => [v.infohash, v.paused]).sort(), [[ownVersion, false], [theirVersion, true]].sort(), 'what was read is paused; the own site is seeded');

  // A budget of 0 is out of range (nothing could be read); 1 MB evicts what was read at once; the own site stays.
  // Ctrl+, this time: main's window crashes (SIGSEGV) when menus are opened again after its
  // forced memory-reducing collection (824a5b5; reported, not fixed here).
  await openDialogByKeys(app, 'Theirs — swarmpress', ['ctrl+comma'], 'settings');
  await typeText(x.display, '0\n');
  const zero = await dialogUntil(app, 'settings', (dump) => dump['error'] !== '' && dump['busy'] === false, 'the refusal of 0');
  assert.equal(zero['error'], 'The cache budget (MB) must be a whole number from 1 to 1048576, not 0. Nothing was changed.');
  await pressKeys(x.display, 'ctrl+a');
  await typeText(x.display, '1');
  await clickDialogButton(app, 'settings', 'submit');
  const evicted = await untilDump(app, (dump) => String(dump['status']).startsWith('Settings saved'), 'the budget saved');
  assert.match(evicted['status'] as string, /1 cached version removed to fit the budget/);
  const small = await nodeReport(app);
  assert.deepEqual(small.versions.map((v) => v.infohash), [ownVersion]);
  assert.equal(small.cache.budgetBytes, 1024 * 1024);
  assert.ok(small.cache.usedBytes <= 1024 * 1024, `${small.cache.usedBytes} bytes used`);
  assert.equal(fs.existsSync(path.join(appDir, 'content', theirVersion)), false, 'its files are gone');
  await closeApp(app);

  // After a restart: the dialog shows them and the node runs with them.
  const again = await startApp(appDir);
  const restarted = await nodeReport(again);
  assert.equal(restarted.sessionSettings['upload_rate_limit'], 50 * 1024);
  assert.equal(restarted.sessionSettings['download_rate_limit'], 200 * 1024);
  assert.equal(restarted.cache.budgetBytes, 1024 * 1024);
  await openDialogByKeys(again, WELCOME_TITLE, ['alt+e', 's'], 'settings');
  const kept = await dialogUntil(again, 'settings', () => true, 'the settings dialog after the restart');
  assert.deepEqual(kept['values'], { cacheBudgetMb: '1', uploadKBps: '50', downloadKBps: '200', seedReads: false, publishBlockList: false, lanAnnounce: 'own-and-followed' });
  await grab(again, { cmd: 'dialog', name: 'settings', do: 'grab' }, 'app-settings-restarted.png');
  await clickDialogButton(again, 'settings', 'cancel');
  await closeApp(again);
});
