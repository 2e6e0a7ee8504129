import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { artifactPath } from '../helpers/artifacts.js';
import { summarisePng } from '../helpers/png.js';
import { startSwarmpress } from '../helpers/process.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';
import { findWindow, focusWindow, pressKeys } from '../helpers/xdotool.js';
import { startXvfb, type XServer } from '../helpers/xvfb.js';
import { RELEASE_QUIET_MS } from '../../src/widgets/qt-runtime.js';

let x: XServer;
let dataDir: string;
before(async () => {
  x = await startXvfb();
  dataDir = makeTempDir();
});
after(async () => {
  await x.stop();
  removeDir(dataDir);
});

test('the window opens on the welcome page, drawn by native widgets', async () => {
  const app = startSwarmpress(['--data-dir', dataDir, '--no-dht', '--no-lan', '--listen', '127.0.0.1:0'], { DISPLAY: x.display });
  try {
    await app.waitFor((m) => m['automation'] === 'ready', 'the first painted page', 30_000);
    const dump = await app.request({ cmd: 'dump' });
    assert.equal(dump['title'], 'Welcome to swarmpress — swarmpress');
    assert.equal(dump['address'], 'swarmpress:welcome');
    const page = dump['page'] as { role: string; text: string; links: string[] }[];
    const heading = page.find((node) => node.role === 'h1');
    assert.equal(heading?.text, 'Welcome to swarmpress');
    assert.ok(page.some((node) => node.role === 'h2' && node.text === 'How it works'));
    assert.ok(page.some((node) => node.role === 'paragraph' && node.text.startsWith('•') && node.text.includes('public key')));
    assert.ok(page.some((node) => node.links.includes('publishing.md')));

    // Qt's own picture of the window.
    const grabbed = artifactPath('window-welcome.png');
    const grab = await app.request({ cmd: 'grab', path: grabbed });
    assert.equal(grab['ok'], true);
    const qtShot = summarisePng(grabbed);
    assert.ok(qtShot.width >= 600 && qtShot.height >= 400, `window size ${qtShot.width}x${qtShot.height}`);
    assert.ok(qtShot.colours > 16 && qtShot.inked > 0.01, `Qt grab looks blank: ${JSON.stringify(qtShot)}`);

    // The X server's picture of the whole screen: the window is really on it.
    const screen = artifactPath('screen-welcome.png');
    execFileSync('import', ['-display', x.display, '-window', 'root', screen]);
    const xShot = summarisePng(screen);
    assert.ok(xShot.colours > 16 && xShot.inked > 0.05, `X screenshot looks blank: ${JSON.stringify(xShot)}`);

    // The window's process runs on two malloc arenas (bin/swarmpress.js), where its dozen
    // threads would otherwise have had one each.
    const stats = await app.request({ cmd: 'stats' });
    assert.equal(stats['mallocArenas'], 2);

    app.send({ cmd: 'close' });
    const exit = await app.waitExit();
    assert.deepEqual(exit, { code: 0, signal: null }, app.stderr);
  } finally {
    app.child.kill('SIGKILL');
  }
});

test('menus opened again and again, with collections in between, keep working and never crash the app', async () => {
  const app = startSwarmpress(['--data-dir', dataDir, '--no-dht', '--no-lan', '--listen', '127.0.0.1:0'], { DISPLAY: x.display });
  try {
    await app.waitFor((m) => m['automation'] === 'ready', 'the first painted page', 30_000);
    const window = await findWindow(x.display, 'Welcome to swarmpress — swarmpress');
    // Each round opens the Site and File menus from the keyboard and closes them, then waits
    // past the window's memory release (a full collection): NodeGui 0.61 crashed here on the
    // second round (main-window.ts #holdSignalledActions).
    for (let round = 0; round < 3; round++) {
      await focusWindow(x.display, window);
      for (const menu of ['alt+s', 'alt+f']) {
        await pressKeys(x.display, menu);
        await new Promise((resolve) => setTimeout(resolve, 300));
        await pressKeys(x.display, 'Down', 'Escape', 'Escape');
      }
      await new Promise((resolve) => setTimeout(resolve, RELEASE_QUIET_MS + 1000));
      assert.equal(app.child.exitCode, null, `the app still runs after round ${round + 1}: ${app.stderr}`);
      assert.equal(app.child.signalCode, null, `the app still runs after round ${round + 1}: ${app.stderr}`);
    }
    // The menu's actions still reach the app: Site → Site information on the welcome page.
    await focusWindow(x.display, window);
    await pressKeys(x.display, 'alt+s');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await pressKeys(x.display, 'i');
    const deadline = Date.now() + 10_000;
    let status = '';
    while (Date.now() < deadline && !status.includes('belongs to no site')) {
      status = (await app.request({ cmd: 'dump' }))['status'] as string;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(status, 'Site information: this page belongs to no site.');
    app.send({ cmd: 'close' });
    assert.deepEqual(await app.waitExit(30_000), { code: 0, signal: null }, app.stderr);
  } finally {
    app.child.kill('SIGKILL');
  }
});
