/**
 * What a node tells everyone on its LAN (issue #25 item 11): its mDNS notice names its own
 * sites and, by default, the sites it follows — never a site it only read — and the data
 * folder's settings.json chooses own sites only, or nothing. Real `swarmpress serve` nodes on
 * hosts of a namespace LAN (the DHT off), and a plain LAN listener on a third host that
 * prints every notice it hears (test/fixtures/lan-node.ts).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { runOnHost, serveOnHost } from '../../helpers/lan-nodes.js';
import { createLan, netnsUnavailable, type Lan, type LanHost } from '../../helpers/netns.js';
import type { Driven, Message } from '../../helpers/process.js';
import { makeTempDir, removeDir } from '../../helpers/temp.js';

const unavailable = await netnsUnavailable();
const skip = unavailable === undefined ? false : `needs network namespaces: ${unavailable}`;

const OBSERVER = 'dist/test/fixtures/lan-node.js';

interface WirePeer {
  readonly host: string;
  readonly sites: readonly { readonly key: string; readonly seq: string; readonly title?: string }[];
}

let lan: Lan;
let dir: string;

before(async () => {
  if (skip !== false) return;
  dir = makeTempDir('swarmpress-lan-announce-');
  lan = await createLan(3);
});
after(async () => {
  if (skip !== false) return;
  await lan.close();
  removeDir(dir);
});

function last(messages: readonly Message[]): Message {
  const message = messages.at(-1);
  assert.ok(message !== undefined);
  return message;
}

/** A site folder whose page has `title`; returns the folder. */
function siteFolder(name: string, title: string, text: string): string {
  const folder = path.join(dir, name);
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'index.md'), `---\ntitle: ${title}\n---\n# ${title}\n\n${text}\n`);
  return folder;
}

/** Publishes `folder` as site `name` on the node of `dataDir`; returns its key (hex). */
async function publish(host: LanHost, dataDir: string, folder: string, name: string): Promise<string> {
  const url = last(await runOnHost(host, dataDir, ['publish', folder, '--site', name]))['url'] as string;
  return url.slice('bittorrent://'.length);
}

/** The notice of the neighbour at `address` in an observer's message, if the message is about it. */
function noticeOf(address: string, message: Message): WirePeer | undefined {
  const peer = message['peer'] as WirePeer | undefined;
  return message['event'] !== 'peer-down' && peer?.host === address ? peer : undefined;
}

/** Every site key the observer heard `address` announce, from message `from` on. */
function heardFrom(observer: Driven, address: string, from = 0): Set<string> {
  const keys = new Set<string>();
  for (const message of observer.messages.slice(from)) for (const site of noticeOf(address, message)?.sites ?? []) keys.add(site.key);
  return keys;
}

/** The sites the observer hears `address` announce now (its latest notice), sorted. */
async function announcedNow(observer: Driven, address: string): Promise<string[]> {
  const stats = await observer.request({ cmd: 'stats' });
  const peer = (stats['peers'] as WirePeer[]).find((candidate) => candidate.host === address);
  assert.ok(peer !== undefined, `the observer hears ${address}`);
  return peer.sites.map((site) => site.key).sort();
}

async function restart(node: Driven, host: LanHost, dataDir: string, settings: Record<string, unknown>): Promise<Driven> {
  node.child.kill('SIGTERM');
  assert.equal((await node.waitExit(20_000)).code, 0, node.stderr);
  fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify(settings));
  return serveOnHost(host, dataDir);
}

test('the LAN hears of own and followed sites, never one only read; settings.json chooses own only, or nothing', { skip, timeout: 300_000 }, async () => {
  const [hostBob, hostA, hostObserver] = lan.hosts;
  assert.ok(hostBob !== undefined && hostA !== undefined && hostObserver !== undefined);
  const bobDir = path.join(dir, 'bob');
  const aDir = path.join(dir, 'a');
  const observer = hostObserver.startNode([OBSERVER, JSON.stringify({ port: 6881, sites: [], interfaceAddress: hostObserver.address })]);
  await observer.waitFor((m) => m['event'] === 'ready', 'the observer to start');
  let [, a] = await Promise.all([serveOnHost(hostBob, bobDir), serveOnHost(hostA, aDir)]);

  const clinic = await publish(hostBob, bobDir, siteFolder('clinic', 'Bob clinic notes', 'Tuesday: three patients.'), 'clinic');
  const news = await publish(hostBob, bobDir, siteFolder('news', 'Village news', 'The well is fixed.'), 'news');
  const own = await publish(hostA, aDir, siteFolder('own', 'Alice at home', 'Hello.'), 'home');

  // A reads Bob's clinic notes (get, not follow), and reads then follows the village news.
  assert.equal(last(await runOnHost(hostA, aDir, ['get', `bittorrent://${clinic}`]))['source'], 'lan');
  assert.equal(last(await runOnHost(hostA, aDir, ['get', `bittorrent://${news}`]))['source'], 'lan');
  assert.equal(last(await runOnHost(hostA, aDir, ['follow', news]))['event'], 'followed');
  // The follow itself republishes A's notice (no new record comes with it).
  await observer.waitFor((m) => noticeOf(hostA.address, m)?.sites.some((site) => site.key === news) === true, 'A to announce the site it follows', 30_000);
  assert.deepEqual(await announcedNow(observer, hostA.address), [own, news].sort(), 'A announces its own site and the followed one');
  assert.equal(heardFrom(observer, hostA.address).has(clinic), false, 'A never announced the site it only read');
  assert.deepEqual(await announcedNow(observer, hostBob.address), [clinic, news].sort(), "Bob's own sites are announced");

  // Own sites only.
  let from = observer.messages.length;
  a = await restart(a, hostA, aDir, { lanAnnounce: 'own' });
  await observer.waitFor((m) => noticeOf(hostA.address, m)?.sites.some((site) => site.key === own) === true, 'A to announce its own site again', 30_000, from);
  assert.deepEqual([...heardFrom(observer, hostA.address, from)], [own], 'with "own", A announces only its own site');

  // Nothing: A still finds its neighbours and reads from them, and announces no site.
  from = observer.messages.length;
  a = await restart(a, hostA, aDir, { lanAnnounce: 'nothing' });
  await observer.waitFor((m) => noticeOf(hostA.address, m) !== undefined, 'A to be heard again', 30_000, from);
  const market = await publish(hostBob, bobDir, siteFolder('market', 'Market day', 'Sunday.'), 'market');
  assert.equal(last(await runOnHost(hostA, aDir, ['get', `bittorrent://${market}`]))['source'], 'lan', 'A still reads from its LAN neighbours');
  // A new record of its own would republish a notice that names sites.
  await publish(hostA, aDir, siteFolder('own', 'Alice at home', 'Hello again.'), 'home');
  // Heard after anything A sent before it: Bob's next notice.
  const marketAgain = await publish(hostBob, bobDir, siteFolder('market', 'Market day', 'Sunday, and Wednesday.'), 'market');
  assert.equal(marketAgain, market);
  await observer.waitFor((m) => noticeOf(hostBob.address, m)?.sites.some((site) => site.key === market && site.seq === '1') === true, "Bob's market site at seq 1", 30_000, from);
  assert.deepEqual(await announcedNow(observer, hostA.address), [], 'with "nothing", A announces no site');
  assert.deepEqual([...heardFrom(observer, hostA.address, from)], [], 'A announced no site since it started with "nothing"');

  a.child.kill('SIGTERM');
  assert.equal((await a.waitExit(20_000)).code, 0, a.stderr);
});
