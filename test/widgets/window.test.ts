import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { artifactPath } from '../helpers/artifacts.js';
import { summarisePng } from '../helpers/png.js';
import { startSwarmpress } from '../helpers/process.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';
import { startXvfb, type XServer } from '../helpers/xvfb.js';

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

    app.send({ cmd: 'close' });
    const exit = await app.waitExit();
    assert.deepEqual(exit, { code: 0, signal: null }, app.stderr);
  } finally {
    app.child.kill('SIGKILL');
  }
});
