/**
 * The editor window in this process under a private Xvfb, driven like a person: xdotool
 * types, presses keys and clicks the toolbar; the text, its selection and the preview are
 * read back from Qt. The publish confirmation is tested with callbacks that resolve,
 * reject and wait; a 100 KB draft keeps typing responsive. Screenshots are kept.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { after, before, test } from 'node:test';
import { PlanWorker } from '../../src/render/parse-off-thread.js';
import { folderSiteFiles } from '../../src/render/site-files.js';
import type { EditorCommands, EditorDump } from '../../src/widgets/editor-panel.js';
import { EditorWindow, type EditorWindowCommands } from '../../src/widgets/editor-window.js';
import type { PublishOutcome, PublishSummary } from '../../src/widgets/publish-panel.js';
import { IRREVOCABLE_REMINDER } from '../../src/widgets/publish-panel.js';
import { loadQt, type LoadedQt } from '../../src/widgets/qt-runtime.js';
import { artifactPath } from '../helpers/artifacts.js';
import { summarisePng } from '../helpers/png.js';
import { REPO_ROOT } from '../helpers/process.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';
import { clickAt, findWindow, focusWindow, pressKeys, typeText } from '../helpers/xdotool.js';
import { startXvfb, type XServer } from '../helpers/xvfb.js';
import { until } from '../helpers/until.js';

let x: XServer;
let loaded: LoadedQt;
let worker: PlanWorker;
let temp: string;
before(async () => {
  x = await startXvfb();
  process.env['DISPLAY'] = x.display;
  loaded = loadQt({ platform: 'xcb' });
  worker = new PlanWorker();
  temp = makeTempDir('swarmpress-editor-');
});
after(async () => {
  worker.close();
  loaded.stop();
  await x.stop();
  removeDir(temp);
});


const SUMMARY: PublishSummary = {
  title: 'A post',
  site: 'My site (bittorrent://' + 'a'.repeat(64) + ')',
  bytes: 2048,
  files: [{ path: 'posts/a-post.md', bytes: 1024 }, { path: 'posts/media/cat.png', bytes: 1024 }],
};

interface Calls {
  changes: number;
  saves: number;
  images: string[];
  published: { title: string; body: string }[];
  closed: number;
}

function openEditor(overrides: Partial<EditorCommands & EditorWindowCommands> = {}, initial?: { title: string; body: string }, minuteMs?: number): { window: EditorWindow; calls: Calls } {
  const calls: Calls = { changes: 0, saves: 0, images: [], published: [], closed: 0 };
  const window = new EditorWindow(
    loaded.qt,
    {
      textCursors: loaded.textCursors,
      layout: (source) => worker.layout(source),
      files: folderSiteFiles(temp, 'post.md'),
      ...(initial === undefined ? {} : { initial }),
      ...(minuteMs === undefined ? {} : { publishMinuteMs: minuteMs }),
    },
    {
      onChange: () => calls.changes++,
      onSave: () => calls.saves++,
      onImageChosen: (file) => {
        calls.images.push(file);
        fs.mkdirSync(path.join(temp, 'media'), { recursive: true });
        fs.copyFileSync(file, path.join(temp, 'media', 'picture.png'));
        return Promise.resolve({ path: 'media/picture.png', alt: 'a picture' });
      },
      onPreparePublish: () => Promise.resolve(SUMMARY),
      onPublish: (content) => {
        calls.published.push(content);
        return Promise.resolve({ url: `bittorrent://${'a'.repeat(64)}/posts/a-post.md`, seq: 7n });
      },
      onClosed: () => calls.closed++,
      ...overrides,
    },
  );
  return { window, calls };
}

async function showAndFocus(window: EditorWindow): Promise<string> {
  let painted = false;
  window.onNextPaint(() => (painted = true));
  window.show();
  await until(() => painted, 'the first paint');
  const id = await findWindow(x.display, window.title);
  await focusWindow(x.display, id);
  return id;
}

/**
 * Saves a screenshot of `window` once Qt has painted what changed last (a grab right after a
 * change would show layouts that have not settled); without a change there is no paint.
 */
async function grabPainted(window: EditorWindow, name: string): Promise<string> {
  let painted = false;
  window.onNextPaint(() => (painted = true));
  await until(() => painted, 'a paint', 500).catch(() => undefined);
  const file = artifactPath(name);
  assert.ok(window.grab(file));
  const shot = summarisePng(file);
  assert.ok(shot.colours > 8 && shot.inked > 0.01, `${name} looks blank: ${JSON.stringify(shot)}`);
  return file;
}

/** Waits until the preview shows the text as it is now. */
function previewCurrent(window: EditorWindow): Promise<void> {
  return new Promise((resolve) => {
    window.panel.whenPreviewCurrent(resolve);
  });
}

function roles(dump: EditorDump): string[] {
  return dump.preview.map((node) => `${node.role}:${node.text.replace(/\s+/g, " ")}`);
}

test('typed like a person: keys and toolbar clicks format the selection, the preview follows, Ctrl+Z undoes one action', async () => {
  const { window, calls } = openEditor();
  try {
    await showAndFocus(window);
    assert.equal(window.panel.dump().focus, 'title', 'a new post starts in its title');
    await typeText(x.display, 'Editor test\n');
    await until(() => window.panel.dump().focus === 'text', 'Return moving on to the text');
    assert.equal(window.title, 'Editor test — swarmpress');
    await typeText(x.display, 'Intro with ');
    await pressKeys(x.display, 'ctrl+b');
    await typeText(x.display, 'bold');
    await pressKeys(x.display, 'End');
    await typeText(x.display, ' and ');
    await pressKeys(x.display, 'ctrl+i');
    await typeText(x.display, 'slanted');
    await pressKeys(x.display, 'End');
    await typeText(x.display, ' words.\n\n');
    const buttons = window.panel.dump().buttons;
    const click = async (name: string): Promise<void> => {
      const at = buttons[name];
      assert.ok(at !== undefined, `button ${name}`);
      await clickAt(x.display, at.x, at.y);
    };
    await click('heading');
    await until(() => window.panel.dump().body.endsWith('## Heading'), 'the heading placeholder');
    await typeText(x.display, 'Section');
    await pressKeys(x.display, 'End');
    await typeText(x.display, '\n\nfirst\nsecond');
    await pressKeys(x.display, 'shift+Up', 'shift+Home');
    await click('numbers');
    await until(() => window.panel.dump().body.endsWith('1. first\n2. second'), 'a numbered list');
    await pressKeys(x.display, 'ctrl+End');
    await typeText(x.display, '\n\nwise words');
    await click('quote');
    await until(() => window.panel.dump().body.endsWith('> wise words'), 'a quote');
    await pressKeys(x.display, 'ctrl+z');
    await until(() => window.panel.dump().body.endsWith('\nwise words'), 'one undo step taking the quote away');
    await pressKeys(x.display, 'ctrl+shift+z');
    await until(() => window.panel.dump().body.endsWith('> wise words'), 'redo');
    await pressKeys(x.display, 'ctrl+End');
    await typeText(x.display, '\n\nsee ');
    await pressKeys(x.display, 'ctrl+k');
    await typeText(x.display, 'the docs');
    await until(() => window.panel.dump().body.endsWith('see [the docs](https://)'), 'a link with its text typed over the placeholder');
    await pressKeys(x.display, 'Right', 'Right', 'shift+End', 'shift+Left');
    await typeText(x.display, 'bittorrent://' + 'c'.repeat(64) + '/docs.md');

    const body = window.panel.dump().body;
    assert.equal(body, [
      'Intro with **bold** and *slanted* words.', '', '## Section', '', '1. first', '2. second', '', '> wise words', '',
      `see [the docs](bittorrent://${'c'.repeat(64)}/docs.md)`,
    ].join('\n'));
    await previewCurrent(window);
    const dump = window.panel.dump();
    assert.deepEqual(roles(dump), [
      'paragraph:Intro with bold and slanted words.', 'h2:Section', 'paragraph:1. first', 'paragraph:2. second', 'paragraph:wise words', 'paragraph:see the docs',
    ]);
    assert.equal(dump.preview[4]?.quote, 1);
    assert.deepEqual(dump.preview[5]?.links, [`bittorrent://${'c'.repeat(64)}/docs.md`]);
    assert.match(dump.count, /^14 words · 189 characters$/);
    assert.ok(calls.changes > 50, `every keystroke is reported (${calls.changes})`);
    await pressKeys(x.display, 'ctrl+s');
    await until(() => calls.saves === 1, 'Ctrl+S');
    await grabPainted(window, 'editor-window.png');
  } finally {
    window.close();
  }
  assert.equal(calls.closed, 1);
});

test('a picture chosen in the file dialog is handed to the app and shown in the preview', async () => {
  const { window, calls } = openEditor({}, { title: 'Pictures', body: 'Before.' });
  try {
    await showAndFocus(window);
    await pressKeys(x.display, 'ctrl+End');
    const at = window.panel.dump().buttons['image'];
    assert.ok(at !== undefined);
    await clickAt(x.display, at.x, at.y);
    const dialog = await findWindow(x.display, 'Insert a picture');
    await focusWindow(x.display, dialog);
    const picture = path.join(REPO_ROOT, 'assets', 'sample', 'picture.png');
    await typeText(x.display, picture);
    // Return takes the file name completer's suggestion first, if it shows one; then opens.
    for (let presses = 0; presses < 3 && window.panel.dump().imageChooserOpen; presses++) {
      await pressKeys(x.display, 'Return');
      await until(() => !window.panel.dump().imageChooserOpen, 'the chooser closing', 700).catch(() => undefined);
    }
    await until(() => window.panel.dump().body.includes('!['), 'the picture in the text');
    assert.deepEqual(calls.images, [picture]);
    const dump = window.panel.dump();
    assert.equal(dump.body, 'Before.\n\n![a picture](media/picture.png)');
    assert.equal(dump.body.slice(dump.selection.start, dump.selection.end), 'a picture', 'the description is selected for editing');
    assert.equal(dump.imageChooserOpen, false);
    await previewCurrent(window);
    const image = window.panel.dump().preview.find((node) => node.role === 'image');
    assert.equal(image?.text, 'a picture');
    assert.equal(image.style['format'], 'PNG');
  } finally {
    window.close();
  }
});

test('publish: the confirmation shows what goes where and the reminder; then the address, copyable', async () => {
  let release: ((outcome: PublishOutcome) => void) | undefined;
  const { window, calls } = openEditor({
    onPublish: (content) => {
      calls.published.push(content);
      return new Promise<PublishOutcome>((resolve) => (release = resolve));
    },
  }, { title: 'A post', body: 'Some *text*.' });
  try {
    await showAndFocus(window);
    await pressKeys(x.display, 'ctrl+Return');
    await until(() => window.panel.dump().page === 'publish', 'the confirmation');
    assert.equal(calls.saves, 1, 'the draft is saved before publishing');
    let panel = window.panel.dump().publish;
    assert.equal(panel.state, 'confirm');
    assert.equal(panel.heading, 'Publish “A post”?');
    assert.match(panel.details, /^Site: My site \(bittorrent:\/\/a{64}\)\nSize: 2\.0 KB\nAdds 2 files:\n {4}posts\/a-post\.md \(1\.0 KB\)\n {4}posts\/media\/cat\.png \(1\.0 KB\)$/);
    assert.equal(panel.reminder, IRREVOCABLE_REMINDER);
    assert.deepEqual(panel.buttons, ['cancel', 'publish']);
    await grabPainted(window, 'editor-publish-confirm.png');

    assert.equal(window.panel.pressPublishButton('cancel'), true);
    assert.equal(window.panel.dump().page, 'editing');
    assert.deepEqual(calls.published, [], 'Cancel publishes nothing');
    window.panel.press('publish');
    await until(() => window.panel.dump().page === 'publish', 'the confirmation again');
    assert.equal(window.panel.pressPublishButton('publish'), true);
    panel = window.panel.dump().publish;
    assert.equal(panel.state, 'publishing');
    assert.deepEqual(panel.buttons, []);
    assert.deepEqual(calls.published, [{ title: 'A post', body: 'Some *text*.' }]);
    release?.({ url: `bittorrent://${'a'.repeat(64)}/posts/a-post.md`, seq: 7n });
    await until(() => window.panel.dump().publish.state === 'published', 'published');
    panel = window.panel.dump().publish;
    assert.equal(panel.heading, 'Published “A post”');
    assert.equal(panel.message, 'Published: version 7 of your site. Share this address:');
    assert.equal(panel.address, `bittorrent://${'a'.repeat(64)}/posts/a-post.md`);
    assert.deepEqual(panel.buttons, ['copy', 'done']);
    assert.equal(window.panel.pressPublishButton('copy'), true);
    assert.equal(loaded.qt.QApplication.clipboard()?.text(), panel.address);
    await grabPainted(window, 'editor-published.png');
    window.panel.pressPublishButton('done');
    assert.equal(window.isClosed, true, 'Close after publishing closes the window');
    assert.equal(calls.closed, 1);
  } finally {
    window.close();
  }
});

test('publish: a failure keeps the draft and offers to try again; a delay waits and can be cancelled', async () => {
  let attempts = 0;
  const { window, calls } = openEditor({
    onPublish: (content) => {
      calls.published.push(content);
      attempts++;
      return attempts === 1 ? Promise.reject(new Error('no peers could be reached')) : Promise.resolve({ url: 'bittorrent://x/p.md', seq: 2 });
    },
  }, { title: 'Later', body: 'text' }, 200);
  try {
    await showAndFocus(window);
    window.panel.press('publish');
    await until(() => window.panel.dump().page === 'publish', 'the confirmation');
    window.panel.pressPublishButton('publish');
    await until(() => window.panel.dump().publish.state === 'failed', 'the failure');
    let panel = window.panel.dump().publish;
    assert.equal(panel.heading, '“A post” was not published', 'the heading names the post as the summary does');
    assert.equal(panel.message, 'Not published: no peers could be reached\nYour draft is kept.');
    assert.deepEqual(panel.buttons, ['back', 'retry']);
    window.panel.pressPublishButton('back');
    assert.equal(window.panel.dump().page, 'editing');

    // A delay of 2 "minutes" (200 ms each here): cancelled while waiting, nothing is published.
    window.panel.press('publish');
    await until(() => window.panel.dump().page === 'publish', 'the confirmation');
    window.panel.setPublishDelay(2);
    window.panel.pressPublishButton('publish');
    panel = window.panel.dump().publish;
    assert.equal(panel.state, 'waiting');
    assert.match(panel.message, /^Publishing at .+ \(in 0:01\)\. Keep swarmpress open until then; the draft stays saved\.$/);
    assert.deepEqual(panel.buttons, ['cancel', 'now']);
    window.panel.pressPublishButton('cancel');
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.equal(calls.published.length, 1, 'a cancelled wait publishes nothing');

    // Waited out: published by itself.
    window.panel.press('publish');
    await until(() => window.panel.dump().page === 'publish', 'the confirmation');
    window.panel.setPublishDelay(1);
    const started = Date.now();
    window.panel.pressPublishButton('publish');
    await until(() => window.panel.dump().publish.state === 'published', 'publishing after the delay');
    assert.ok(Date.now() - started >= 190, `published after ${Date.now() - started} ms`);
    assert.equal(window.panel.dump().publish.message, 'Published: version 2 of your site. Share this address:');
    assert.equal(calls.published.length, 2);
  } finally {
    window.close();
  }
});

test('a 100 KB draft: typing stays responsive while the preview follows', async (t) => {
  const paragraph = (i: number): string => `## Part ${i}\n\nSome *text* with a [link](p${i}.md) and **bold** words, number ${i}, to make the draft long.\n\n- one\n- two\n\n`;
  let body = '';
  for (let i = 0; body.length < 100 * 1024; i++) body += paragraph(i);
  const { window } = openEditor({}, { title: 'Long', body });
  try {
    await showAndFocus(window);
    await previewCurrent(window);
    const opened = window.panel.previewStats;
    await pressKeys(x.display, 'ctrl+End');
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const typedAt = Date.now();
    await typeText(x.display, 'Typing at the end of a long draft goes on while the preview is laid out.', 15);
    const typingMs = Date.now() - typedAt;
    await until(() => window.panel.dump(false).body.endsWith('laid out.'), 'every key in the text');
    await previewCurrent(window);
    delay.disable();
    const stats = window.panel.previewStats;
    const maxLagMs = delay.max / 1e6;
    t.diagnostic(`100 KB draft (${body.length} chars): first preview layout ${opened.layoutMs.toFixed(0)} ms in the worker + ${opened.showMs.toFixed(0)} ms to build the view; ` +
      `after typing: layout ${stats.layoutMs.toFixed(0)} ms + view ${stats.showMs.toFixed(0)} ms, painted ${stats.sinceChangeMs.toFixed(0)} ms after the last key; ` +
      `event loop lag while typing: p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms, max ${maxLagMs.toFixed(1)} ms over ${typingMs} ms of typing`);
    assert.ok(stats.showMs < 300, `building the preview took ${stats.showMs} ms`);
    assert.ok(maxLagMs < 300, `the UI thread was blocked for ${maxLagMs} ms while typing`);
    assert.ok(window.panel.dump(false).preview.length > 0);
  } finally {
    window.close();
  }
});
