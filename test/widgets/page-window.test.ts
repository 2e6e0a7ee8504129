/**
 * The page in the real window under a private Xvfb, in this process: web links ask first
 * (full URL, punycode host) without blocking the loop; other links and the play action
 * reach the commands; find, zoom and theme work from the window.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { after, before, test } from 'node:test';
import { layoutDoc } from '../../src/render/layout.js';
import { parseMarkdown } from '../../src/render/markdown.js';
import { folderSiteFiles } from '../../src/render/site-files.js';
import { MainWindow } from '../../src/widgets/main-window.js';
import { loadQt, memoryReleases, onMemoryRelease, RELEASE_QUIET_MS, type LoadedQt } from '../../src/widgets/qt-runtime.js';
import { artifactPath } from '../helpers/artifacts.js';
import { summarisePng } from '../helpers/png.js';
import { REPO_ROOT } from '../helpers/process.js';
import { startXvfb, type XServer } from '../helpers/xvfb.js';
import { until } from '../helpers/until.js';

let x: XServer;
let loaded: LoadedQt;
before(async () => {
  x = await startXvfb();
  process.env['DISPLAY'] = x.display;
  loaded = loadQt({ platform: 'xcb' });
});
after(async () => {
  loaded.stop();
  await x.stop();
});


const SOURCE = `# Links

[web](https://bücher.example/straße?q=1) [swarm](bittorrent://${'b'.repeat(64)}) [inert](javascript:alert(1)) [page](other.md)

![talk](clip.ogg)
`;

test('a web link opens only after the reader confirmed the full URL with its punycode host; other links go to the app', async () => {
  const links: number[] = [];
  const opened: string[] = [];
  const played: string[] = [];
  const window = new MainWindow(loaded.qt, { kiosk: false }, {
    onNavigate: () => undefined,
    onLink: (index) => links.push(index),
    onOpenExternal: (href) => opened.push(href),
    onPlay: (p) => played.push(p),
  });
  try {
    const plan = layoutDoc(parseMarkdown(SOURCE));
    window.showPage(plan, 'test:links', { files: folderSiteFiles(path.join(REPO_ROOT, 'assets', 'sample'), 'links.md') });
    let painted = false;
    window.onNextPaint(() => (painted = true));
    window.show();
    await until(() => painted, 'the first paint');
    const page = window.page;
    assert.ok(page !== undefined);

    page.activateLink(0);
    const confirmation = window.confirmation;
    assert.ok(confirmation !== undefined, 'a confirmation is shown');
    assert.equal(confirmation.shownUrl(), 'https://xn--bcher-kva.example/stra%C3%9Fe?q=1');
    assert.equal(confirmation.dialog.isVisible(), true);
    assert.deepEqual(opened, [], 'nothing opened before the answer');
    // The loop keeps running while the dialog is open (no nested exec()): Node timers poll this.
    // The X server itself lists the dialog's window: it is really on screen.
    const mapped = (): boolean => execFileSync('xwininfo', ['-display', x.display, '-root', '-tree'], { encoding: 'utf8' }).includes('"Open a web page?"');
    await until(mapped, 'the confirmation window on the X server');
    const grabbed = artifactPath('window-link-confirm.png');
    assert.ok(confirmation.dialog.grab().save(grabbed, 'PNG'));
    const dialogShot = summarisePng(grabbed);
    assert.ok(dialogShot.inked > 0.02 && dialogShot.colours > 8, JSON.stringify(dialogShot));
    confirmation.answer(false);
    assert.deepEqual(opened, []);
    page.activateLink(0);
    window.confirmation?.answer(true);
    assert.deepEqual(opened, ['https://xn--bcher-kva.example/stra%C3%9Fe?q=1']);

    for (const index of [1, 2, 3]) page.activateLink(index);
    assert.deepEqual(links, [1, 2, 3], 'swarm, inert and relative links go to the app, which decides');
    assert.equal(window.confirmation, undefined);

    const media = window.dump().page.find((node) => node.role === 'media');
    assert.match(media?.text ?? '', /clip\.ogg \(39 bytes\)/);
    assert.deepEqual(played, []);
  } finally {
    window.close();
  }
});

test('find, zoom and theme from the window', async () => {
  const window = new MainWindow(loaded.qt, { kiosk: false }, { onNavigate: () => undefined, onLink: () => undefined });
  try {
    const source = Array.from({ length: 400 }, (_, i) => `## Part ${i}\n\nText of part ${i}.\n`).join('\n');
    window.showPage(layoutDoc(parseMarkdown(source)), 'test:find');
    let painted = false;
    window.onNextPaint(() => (painted = true));
    window.show();
    await until(() => painted, 'the first paint');
    assert.deepEqual(window.find('part 399'), [1, 2]);
    assert.equal(window.dump().status, '1 of 2');
    const shown = window.dump().page.filter((node) => node.style['selected'] !== undefined);
    assert.deepEqual(shown.map((node) => node.style['selected']), ['Part 399']);
    assert.ok(window.dump().liveBlocks < 120, `live blocks ${window.dump().liveBlocks}`);
    window.setZoom(1.5);
    window.setTheme('dark');
    const dump = window.dump();
    assert.equal(dump.zoom, 1.5);
    assert.equal(dump.theme, 'dark');
    assert.equal(dump.page.find((node) => node.role === 'h2')?.style['fontPx'], 36);
    const page = window.page;
    assert.ok(page !== undefined);
    page.update();
    const onScreen = page.dump(false).filter((node) => node.role === 'h2').map((node) => node.text);
    assert.ok(onScreen.includes('Part 399'), `the reader's place is kept through zoom and theme: ${onScreen.join(', ')}`);
    const file = artifactPath('window-dark-zoomed.png');
    painted = false;
    window.onNextPaint(() => (painted = true));
    await until(() => painted, 'a paint after restyling');
    assert.ok(window.grab(file));
    assert.ok(summarisePng(file).colours > 8);
  } finally {
    window.close();
  }
});

test('after a long page was scrolled through, the window hands memory back once it has been quiet, not while the reader scrolls', async () => {
  const window = new MainWindow(loaded.qt, { kiosk: false }, { onNavigate: () => undefined, onLink: () => undefined });
  const majorGcs: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if ((entry as { readonly detail?: { readonly kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majorGcs.push(entry.startTime);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  try {
    const source = Array.from({ length: 600 }, (_, i) => `## Part ${i}\n\nSome *words* of part ${i}, with a [link](p${i}.md).\n`).join('\n');
    window.showPage(layoutDoc(parseMarkdown(source)), 'test:long');
    let painted = false;
    window.onNextPaint(() => (painted = true));
    window.show();
    await until(() => painted, 'the first paint');
    const page = window.page;
    assert.ok(page !== undefined);
    const before = memoryReleases();
    // What other parts of the program keep (the store's page cache) is released with it,
    // each part on its own: one that fails does not keep the others from it.
    const released: string[] = [];
    const forgetFailing = onMemoryRelease(() => {
      released.push('failing');
      throw new Error('cannot release');
    });
    const forgetCache = onMemoryRelease(() => {
      released.push('cache');
    });
    // Scrolling screen by screen, one step per 200 ms: never quiet for RELEASE_QUIET_MS.
    const step = page.widget.viewport().height();
    const started = performance.now();
    for (let y = step; y < page.pageHeight && performance.now() - started < RELEASE_QUIET_MS * 2; y += step) {
      page.scrollTo(y);
      await new Promise((resolve) => setTimeout(resolve, RELEASE_QUIET_MS / 10));
      assert.equal(memoryReleases(), before, 'no release while the reader is scrolling');
    }
    const quietFrom = performance.now();
    await until(() => memoryReleases() === before + 1, 'the release after the reader stopped', RELEASE_QUIET_MS * 3);
    assert.ok(performance.now() - quietFrom >= RELEASE_QUIET_MS * 0.9, 'not before the window was quiet');
    assert.deepEqual(released, ['failing', 'cache'], 'every part released once, with the release');
    forgetFailing();
    forgetCache();
    const releasedAt = performance.now();
    // V8 acts on the notification: a full (memory-reducing) collection follows.
    await until(() => majorGcs.some((at) => at >= releasedAt - 50), 'a full collection after the release', 5000);
    await new Promise((resolve) => setTimeout(resolve, RELEASE_QUIET_MS * 1.5));
    assert.equal(memoryReleases(), before + 1, 'once, while nothing else happens');
  } finally {
    observer.disconnect();
    window.close();
  }
});
