/**
 * Kiosk mode in the real app under a bare Xvfb with no window manager (as a kiosk runs X),
 * 1024×768 (issue #22): `--kiosk URL` covers the whole screen; a link to another site is
 * refused and the kiosk stays on its site; a page of its own site opens; after the idle time
 * without input (`--kiosk-idle 3`) it goes back to its home page by itself. Links are
 * clicked with xdotool where the app's dump says they are.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { WidgetGeometry } from '../../src/widgets/qt-runtime.js';
import { grabWindow, untilDump, writeFiles } from '../helpers/app-window.js';
import { runCli } from '../helpers/nodes.js';
import { startSwarmpress, type Driven, type Message } from '../helpers/process.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';
import { clickAt } from '../helpers/xdotool.js';
import { startXvfb, type XServer } from '../helpers/xvfb.js';

const WIDTH = 1024;
const HEIGHT = 768;
const IDLE_S = 3;

let x: XServer;
let root: string;
let app: Driven | undefined;
before(async () => {
  x = await startXvfb(WIDTH, HEIGHT);
  root = makeTempDir('swarmpress-kiosk-');
});
after(async () => {
  if (app !== undefined && app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
  await x.stop();
  removeDir(root);
});

async function publish(dataDir: string, folder: string, site: string): Promise<string> {
  const result = await runCli(['publish', folder, '--site', site, '--json', '--data-dir', dataDir, '--no-dht', '--no-lan', '--listen', '127.0.0.1:0']);
  assert.equal(result.code, 0, result.stderr);
  // The version itself: stored here, shown with no network.
  return `bittorrent://${String(result.messages.at(-1)?.['infohash'])}`;
}

type Block = { text: string; screen?: { x: number; y: number; width: number; height: number } };

/** Clicks the link that is the whole text of a block of the page shown, once it is on the screen; returns when the click was started. */
async function clickLink(driven: Driven, text: string): Promise<number> {
  const find = (dump: Message): Block | undefined => (dump['page'] as Block[]).find((block) => block.text === text && block.screen !== undefined);
  const node = find(await untilDump(driven, (dump) => find(dump) !== undefined, `the link '${text}' on the screen`));
  assert.ok(node?.screen !== undefined);
  const at = Date.now();
  await clickAt(x.display, node.screen.x + 12, node.screen.y + Math.floor(node.screen.height / 2));
  return at;
}

test('a kiosk covers the screen without a window manager, refuses other sites, and goes home after the idle time', async (t) => {
  const dataDir = path.join(root, 'kiosk');
  const other = await publish(dataDir, writeFiles(path.join(root, 'other'), { 'index.md': '# Another site\n\nNot for this kiosk.\n' }), 'other');
  const home = await publish(dataDir, writeFiles(path.join(root, 'home'), {
    'index.md': `# Town library\n\n[Another site](${other})\n\n[Opening hours](hours.md)\n`,
    'hours.md': '# Opening hours\n\nMonday to Friday, 9 to 5.\n',
  }), 'home');
  app = startSwarmpress(['--data-dir', dataDir, '--no-dht', '--no-lan', '--listen', '127.0.0.1:0', '--kiosk', home, '--kiosk-idle', String(IDLE_S)], { DISPLAY: x.display });
  await app.waitFor((m) => m['automation'] === 'ready', 'the first painted page', 60_000);
  await untilDump(app, (dump) => dump['title'] === 'Town library — swarmpress', 'the home page');

  const geometry = (await app.request({ cmd: 'geometry' })) as unknown as WidgetGeometry;
  const main = geometry.windows.find((window) => window.name === 'main-window');
  assert.deepEqual(geometry.screen, { x: 0, y: 0, width: WIDTH, height: HEIGHT });
  assert.deepEqual(main?.frame, geometry.screen, 'the kiosk covers the whole screen');
  assert.equal(main.fullScreen, true);
  await grabWindow(app, 'kiosk-1024x768.png');

  await clickLink(app, 'Another site');
  const refused = await untilDump(app, (dump) => String(dump['status']).startsWith('This kiosk shows only its own site'), 'the other site refused');
  assert.equal(refused['status'], `This kiosk shows only its own site: ${other} was not opened.`);
  assert.equal(refused['address'], home);
  assert.equal(refused['title'], 'Town library — swarmpress');

  // The last input: the kiosk cannot be home again before the idle time has passed since.
  const lastInputAt = await clickLink(app, 'Opening hours');
  await untilDump(app, (dump) => dump['title'] === 'Opening hours — swarmpress', 'a page of its own site');
  const back = await untilDump(app, (dump) => dump['title'] === 'Town library — swarmpress', 'the home page again after the idle time', 30_000);
  const idleMs = Date.now() - lastInputAt;
  t.diagnostic(`home again ${idleMs} ms after the last click (idle time ${IDLE_S} s)`);
  assert.ok(idleMs >= IDLE_S * 1000, `went home after ${idleMs} ms`);
  assert.equal(back['address'], home);

  app.send({ cmd: 'close' });
  assert.equal((await app.waitExit(30_000)).code, 0);
});
