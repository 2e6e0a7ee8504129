/**
 * Every window and dialog on small screens (issue #22), in the real app under a bare Xvfb
 * (no window manager) at 800×600, 1024×768 and 1920×1080: the reader with a page of wide
 * content (a 300-character word, a 12-column table, wide code, a 3000 px wide picture), the
 * longest status line, the library, the site information, the settings, a new site, the
 * editor and its publish confirmation. For each, a screenshot is kept as an artifact and the
 * app's own widget tree (automation `geometry`) must show every window inside the screen,
 * no wider than it, and every visible control inside the screen and not cut off by the
 * widgets around it, unless a scroll area around it can bring the rest into view.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PNG } from 'pngjs';
import type { WidgetGeometry } from '../../src/widgets/qt-runtime.js';
import { dialogUntil, editorUntil, grabWindow, pageText, untilDump, writeFiles } from '../helpers/app-window.js';
import { artifactPath } from '../helpers/artifacts.js';
import { runCli } from '../helpers/nodes.js';
import { startSwarmpress, type Driven, type Message } from '../helpers/process.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';
import { findWindow, focusWindow, pressKeys, typeText } from '../helpers/xdotool.js';
import { startXvfb, type XServer } from '../helpers/xvfb.js';

const LONG_WORD = 'Pneumonoultramicroscopicsilicovolcanoconiosis'.repeat(7).slice(0, 300);
const COLUMNS = 12;

function widePage(): string {
  const header = `| ${Array.from({ length: COLUMNS }, (_, i) => `Column ${i + 1}`).join(' | ')} |`;
  const rule = `|${'---|'.repeat(COLUMNS)}`;
  const row = (r: number): string => `| ${Array.from({ length: COLUMNS }, (_, i) => `value ${r}.${i + 1}`).join(' | ')} |`;
  return [
    '# Wide content',
    '',
    `A word of 300 characters: ${LONG_WORD} and the sentence goes on.`,
    '',
    header, rule, row(1), row(2),
    '',
    '```',
    `const line = "${'x'.repeat(260)}";`,
    '```',
    '',
    '![a wide picture](wide.png)',
    '',
    'The end of the page.',
    '',
  ].join('\n');
}

/** A PNG `width` × `height` of a horizontal gradient. */
function gradientPng(width: number, height: number): Buffer {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * 4;
      png.data[at] = Math.round((x / width) * 255);
      png.data[at + 1] = 120;
      png.data[at + 2] = 200;
      png.data[at + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

type Rect = { readonly x: number; readonly y: number; readonly width: number; readonly height: number };

function inside(inner: Rect, outer: Rect): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
}

/** What is wrong with the app's windows on its screen: windows off or wider than the screen, controls off it or cut off. */
function problemsOf(geometry: WidgetGeometry): string[] {
  const screen = geometry.screen;
  assert.ok(screen !== undefined, 'the app reports its screen');
  const problems: string[] = [];
  for (const window of geometry.windows) {
    const label = `${window.className} '${window.title || window.name}'`;
    if (window.frame.width > screen.width) problems.push(`${label} is ${window.frame.width} px wide on a ${screen.width} px screen`);
    if (!inside(window.frame, screen)) problems.push(`${label} at ${JSON.stringify(window.frame)} is not inside the screen ${JSON.stringify(screen)}`);
    for (const control of window.controls) {
      const { rect, clip, scrolls } = control;
      if (rect.width <= 0 || rect.height <= 0 || clip.width <= 0 || clip.height <= 0) continue;
      const what = `${label}: ${control.className} '${control.name || control.text.slice(0, 40)}' at ${JSON.stringify(rect)}`;
      if (!inside(clip, screen)) problems.push(`${what} is not inside the screen`);
      if (!scrolls.horizontal && (clip.x !== rect.x || clip.width !== rect.width)) problems.push(`${what} is cut off sideways (visible ${JSON.stringify(clip)})`);
      if (!scrolls.vertical && (clip.y !== rect.y || clip.height !== rect.height)) problems.push(`${what} is cut off at the top or bottom (visible ${JSON.stringify(clip)})`);
    }
  }
  return problems;
}

async function geometry(app: Driven): Promise<WidgetGeometry> {
  return (await app.request({ cmd: 'geometry' })) as unknown as WidgetGeometry;
}

/** Asserts that everything fits, with the problems found as the message; returns the geometry. */
async function assertFits(app: Driven, what: string): Promise<WidgetGeometry> {
  const found = await geometry(app);
  const problems = problemsOf(found);
  assert.deepEqual(problems, [], `${what}: ${problems.length} problems`);
  return found;
}

function windowNamed(found: WidgetGeometry, name: string): WidgetGeometry['windows'][number] | undefined {
  return found.windows.find((window) => window.name === name);
}

// The last: an 800×600 screen with everything drawn at 150% (QT_SCALE_FACTOR, as a person
// with poor sight sets it), which leaves 533×400 of Qt's pixels.
for (const [width, height, scale] of [[800, 600, 1], [1024, 768, 1], [1920, 1080, 1], [800, 600, 1.5]] as const) {
  describe(`${width}×${height}${scale === 1 ? '' : ` at ${scale * 100}%`}`, () => {
    let x: XServer;
    let root: string;
    let app: Driven;
    let url: string;
    const size = `${width}x${height}${scale === 1 ? '' : `-${scale * 100}`}`;
    before(async () => {
      x = await startXvfb(width, height);
      root = makeTempDir(`swarmpress-small-screens-${size}-`);
      const dataDir = path.join(root, 'app');
      const site = writeFiles(path.join(root, 'site'), { 'index.md': `---\ntitle: Wide content\n---\n${widePage()}` });
      fs.writeFileSync(path.join(site, 'wide.png'), gradientPng(3000, 150));
      const published = await runCli(['publish', site, '--json', '--data-dir', dataDir, '--no-dht', '--no-lan', '--listen', '127.0.0.1:0']);
      assert.equal(published.code, 0, published.stderr);
      // The version itself (its infohash): this app stores it, and shows it with no network.
      url = `bittorrent://${String(published.messages.at(-1)?.['infohash'])}`;
      app = startSwarmpress(['--data-dir', dataDir, '--no-dht', '--no-lan', '--listen', '127.0.0.1:0', url], { DISPLAY: x.display, ...(scale === 1 ? {} : { QT_SCALE_FACTOR: String(scale) }) });
      await app.waitFor((m) => m['automation'] === 'ready', 'the first painted page', 60_000);
      await untilDump(app, (dump) => pageText(dump).includes('The end of the page.'), 'the wide page', 60_000);
    });
    after(async () => {
      if (app.child.exitCode === null && app.child.signalCode === null) {
        app.send({ cmd: 'close' });
        await app.waitExit(20_000).catch(() => undefined);
      }
      await x.stop();
      removeDir(root);
    });

    test('the reader with a 300-character word, a 12-column table, wide code and a 3000 px picture: nothing off the screen or cut off', async () => {
      const dump = await untilDump(app, (d) => (d['page'] as { role: string }[]).some((node) => node.role === 'image'), 'the picture laid out');
      await grabWindow(app, `small-screens-${size}-reader.png`);
      const found = await assertFits(app, 'the reader');
      const main = windowNamed(found, 'main-window');
      assert.ok(main !== undefined);
      assert.ok(main.frame.width <= width / scale, `the window is ${main.frame.width} px wide`);
      // Nothing of the page's text is lost: the long word and every cell read back whole.
      const page = dump['page'] as { role: string; text: string; cells?: string[][]; style: Record<string, unknown> }[];
      assert.ok(pageText(dump).includes(LONG_WORD));
      const table = page.find((node) => node.role === 'table');
      assert.ok(table?.cells !== undefined);
      const [header, , second] = table.cells;
      assert.equal(header?.length, COLUMNS);
      assert.equal(header[COLUMNS - 1], `Column ${COLUMNS}`);
      assert.equal(second?.[COLUMNS - 1], `value 2.${COLUMNS}`);
      // The table is as wide as its cells need: wider than the page on a small screen, then it scrolls sideways.
      const gridWidth = Number(table.style['gridWidth']);
      assert.ok(gridWidth > 0);
      if (table.style['scrolls'] === true) assert.ok(gridWidth > main.geometry.width / 2);
      // Where the text buttons leave the address bar too little room they are in the "⋯" menu, with their shortcuts.
      const navigation = dump['navigation'] as { collapsed: boolean; menu: string[]; actions: string[] };
      assert.deepEqual(navigation.actions, ['Follow', 'Reply', 'Edit']);
      if (scale > 1) assert.deepEqual(navigation.menu, ['Follow\tCtrl+D', 'Reply\tCtrl+Shift+R', 'Edit\tCtrl+Shift+E', 'Library\tCtrl+B']);
      if (width === 1920) assert.equal(navigation.collapsed, false);
      const image = page.find((node) => node.role === 'image');
      assert.ok(Number(image?.style['shownWidth']) <= main.geometry.width, `the picture is shown ${String(image?.style['shownWidth'])} px wide`);
    });

    test('the longest status line is elided to the window, whole in its tooltip, and never widens the window', async () => {
      const before = windowNamed(await geometry(app), 'main-window');
      // What the reader typed is said back whole: the status line is as long as the typing.
      const typed = `not-an-address-${'and-more-of-it-'.repeat(20)}`;
      await focusWindow(x.display, await findWindow(x.display, 'Wide content — swarmpress'));
      await pressKeys(x.display, 'ctrl+l');
      await typeText(x.display, `${typed}\n`, 2);
      const dump = await untilDump(app, (d) => String(d['status']).startsWith(`'${typed}' is not an address`), 'the long status');
      const whole = String(dump['status']);
      const shown = String(dump['statusShown']);
      assert.ok(whole.length > 300, whole);
      assert.ok(shown.length < whole.length && shown.endsWith('…'), `the status shows ${JSON.stringify(shown)}`);
      await grabWindow(app, `small-screens-${size}-long-status.png`);
      const found = await assertFits(app, 'after the longest status');
      const after = windowNamed(found, 'main-window');
      assert.deepEqual(after?.frame, before?.frame, 'the window kept its size and place');
    });

    test('the library, the site information, the settings and a new site fit the screen, and Escape closes each dialog', async () => {
      await focusWindow(x.display, await findWindow(x.display, 'Wide content — swarmpress'));
      await pressKeys(x.display, 'ctrl+b');
      await untilDump(app, (dump) => dump['library'] !== undefined, 'the library');
      await grabWindow(app, `small-screens-${size}-library.png`);
      await assertFits(app, 'the library');
      await pressKeys(x.display, 'ctrl+b');
      await untilDump(app, (dump) => dump['library'] === undefined, 'the library closed');

      await pressKeys(x.display, 'ctrl+i');
      await untilDump(app, (dump) => dump['siteInfo'] !== undefined, 'the site information');
      await grabWindow(app, `small-screens-${size}-site-info.png`, 'site-info');
      await assertFits(app, 'the site information');
      await focusWindow(x.display, await findWindow(x.display, 'Site information — Wide content'));
      await pressKeys(x.display, 'Escape');
      await untilDump(app, (dump) => dump['siteInfo'] === undefined, 'the site information closed by Escape');

      for (const [keys, name, title] of [['ctrl+comma', 'settings', 'Settings — swarmpress'], ['ctrl+shift+n', 'new-site', 'New site — swarmpress']] as const) {
        await focusWindow(x.display, await findWindow(x.display, 'Wide content — swarmpress'));
        await pressKeys(x.display, keys);
        await dialogUntil(app, name, (dump) => dump['title'] === title, `the ${name} dialog`);
        const shot = await app.request({ cmd: 'dialog', name, do: 'grab', path: artifactPath(`small-screens-${size}-${name}.png`) });
        assert.equal(shot['ok'], true);
        const found = await assertFits(app, `the ${name} dialog`);
        assert.ok(windowNamed(found, name) !== undefined);
        await focusWindow(x.display, await findWindow(x.display, title));
        await pressKeys(x.display, 'Escape');
        await dialogUntil(app, name, (dump) => /no dialog/.test(String(dump['error'])), `the ${name} dialog closed by Escape`);
      }
    });

    test('the editor and its publish confirmation fit the screen; Escape leaves the confirmation', async () => {
      await app.request({ cmd: 'newPost' });
      await editorUntil(app, (dump) => dump['focus'] === 'title', 'the editor');
      await focusWindow(x.display, await findWindow(x.display, 'New post — swarmpress'));
      await typeText(x.display, 'A post on a small screen\n');
      await typeText(x.display, 'Some text.');
      await app.request({ cmd: 'editor', do: 'grab', path: artifactPath(`small-screens-${size}-editor.png`) });
      const editor = await assertFits(app, 'the editor');
      assert.ok(windowNamed(editor, 'editor-window') !== undefined);
      await app.request({ cmd: 'editor', do: 'press', action: 'publish' });
      await editorUntil(app, (dump) => dump['page'] === 'publish' && (dump['publish'] as Message)['state'] === 'confirm', 'the publish confirmation');
      await app.request({ cmd: 'editor', do: 'grab', path: artifactPath(`small-screens-${size}-publish.png`) });
      const confirm = await assertFits(app, 'the publish confirmation');
      const publish = windowNamed(confirm, 'editor-window')?.controls.find((control) => control.name === 'publish-publish');
      assert.ok(publish !== undefined, 'the Publish button is shown');
      await pressKeys(x.display, 'Escape');
      await editorUntil(app, (dump) => dump['page'] === 'editing', 'Escape back to the editor');
      await app.request({ cmd: 'editor', do: 'close' });
    });

    test('Ctrl+Q closes every window, a dialog and an editor too, and the app ends', async () => {
      await app.request({ cmd: 'newPost' });
      await editorUntil(app, (dump) => dump['focus'] === 'title', 'the editor');
      await focusWindow(x.display, await findWindow(x.display, 'Wide content — swarmpress'));
      await pressKeys(x.display, 'ctrl+comma');
      await dialogUntil(app, 'settings', (dump) => dump['title'] === 'Settings — swarmpress', 'the settings dialog');
      await focusWindow(x.display, await findWindow(x.display, 'Wide content — swarmpress'));
      await pressKeys(x.display, 'ctrl+q');
      assert.deepEqual(await app.waitExit(30_000), { code: 0, signal: null }, app.stderr);
    });
  });
}
