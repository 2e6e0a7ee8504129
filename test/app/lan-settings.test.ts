/**
 * Edit → Settings → "Announce on the local network" in the real window on a real LAN
 * (network namespaces on one bridge, the DHT off): the choice is saved in settings.json and
 * the running node's LAN notice changes at once (issue #25 item 11). A plain LAN listener on
 * a second host prints every notice it hears (test/fixtures/lan-node.ts).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { dialogUntil, untilDump, writeFiles } from '../helpers/app-window.js';
import { hostArgs, LAN_NODE_ENV, runOnHost } from '../helpers/lan-nodes.js';
import { createLan, netnsUnavailable, type Lan } from '../helpers/netns.js';
import { REPO_ROOT, SWARMPRESS_BIN, type Message } from '../helpers/process.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';
import { clickAt, findWindow, focusWindow, pressKeys } from '../helpers/xdotool.js';
import { startXvfb, type XServer } from '../helpers/xvfb.js';

const unavailable = await netnsUnavailable();
const skip = unavailable === undefined ? false : `needs network namespaces: ${unavailable}`;

const OBSERVER = 'dist/test/fixtures/lan-node.js';

let lan: Lan;
let dir: string;
let x: XServer;

before(async () => {
  if (skip !== false) return;
  dir = makeTempDir('swarmpress-lan-settings-');
  x = await startXvfb();
  lan = await createLan(2);
});
after(async () => {
  if (skip !== false) return;
  await lan.close();
  await x.stop();
  removeDir(dir);
});

test('Edit → Settings: "Announce on the local network: nothing" is saved and the LAN stops hearing of the own site at once', { skip, timeout: 180_000 }, async () => {
  const [hostApp, hostObserver] = lan.hosts;
  assert.ok(hostApp !== undefined && hostObserver !== undefined);
  const appDir = path.join(dir, 'app');
  const site = writeFiles(path.join(dir, 'site'), { 'index.md': '---\ntitle: Alice at home\n---\n# Alice at home\n\nHello.\n' });
  const key = ((await runOnHost(hostApp, appDir, ['publish', site])).at(-1)?.['url'] as string).slice('bittorrent://'.length);

  const observer = hostObserver.startNode([OBSERVER, JSON.stringify({ port: 6881, sites: [], interfaceAddress: hostObserver.address })]);
  await observer.waitFor((m) => m['event'] === 'ready', 'the observer to start');
  const ofApp = (m: Message): readonly { key: string }[] | undefined => {
    const peer = m['peer'] as { host: string; sites: { key: string }[] } | undefined;
    return m['event'] !== 'peer-down' && peer?.host === hostApp.address ? peer.sites : undefined;
  };
  const app = hostApp.startNode([SWARMPRESS_BIN, ...hostArgs(hostApp, appDir)], {
    env: { ...LAN_NODE_ENV, DISPLAY: x.display, SWARMPRESS_AUTOMATION: '1' },
    cwd: REPO_ROOT,
  });
  await app.waitFor((m) => m['automation'] === 'ready', 'the first painted page', 30_000);
  await observer.waitFor((m) => ofApp(m)?.some((announced) => announced.key === key) === true, 'the app to announce its own site', 60_000);

  await focusWindow(x.display, await findWindow(x.display, 'Welcome to swarmpress — swarmpress'));
  await pressKeys(x.display, 'ctrl+comma');
  const shown = await dialogUntil(app, 'settings', () => true, 'the settings dialog');
  assert.equal((shown['values'] as Record<string, unknown>)['lanAnnounce'], 'own-and-followed', 'the default');
  await focusWindow(x.display, await findWindow(x.display, 'Settings — swarmpress'));
  // Cache budget (focused), upload, download, two check boxes, then the LAN choice; End picks its last entry.
  await pressKeys(x.display, 'Tab', 'Tab', 'Tab', 'Tab', 'Tab', 'End');
  const chosen = await dialogUntil(app, 'settings', (dump) => (dump['values'] as Record<string, unknown>)['lanAnnounce'] === 'nothing', '"nothing" chosen');
  const from = observer.messages.length;
  const at = (chosen['buttons'] as Record<string, { x: number; y: number }>)['submit'];
  assert.ok(at !== undefined);
  await clickAt(x.display, at.x, at.y);
  const saved = await untilDump(app, (dump) => String(dump['status']).startsWith('Settings saved'), 'the settings saved');
  assert.match(String(saved['status']), /announcing no site on the local network/);
  assert.equal((JSON.parse(fs.readFileSync(path.join(appDir, 'settings.json'), 'utf8')) as Record<string, unknown>)['lanAnnounce'], 'nothing');
  await observer.waitFor((m) => ofApp(m)?.length === 0, 'the app to announce no site', 30_000, from);

  app.send({ cmd: 'close' });
  assert.deepEqual(await app.waitExit(30_000), { code: 0, signal: null }, app.stderr);
});
