/**
 * LAN push (issue #8): hosts in network namespaces on one bridge, each running
 * `swarmpress serve`; the author publishes successive versions and every other host's node
 * logs when it has verified and stored each one. Time from the publish request reaching the
 * author's node (over its control socket, as the app's Publish button does) to "stored" on
 * each host: p50 / p95 / max over hosts and versions. Beside it, in the same run, the same
 * hosts with push switched off (SWARMPRESS_PUSH=0), finding versions by polling the DHT the
 * hosts form among themselves, every POLL_S seconds (swarmpress polls every 300 s by default;
 * the best-known BEP 46 browser every 30 minutes).
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createLan, netnsUnavailable, type LanHost } from '../helpers/netns.js';
import { REPO_ROOT, SWARMPRESS_BIN, type Driven, type Message } from '../helpers/process.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';
import type { Figure } from './report.js';
import { percentile } from './stats.js';

const PORT = 6881;
const POLL_S = 5;

interface Node {
  readonly host: LanHost;
  readonly dataDir: string;
  readonly process: Driven;
}

/** Sends one command to a node's control socket (control.ts) and resolves with its exit code. */
function control(dataDir: string, command: Record<string, unknown>): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(path.join(dataDir, 'node.sock'));
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify({ command, json: true })}\n`));
    socket.on('data', (chunk: string) => {
      buffered += chunk;
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const exit = buffered.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { exit?: number }).find((m) => m.exit !== undefined);
      if (exit?.exit === undefined) reject(new Error(`no answer from ${dataDir}: ${buffered}`));
      else resolve(exit.exit);
    });
  });
}

/** Per arrival, where the time went: until the reader held the new record, and the fetch after it. */
interface Split {
  readonly toRecord: number[];
  readonly toVersion: number[];
  /** The author's own phases (its 'published' log event): finding the newest records, building the version. */
  readonly lookups: number[];
  readonly build: number[];
}

async function runMode(hosts: readonly LanHost[], dir: string, push: boolean, versions: number, missed: { count: number }, split?: Split): Promise<number[]> {
  const seed = hosts[0];
  if (seed === undefined) throw new Error('no hosts');
  const env = { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '', SWARMPRESS_POLL_SECONDS: String(POLL_S), ...(push ? {} : { SWARMPRESS_PUSH: '0' }) };
  const nodes: Node[] = hosts.map((host, index) => {
    const dataDir = path.join(dir, `${push ? 'push' : 'poll'}-${index}`);
    const args = ['serve', '--json', '--data-dir', dataDir, '--listen', `${host.address}:${PORT}`, ...(index === 0 ? [] : ['--dht-bootstrap', `${seed.address}:${PORT}`])];
    return { host, dataDir, process: host.startNode([SWARMPRESS_BIN, ...args], { env, cwd: REPO_ROOT }) };
  });
  try {
    for (const node of nodes) await node.process.waitFor((m) => m['event'] === 'started', 'the node to start', 60_000);
    const [author, ...readers] = nodes;
    if (author === undefined) throw new Error('no author');
    const folder = path.join(dir, `site-${push ? 'push' : 'poll'}`);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'index.md'), '# LAN bench\n\nVersion 0.\n');
    if ((await control(author.dataDir, { name: 'publish', dir: folder })) !== 0) throw new Error('the first publish failed');
    const published = author.process.messages.find((m) => m['event'] === 'published');
    const key = published?.['key'];
    if (typeof key !== 'string') throw new Error(`the author did not log its publish: ${author.process.stderr}`);
    for (const reader of readers) {
      if ((await control(reader.dataDir, { name: 'follow', target: key })) !== 0) throw new Error('follow failed');
    }
    const stored = (seq: number) => (m: Message): boolean => m['event'] === 'updated' && m['seq'] === String(seq);
    for (const reader of readers) await reader.process.waitFor(stored(1), 'the first version (seq 1) on every reader', 120_000);
    const latencies: number[] = [];
    for (let version = 1; version <= versions; version++) {
      fs.writeFileSync(path.join(folder, 'index.md'), `# LAN bench\n\nVersion ${version}.\n`);
      const start = Date.now();
      if ((await control(author.dataDir, { name: 'publish', dir: folder })) !== 0) throw new Error(`publish ${version} failed`);
      const logged = await author.process.waitFor((m) => m['event'] === 'published' && m['seq'] === String(version + 1), `the author's log of version ${version + 1}`, 10_000);
      const phases = logged['ms'] as { lookups?: number; build?: number } | undefined;
      if (split !== undefined && phases?.lookups !== undefined && phases.build !== undefined) {
        split.lookups.push(phases.lookups);
        split.build.push(phases.build);
      }
      for (const reader of readers) {
        const waitMs = push ? 30_000 : POLL_S * 1000 * 6;
        try {
          const event = await reader.process.waitFor(stored(version + 1), `version ${version + 1} on ${reader.host.address}`, Math.max(1000, start + waitMs - Date.now()));
          const storedAt = Date.parse(String(event['time']));
          latencies.push(storedAt - start);
          const pushed = reader.process.messages.find((m) => m['event'] === 'pushed' && m['seq'] === String(version + 1));
          if (split !== undefined && pushed !== undefined) {
            const pushedAt = Date.parse(String(pushed['time']));
            split.toRecord.push(pushedAt - start);
            split.toVersion.push(storedAt - pushedAt);
          }
        } catch {
          // Not there in time: counted at the time waited, and reported as missed.
          latencies.push(waitMs);
          missed.count += 1;
        }
      }
    }
    return latencies;
  } finally {
    for (const node of nodes) node.process.child.kill('SIGTERM');
    await Promise.all(nodes.map((node) => node.process.waitExit(20_000).catch(() => undefined)));
  }
}

export async function benchLan(options: { smoke: boolean }): Promise<Figure[]> {
  const unavailable = await netnsUnavailable();
  if (unavailable !== undefined) throw new Error(`the LAN benchmark needs network namespaces: ${unavailable}`);
  const sizes = options.smoke ? { hosts: 3, versions: 1, reference: 1 } : { hosts: 10, versions: 20, reference: 5 };
  const dir = makeTempDir('swarmpress-bench-lan-');
  const lan = await createLan(sizes.hosts);
  try {
    const missedPush = { count: 0 };
    const missedPoll = { count: 0 };
    const split: Split = { toRecord: [], toVersion: [], lookups: [], build: [] };
    const pushed = await runMode(lan.hosts, dir, true, sizes.versions, missedPush, split);
    const polled = await runMode(lan.hosts, dir, false, sizes.reference, missedPoll);
    const where = `${sizes.hosts} hosts in network namespaces on one bridge; ${missedPush.count} of ${pushed.length} arrivals missed the 30 s wait`;
    const reference = `push off: DHT polling every ${POLL_S} s (${missedPoll.count} of ${polled.length} missed the ${POLL_S * 6} s wait)`;
    return [
      {
        id: 'lan-push-p50',
        title: `LAN: publish → new version verified and stored on every other host, p50 (${where}, ${sizes.versions} versions)`,
        subject: { label: 'swarmpress', unit: 'ms', values: pushed },
        reference: { label: reference, unit: 'ms', values: polled },
        target: '≤ 250 ms',
      },
      {
        id: 'lan-push-p95',
        title: 'LAN: the same, p95',
        subject: { label: 'swarmpress', unit: 'ms', values: [percentile(pushed, 95)] },
        reference: { label: reference, unit: 'ms', values: [percentile(polled, 95)] },
        target: '≤ 1 s',
      },
      {
        id: 'lan-push-record',
        title: `of which: publish request → the reader holds the pushed record, p50 (${split.toRecord.length} arrivals by push)`,
        subject: { label: 'swarmpress', unit: 'ms', values: split.toRecord },
      },
      {
        id: 'lan-author-lookups',
        title: "of the first: the author finds its site's newest records in the hosts' DHT",
        subject: { label: 'swarmpress', unit: 'ms', values: split.lookups },
      },
      {
        id: 'lan-author-build',
        title: 'of the first: the author builds, signs and seeds the version',
        subject: { label: 'swarmpress', unit: 'ms', values: split.build },
      },
      {
        id: 'lan-push-fetch',
        title: 'of which: pushed record → version downloaded, verified and stored, p50',
        subject: { label: 'swarmpress', unit: 'ms', values: split.toVersion },
      },
      {
        id: 'lan-push-max',
        title: 'LAN: the same, max',
        subject: { label: 'swarmpress', unit: 'ms', values: [Math.max(...pushed)] },
        reference: { label: reference, unit: 'ms', values: [Math.max(...polled)] },
      },
    ];
  } finally {
    await lan.close();
    removeDir(dir);
  }
}
