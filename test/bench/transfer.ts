/**
 * Transfer benchmarks on loopback (issue #3): one site of SIZE bytes, side by side in one
 * run — swarmpress -> swarmpress (two libtorrent sessions in this process) with a v1
 * torrent, the format site versions are published in, and with a hybrid v1+v2 one (every
 * byte hashed twice: SHA-1 and SHA-256); aria2c -> aria2c (the v1 torrent: aria2 1.36
 * cannot read hybrid ones); raw TCP on loopback. Also the CPU time both sessions spend per
 * GiB, which bounds the throughput on a machine of few cores, and the resident memory of
 * a process seeding 100 small torrents.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createTorrent, TorrentSession } from '../../src/net/session.js';
import { startAria2 } from '../helpers/aria2.js';
import { Driven, PROGRAM_NODE, REPO_ROOT } from '../helpers/process.js';
import { freePort, waitForPort } from '../helpers/ports.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';
import { startTracker } from '../helpers/tracker.js';
import { treeMemory } from './proc.js';
import type { Figure } from './report.js';
import { LOOPBACK } from '../helpers/loopback.js';

const PIECE_SIZE = 1024 * 1024;

function writeSite(root: string, bytes: number): string {
  const site = path.join(root, 'site');
  fs.mkdirSync(site, { recursive: true });
  const chunk = Buffer.alloc(4 * 1024 * 1024);
  const fd = fs.openSync(path.join(site, 'media.bin'), 'w');
  for (let written = 0; written < bytes; written += chunk.length) {
    for (let i = 0; i < chunk.length; i += 4) chunk.writeUInt32LE((written + i) * 2654435761 >>> 0, i);
    fs.writeSync(fd, chunk, 0, Math.min(chunk.length, bytes - written));
  }
  fs.closeSync(fd);
  fs.writeFileSync(path.join(site, 'index.md'), '# bench\n');
  return site;
}

interface Moved {
  readonly ms: number;
  /** CPU time of this process (both sessions) while it moved the data, user + system. */
  readonly cpuMs: number;
}

async function swarmpressToSwarmpress(root: string, site: string, run: number, format: 'v1' | 'hybrid'): Promise<Moved> {
  const created = await createTorrent(site, { pieceSize: PIECE_SIZE, format });
  const seeder = new TorrentSession(LOOPBACK);
  const leecher = new TorrentSession(LOOPBACK);
  try {
    const id = seeder.addTorrent({ torrent: created.torrent, savePath: root, seedMode: true }).id;
    await seeder.waitFinished(id, 120_000);
    const started = performance.now();
    const cpu = process.cpuUsage();
    leecher.addTorrent({ torrent: created.torrent, savePath: path.join(root, `sp-out-${run}`) });
    leecher.connectPeer(id, { host: '127.0.0.1', port: seeder.listenPort });
    await leecher.waitFinished(id, 600_000);
    const used = process.cpuUsage(cpu);
    return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
  } finally {
    await Promise.all([seeder.close(), leecher.close()]);
    fs.rmSync(path.join(root, `sp-out-${run}`), { recursive: true, force: true });
  }
}

async function aria2ToAria2(root: string, site: string, torrentFile: string, run: number): Promise<number> {
  const seederPort = await freePort();
  const seeder = startAria2({ dir: root, port: seederPort, seed: true, torrent: torrentFile });
  const tracker = await startTracker([{ host: '127.0.0.1', port: seederPort }]);
  const out = path.join(root, `aria2-out-${run}`);
  try {
    // The seeder checks its copy before it serves it; the clock starts when it listens.
    await waitForPort(seederPort, 600_000);
    const started = performance.now();
    const leecher = startAria2({ dir: out, port: await freePort(), seed: false, torrent: torrentFile, tracker: tracker.url });
    const exit = await leecher.waitExit(600_000);
    if (exit.code !== 0) throw new Error(`aria2c leecher failed: ${leecher.stderr}${leecher.stdout}`);
    const elapsed = performance.now() - started;
    if (fs.statSync(path.join(out, 'site', 'media.bin')).size !== fs.statSync(path.join(site, 'media.bin')).size) throw new Error('aria2c copy incomplete');
    return elapsed;
  } finally {
    seeder.child.kill('SIGKILL');
    await tracker.close();
    fs.rmSync(out, { recursive: true, force: true });
  }
}

async function rawTcp(bytes: number): Promise<number> {
  const chunk = Buffer.alloc(1024 * 1024, 1);
  const server = net.createServer((socket) => {
    let sent = 0;
    const pump = (): void => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!socket.write(chunk)) {
          socket.once('drain', pump);
          return;
        }
      }
      socket.end();
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const client = net.connect(port, '127.0.0.1');
    client.on('data', () => undefined);
    client.on('end', resolve);
    client.on('error', reject);
  });
  const elapsed = performance.now() - started;
  server.close();
  return elapsed;
}

/** RSS of a child process that seeds `count` small torrents (after they are checked). */
async function seedingMemory(root: string, count: number): Promise<number> {
  const child = new Driven(PROGRAM_NODE, ['dist/test/fixtures/seed-many.js'], { cwd: REPO_ROOT, env: { ...process.env, COUNT: String(count), ROOT: root } });
  try {
    const ready = await child.waitFor((m) => m['seeding'] === count, `${count} torrents seeding`, 300_000);
    const rss = treeMemory(Number(ready['pid'])).rssKiB / 1024;
    child.send({ cmd: 'exit' });
    await child.waitExit(60_000);
    return rss;
  } finally {
    child.child.kill('SIGKILL');
  }
}

export async function benchTransfer(options: { smoke: boolean }): Promise<Figure[]> {
  const size = options.smoke ? 8 * 1024 * 1024 : 1024 * 1024 * 1024;
  const runs = options.smoke ? 1 : 3;
  const root = makeTempDir('swarmpress-bench-');
  try {
    const site = writeSite(root, size);
    const v1 = await createTorrent(site, { pieceSize: PIECE_SIZE, format: 'v1' });
    const torrentFile = path.join(root, 'site-v1.torrent');
    fs.writeFileSync(torrentFile, v1.torrent);
    const ours: Moved[] = [];
    const hybrid: Moved[] = [];
    const aria2: number[] = [];
    const tcp: number[] = [];
    for (let run = 0; run < runs; run++) {
      ours.push(await swarmpressToSwarmpress(root, site, run, 'v1'));
      hybrid.push(await swarmpressToSwarmpress(root, site, run, 'hybrid'));
      aria2.push(await aria2ToAria2(root, site, torrentFile, run));
      tcp.push(await rawTcp(size));
    }
    const mbps = (ms: number): number => size / 1e6 / (ms / 1000);
    const gib = size / 2 ** 30;
    const memory = await seedingMemory(root, options.smoke ? 5 : 100);
    const label = options.smoke ? '8 MiB' : '1 GiB';
    return [
      {
        id: 'transfer-vs-aria2',
        title: `${label} site over loopback, swarmpress → swarmpress (a v1 torrent, as site versions are published)`,
        subject: { label: 'swarmpress (libtorrent)', unit: 'MB/s', values: ours.map((r) => mbps(r.ms)) },
        reference: { label: 'aria2c → aria2c (v1 torrent)', unit: 'MB/s', values: aria2.map(mbps) },
        target: '≥ 1.0× aria2c',
      },
      {
        id: 'transfer-vs-tcp',
        title: `${label} site over loopback, share of raw TCP`,
        subject: { label: 'swarmpress', unit: 'MB/s', values: ours.map((r) => mbps(r.ms)) },
        reference: { label: 'raw TCP on loopback (Node)', unit: 'MB/s', values: tcp.map(mbps) },
        target: '≥ 0.4× raw TCP',
      },
      {
        id: 'transfer-hybrid',
        title: `${label} site over loopback, swarmpress → swarmpress with a hybrid v1+v2 torrent (SHA-1 and SHA-256 of every byte)`,
        subject: { label: 'swarmpress, hybrid torrent', unit: 'MB/s', values: hybrid.map((r) => mbps(r.ms)) },
        reference: { label: 'the same, v1 torrent', unit: 'MB/s', values: ours.map((r) => mbps(r.ms)) },
      },
      {
        id: 'transfer-cpu',
        title: `CPU time of both sessions per GiB moved over loopback, v1 torrent (cores × seconds; ${os.cpus().length} cores can give ${os.cpus().length} s per second)`,
        subject: { label: 'swarmpress (seeder + leecher)', unit: 's/GiB', values: ours.map((r) => r.cpuMs / 1000 / gib) },
        reference: { label: 'hybrid torrent', unit: 's/GiB', values: hybrid.map((r) => r.cpuMs / 1000 / gib) },
      },
      {
        id: 'seed-100-rss',
        title: `memory (RSS) of a session seeding ${options.smoke ? 5 : 100} small torrents`,
        subject: { label: 'swarmpress', unit: 'MiB', values: [memory] },
      },
    ];
  } finally {
    removeDir(root);
  }
}
