/**
 * Writing in the real app under a private Xvfb, driven like a person: Ctrl+N in the main
 * window, typing, toolbar clicks and the file dialog through xdotool; the app's automation
 * channel reads back what Qt shows. A kill -9 right after typing loses at most the last
 * second; File → Drafts opens the draft again. Publishing adds the post to the author's site
 * through the app's node (no DHT here: reading it on another node is in reader.test.ts).
 * Screenshots are kept as artifacts.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { decodePostDraft } from '../../src/app/writing/post-draft.js';
import { Drafts } from '../../src/store/drafts.js';
import { artifactPath } from '../helpers/artifacts.js';
import { editorUntil } from '../helpers/app-window.js';
import { summarisePng } from '../helpers/png.js';
import { REPO_ROOT, startSwarmpress, type Driven } from '../helpers/process.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';
import { clickAt, findWindow, focusWindow, pressKeys, typeText } from '../helpers/xdotool.js';
import { startXvfb, type XServer } from '../helpers/xvfb.js';

let x: XServer;
let root: string;
before(async () => {
  x = await startXvfb();
  root = makeTempDir('swarmpress-editor-app-');
});
after(async () => {
  await x.stop();
  removeDir(root);
});

const WELCOME_TITLE = 'Welcome to swarmpress — swarmpress';

async function startApp(dataDir: string): Promise<Driven> {
  const app = startSwarmpress(['--data-dir', dataDir, '--no-dht', '--no-lan', '--listen', '127.0.0.1:0'], { DISPLAY: x.display });
  await app.waitFor((m) => m['automation'] === 'ready', 'the first painted page', 30_000);
  return app;
}

async function newPostByKeyboard(app: Driven): Promise<string> {
  await focusWindow(x.display, await findWindow(x.display, WELCOME_TITLE));
  await pressKeys(x.display, 'ctrl+n');
  const editor = await findWindow(x.display, 'New post — swarmpress');
  await focusWindow(x.display, editor);
  await editorUntil(app, (dump) => dump['focus'] === 'title', 'the keyboard in the title');
  return editor;
}

test('kill -9 right after typing loses at most the last second; File → Drafts opens the draft again', async (t) => {
  const dataDir = path.join(root, 'crash');
  const app = await startApp(dataDir);
  let typed: { text: string; at: number }[] = [];
  let killedAt = 0;
  try {
    await newPostByKeyboard(app);
    await typeText(x.display, 'Survives a crash\n');
    typed = [];
    // About 2.5 s of steady typing (no pause long enough for an idle save), then the kill.
    for (let i = 1; i <= 70; i++) {
      const text = `w${String(i).padStart(2, '0')} `;
      await typeText(x.display, text, 8);
      typed.push({ text, at: Date.now() });
      if (i === 50) {
        const dump = await app.request({ cmd: 'editor', do: 'dump' });
        const save = dump['save'] as { count: number; delayMs: number; writeMs: number } | null;
        assert.ok(save !== null, 'drafts are saved while typing goes on');
        t.diagnostic(`after 50 words (${Date.now() - (typed[0]?.at ?? 0)} ms of typing): ${save.count} saves, the last one ${save.delayMs.toFixed(0)} ms after the oldest change it covers; its write took ${save.writeMs.toFixed(1)} ms`);
      }
    }
  } finally {
    killedAt = Date.now();
    app.child.kill('SIGKILL');
  }
  assert.equal((await app.exited).signal, 'SIGKILL');

  const drafts = new Drafts(dataDir);
  const ids = drafts.list();
  assert.equal(ids.length, 1, `one draft: ${ids.join(', ')}`);
  const saved = drafts.load(ids[0] ?? '');
  assert.ok(saved !== undefined);
  const draft = decodePostDraft(saved.bytes, saved.savedMs);
  assert.equal(draft.title, 'Survives a crash');
  const all = typed.map((chunk) => chunk.text).join('');
  assert.ok(all.startsWith(draft.body), `the draft is a prefix of what was typed: ${JSON.stringify(draft.body)}`);
  const olderThanASecond = typed.filter((chunk) => chunk.at <= killedAt - 1000).map((chunk) => chunk.text).join('');
  assert.ok(draft.body.length >= olderThanASecond.length, `everything typed up to 1 s before the kill is saved: ${JSON.stringify(olderThanASecond)} vs ${JSON.stringify(draft.body)}`);
  const lostChars = all.length - draft.body.length;
  const lastSavedChunk = typed.findLast((chunk) => draft.body.length >= typed.slice(0, typed.indexOf(chunk) + 1).map((c) => c.text).join('').length);
  t.diagnostic(`kill -9: ${lostChars} of ${all.length} typed characters lost; the newest saved one was typed ${lastSavedChunk === undefined ? '?' : killedAt - lastSavedChunk.at} ms before the kill`);

  const again = await startApp(dataDir);
  try {
    const main = await again.request({ cmd: 'dump' });
    assert.equal(main['status'], 'You have an unpublished draft: File → Drafts.');
    // File → Drafts → the draft, with the keyboard.
    await focusWindow(x.display, await findWindow(x.display, WELCOME_TITLE));
    await pressKeys(x.display, 'alt+f');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await pressKeys(x.display, 'Down', 'Right');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await pressKeys(x.display, 'Return');
    await findWindow(x.display, 'Survives a crash — swarmpress');
    await again.request({ cmd: 'editor', do: 'preview' });
    const dump = await again.request({ cmd: 'editor', do: 'dump' });
    assert.equal(dump['title'], 'Survives a crash');
    assert.equal(dump['body'], draft.body);
    const preview = dump['preview'] as { role: string; text: string }[];
    assert.deepEqual(preview.map((node) => node.role), ['paragraph']);
    assert.equal(preview[0]?.text.trim(), draft.body.trim(), 'the preview shows the restored text');
    const shot = artifactPath('app-editor-restored.png');
    assert.equal((await again.request({ cmd: 'editor', do: 'grab', path: shot }))['ok'], true);
    assert.ok(summarisePng(shot).colours > 8);
    await again.request({ cmd: 'editor', do: 'close' });
    const drafts2 = await again.request({ cmd: 'drafts' });
    assert.equal((drafts2['drafts'] as unknown[]).length, 1, 'closing the editor keeps the draft');
    again.send({ cmd: 'close' });
    assert.deepEqual(await again.waitExit(), { code: 0, signal: null }, again.stderr);
  } finally {
    again.child.kill('SIGKILL');
  }
});

test('write with the toolbar, add a picture from disk, publish after the confirmation, read the address', async () => {
  const dataDir = path.join(root, 'publish');
  const app = await startApp(dataDir);
  try {
    await newPostByKeyboard(app);
    await typeText(x.display, 'Published from the editor\nHello ');
    await pressKeys(x.display, 'ctrl+b');
    await typeText(x.display, 'world');
    await pressKeys(x.display, 'End');
    await typeText(x.display, '\n\n');
    const buttons = (await app.request({ cmd: 'editor', do: 'dump' }))['buttons'] as Record<string, { x: number; y: number }>;
    const image = buttons['image'];
    assert.ok(image !== undefined);
    await clickAt(x.display, image.x, image.y);
    await focusWindow(x.display, await findWindow(x.display, 'Insert a picture'));
    await typeText(x.display, path.join(REPO_ROOT, 'assets', 'sample', 'picture.png'));
    for (let presses = 0; presses < 3; presses++) {
      const dump = await app.request({ cmd: 'editor', do: 'dump' });
      if (dump['imageChooserOpen'] !== true) break;
      await pressKeys(x.display, 'Return');
      await new Promise((resolve) => setTimeout(resolve, 400));
    }
    await editorUntil(app, (dump) => String(dump['body']).endsWith('![picture](media/picture.png)'), 'the picture in the text');
    await app.request({ cmd: 'editor', do: 'preview' });
    const written = await app.request({ cmd: 'editor', do: 'dump' });
    const preview = written['preview'] as { role: string; text: string }[];
    assert.deepEqual(preview.map((node) => `${node.role}:${node.text}`), ['paragraph:Hello world', 'image:picture']);
    const editorShot = artifactPath('app-editor.png');
    assert.equal((await app.request({ cmd: 'editor', do: 'grab', path: editorShot }))['ok'], true);

    await pressKeys(x.display, 'ctrl+Return');
    const confirm = await editorUntil(app, (dump) => dump['page'] === 'publish', 'the publish confirmation');
    const panel = confirm['publish'] as { state: string; details: string; reminder: string };
    assert.equal(panel.state, 'confirm');
    assert.match(panel.details, /posts\/\d{4}-\d\d-\d\d-published-from-the-editor\.md/);
    assert.match(panel.details, /posts\/media\/picture\.png/);
    assert.match(panel.reminder, /cannot be taken back/);
    const confirmShot = artifactPath('app-editor-publish-confirm.png');
    assert.equal((await app.request({ cmd: 'editor', do: 'grab', path: confirmShot }))['ok'], true);
    assert.ok(summarisePng(confirmShot).colours > 8);
    const screen = artifactPath('screen-editor-publish-confirm.png');
    execFileSync('import', ['-display', x.display, '-window', 'root', screen]);
    assert.ok(summarisePng(screen).inked > 0.05);

    assert.equal((await app.request({ cmd: 'editor', do: 'publishButton', name: 'publish' }))['ok'], true);
    const published = await editorUntil(app, (dump) => (dump['publish'] as { state: string }).state === 'published', 'published');
    const address = (published['publish'] as { address: string }).address;
    const match = /^bittorrent:\/\/[0-9a-f]{64}\/(posts\/\d{4}-\d\d-\d\d-published-from-the-editor\.md)$/.exec(address);
    assert.ok(match !== null, address);
    // Written into the author's site folder like `swarmpress post`, then published (no DHT here).
    const file = path.join(dataDir, 'sites', 'default', ...(match[1] ?? '').split('/'));
    assert.equal(fs.readFileSync(file, 'utf8'), '---\ntitle: Published from the editor\n---\nHello **world**\n\n![picture](media/picture.png)');
    assert.ok(fs.existsSync(path.join(path.dirname(file), 'media', 'picture.png')));
    assert.deepEqual((await app.request({ cmd: 'drafts' }))['drafts'], [], 'the published draft is gone');
    assert.equal(fs.existsSync(path.join(dataDir, 'draft-media')) && fs.readdirSync(path.join(dataDir, 'draft-media')).length > 0, false, 'and its pictures');
    const publishedShot = artifactPath('app-editor-published.png');
    assert.equal((await app.request({ cmd: 'editor', do: 'grab', path: publishedShot }))['ok'], true);

    assert.equal((await app.request({ cmd: 'editor', do: 'publishButton', name: 'done' }))['ok'], true);
    const none = await app.request({ cmd: 'editor', do: 'dump' });
    assert.equal(none['error'], 'no editor is open');
    app.send({ cmd: 'close' });
    assert.deepEqual(await app.waitExit(), { code: 0, signal: null }, app.stderr);
  } finally {
    app.child.kill('SIGKILL');
  }
});
