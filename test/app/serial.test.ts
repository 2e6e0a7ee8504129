/**
 * A series with media, read in the real app under a private Xvfb and driven with the mouse
 * (xdotool clicks where the window's dump says the widgets are on screen): a second node
 * (`swarmpress serve` on a private DHT of libtorrent nodes on 127.0.0.1) publishes part 1,
 * which carries an Ogg clip and a `next` to part 2. "Next →" opens part 2; Play hands the
 * clip, from the app's own store, to the system player through the real `xdg-open`, which
 * finds the player the freedesktop.org way (mimeapps.list default -> .desktop entry) in
 * an XDG config and data folder of the test's own. Screenshots of both parts are kept.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { appTestbed } from '../helpers/app-testbed.js';
import { grabWindow, pageText, untilDump, writeFiles } from '../helpers/app-window.js';
import { localArgs, runCli, startServe } from '../helpers/nodes.js';
import { startSwarmpress, type Message } from '../helpers/process.js';
import { clickAt } from '../helpers/xdotool.js';

const bed = appTestbed('swarmpress-serial-app-');

/** The CRC-32 of Ogg pages (RFC 3533 section 6: polynomial 0x04c11db7, no reflection, start 0). */
function oggCrc(bytes: Buffer): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 24;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x80000000 ? ((crc << 1) ^ 0x04c11db7) >>> 0 : (crc << 1) >>> 0;
  }
  return crc >>> 0;
}

/**
 * The first page of an Ogg Vorbis stream (RFC 3533 page header, Vorbis I identification
 * header: 2 channels, 44.1 kHz), with its CRC: what `file` (and so xdg-mime) reads as audio/ogg.
 */
function oggVorbisHead(): Buffer {
  const id = Buffer.alloc(30);
  id.writeUInt8(1, 0);
  id.write('vorbis', 1, 'latin1');
  id.writeUInt32LE(0, 7); // vorbis_version
  id.writeUInt8(2, 11); // audio_channels
  id.writeUInt32LE(44_100, 12); // audio_sample_rate
  id.writeInt32LE(128_000, 20); // bitrate_nominal
  id.writeUInt8(0xb8, 28); // blocksize_0 = 2^8, blocksize_1 = 2^11
  id.writeUInt8(1, 29); // framing flag
  const header = Buffer.alloc(28);
  header.write('OggS', 0, 'latin1');
  header.writeUInt8(0x02, 5); // beginning of stream
  header.writeUInt32LE(0x5357_4150, 14); // stream serial number
  header.writeUInt8(1, 26); // one lacing value
  header.writeUInt8(id.length, 27);
  const page = Buffer.concat([header, id]);
  page.writeUInt32LE(oggCrc(page), 22);
  return page;
}

async function cli(dataDir: string, args: readonly string[]): Promise<readonly Message[]> {
  const result = await runCli([...args, '--json', '--data-dir', dataDir, ...localArgs(bed.port)]);
  assert.equal(result.code, 0, `exit ${String(result.code ?? result.signal)}: ${result.stderr}`);
  return result.messages;
}

/**
 * A system media player for audio/ogg, known only to this test's XDG folders: a .desktop
 * entry that is the mimeapps.list default, whose program writes the path it was given to
 * `played`. A second entry for audio/ogg that prefers itself (InitialPreference) and writes
 * to `decoy` is what xdg-mime would pick if it did not read mimeapps.list. Returns the
 * environment that points xdg-open at these folders.
 */
function installPlayer(dir: string, played: string, decoy: string): NodeJS.ProcessEnv {
  fs.mkdirSync(dir, { recursive: true });
  const program = (name: string, out: string): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, `#!/bin/sh\nprintf '%s\\n' "$@" > '${out}.part' && mv '${out}.part' '${out}'\n`, { mode: 0o755 });
    return file;
  };
  const config = path.join(dir, 'config');
  const data = path.join(dir, 'data');
  writeFiles(path.join(data, 'applications'), {
    'swarmpress-test-player.desktop': `[Desktop Entry]\nType=Application\nName=Test player\nExec=${program('player.sh', played)} %f\nMimeType=audio/ogg;\n`,
    'swarmpress-other-player.desktop': `[Desktop Entry]\nType=Application\nName=Other player\nExec=${program('other.sh', decoy)} %f\nMimeType=audio/ogg;\nInitialPreference=10\n`,
  });
  writeFiles(config, { 'mimeapps.list': '[Default Applications]\naudio/ogg=swarmpress-test-player.desktop\n' });
  // No desktop environment: xdg-open takes its generic path (xdg-mime, then the .desktop entry)
  // instead of handing over to gio or kde-open.
  return {
    XDG_CONFIG_HOME: config, XDG_DATA_HOME: data,
    XDG_CURRENT_DESKTOP: '', DESKTOP_SESSION: '', KDE_FULL_SESSION: '', GNOME_DESKTOP_SESSION_ID: '', MATE_DESKTOP_SESSION_ID: '',
  };
}

/** The dump node of the page block whose text is `text`, with its screen place. */
function blockOn(dump: Message, text: string): { screen?: Rect; buttonScreen?: Rect; style: Record<string, unknown>; links: string[] } {
  const node = (dump['page'] as { text: string }[]).find((candidate) => candidate.text.includes(text));
  assert.ok(node !== undefined, `no block shows ${JSON.stringify(text)}: ${pageText(dump)}`);
  return node as never;
}

interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

async function waitForFile(file: string, what: string, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (!fs.existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return fs.readFileSync(file, 'utf8');
}

test('part 1 of a series from another node shows its clip and "Next →"; a click on Next → opens part 2, a click on Play hands the stored clip to the system player through xdg-open', async () => {
  const clip = oggVorbisHead();
  const site = writeFiles(path.join(bed.root, 'site'), {
    'index.md': '---\ntitle: Radio series\n---\n# Radio series\n\n[Part 1](part-1.md)\n',
    'part-1.md': '---\ntitle: Part 1\n---\n# Part 1: the harbour\n\nListen to the talk first.\n\n![talk](clip.ogg)\n',
    'part-2.md': '---\ntitle: Part 2\n---\n# Part 2: the lighthouse\n\nThe keeper climbs the stairs.\n',
  });
  fs.writeFileSync(path.join(site, 'clip.ogg'), clip);
  const b = await startServe(path.join(bed.root, 'B'), bed.port);
  bed.running.push(b);
  const first = (await cli(b.dataDir, ['publish', site])).at(-1);
  const url = first?.['url'] as string;
  assert.match(url, /^bittorrent:\/\/[0-9a-f]{64}$/);

  // `next` takes an item id: read part 2's from the node, then republish part 1 pointing at it.
  const got = (await cli(path.join(bed.root, 'reader-cli'), ['get', `${url}/part-2.md`])).find((m) => m['event'] === 'page');
  const part2Id = got?.['id'] as string;
  assert.match(part2Id, /^[0-9a-f]{64}$/);
  writeFiles(site, { 'part-1.md': `---\ntitle: Part 1\nnext: ${part2Id}\n---\n# Part 1: the harbour\n\nListen to the talk first.\n\n![talk](clip.ogg)\n` });
  const second = (await cli(b.dataDir, ['publish', site])).at(-1);
  assert.equal(second?.['seq'], '2');
  const again = (await cli(path.join(bed.root, 'reader-cli'), ['get', `${url}/part-2.md`])).find((m) => m['event'] === 'page');
  assert.equal(again?.['id'], part2Id, 'an unchanged page keeps its id');

  const played = path.join(bed.root, 'played.txt');
  const decoy = path.join(bed.root, 'decoy.txt');
  const appDir = path.join(bed.root, 'app');
  const app = startSwarmpress(['--data-dir', appDir, ...localArgs(bed.port), `${url}/part-1.md`], {
    DISPLAY: bed.x.display, SWARMPRESS_POLL_SECONDS: '1', ...installPlayer(path.join(bed.root, 'xdg'), played, decoy),
  });
  bed.apps.push(app);
  await app.waitFor((m) => m['automation'] === 'ready', 'the first painted page', 60_000);
  const part1 = await untilDump(app, (dump) => pageText(dump).includes('Listen to the talk first.') && pageText(dump).includes('Next →'), 'part 1 with Next →', 60_000);
  assert.equal(part1['address'], `${url}/part-1.md`);
  const media = blockOn(part1, 'clip.ogg');
  assert.equal(media.style['enabled'], true, 'the clip is in the stored site');
  assert.equal(media.style['bytes'], clip.length);
  const next = blockOn(part1, 'Next →');
  assert.deepEqual(next.links, ['/part-2.md']);
  assert.ok(next.screen !== undefined && media.buttonScreen !== undefined, `screen places in the dump: ${JSON.stringify([next, media])}`);
  await grabWindow(app, 'app-serial-part-1.png');

  // Play: the real xdg-open finds the player through mimeapps.list and the .desktop entry.
  const play = media.buttonScreen;
  await clickAt(bed.x.display, Math.round(play.x + play.width / 2), Math.round(play.y + play.height / 2));
  const given = (await waitForFile(played, 'the system player to be given the clip')).trim();
  const stored = fs.realpathSync(appDir);
  assert.ok(given.startsWith(stored + path.sep), `the player got ${given}, not a file of the app's store ${stored}`);
  assert.equal(path.basename(given), 'clip.ogg');
  assert.deepEqual(fs.readFileSync(given), clip, 'the player gets the published bytes');
  assert.equal(fs.existsSync(decoy), false, 'the default player, not the other one');
  await untilDump(app, (dump) => (dump['status'] as string).startsWith('Playing '), 'the status line about playing');

  // Next →: the link is alone in its paragraph, left-aligned, so it starts at the label's left edge.
  const link = next.screen;
  const lineHeight = Math.min(link.height, Math.round(Number(next.style['fontPx']) * 1.4));
  await clickAt(bed.x.display, link.x + 12, Math.round(link.y + lineHeight / 2));
  const part2 = await untilDump(app, (dump) => pageText(dump).includes('The keeper climbs the stairs.'), 'part 2 after the click on Next →');
  assert.equal(part2['address'], `${url}/part-2.md`);
  assert.doesNotMatch(pageText(part2), /Next →/, 'part 2 has no next');
  await grabWindow(app, 'app-serial-part-2.png');
});
