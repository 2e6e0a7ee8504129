/**
 * Benchmarks of the app window: idle CPU with the real loop integration beside the naive
 * 16 ms processEvents() timer, memory (RSS and PSS of the process tree) beside a bare Node
 * process, and the time from spawning the app to its first painted page.
 */
import { spawn } from 'node:child_process';
import { PROGRAM_NODE, startSwarmpress } from '../helpers/process.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';
import type { XServer } from '../helpers/xvfb.js';
import { cpuTimeNs, DESKTOP_ENV, treeMemory, type Memory } from './proc.js';
import type { Figure } from './report.js';
import { sleep } from './stats.js';

export interface WindowBenchOptions {
  readonly runs: number;
  readonly idleMs: number;
  readonly settleMs: number;
}

interface WindowRun {
  readonly cpuMsPer10s: number;
  readonly memory: Memory;
  readonly readyMs: number;
}

async function measureWindow(x: XServer, loop: 'integrated' | 'naive', options: WindowBenchOptions): Promise<WindowRun> {
  const dataDir = makeTempDir();
  const spawnedAt = performance.now();
  const app = startSwarmpress(['--data-dir', dataDir, '--no-dht', '--no-lan', '--listen', '127.0.0.1:0'], { ...DESKTOP_ENV, DISPLAY: x.display, SWARMPRESS_QT_LOOP: loop });
  try {
    await app.waitFor((m) => m['automation'] === 'ready', 'the first painted page', 60_000);
    const readyMs = performance.now() - spawnedAt;
    const pid = app.child.pid ?? 0;
    await sleep(options.settleMs);
    const before = cpuTimeNs(pid);
    await sleep(options.idleMs);
    const cpuMsPer10s = ((cpuTimeNs(pid) - before) / 1e6) * (10_000 / options.idleMs);
    const memory = treeMemory(pid);
    app.send({ cmd: 'close' });
    const exit = await app.waitExit(20_000);
    if (exit.code !== 0) throw new Error(`the app exited with ${String(exit.code ?? exit.signal)}: ${app.stderr}`);
    return { cpuMsPer10s, memory, readyMs };
  } finally {
    app.child.kill('SIGKILL');
    removeDir(dataDir);
  }
}

async function measureBareNode(settleMs: number): Promise<Memory> {
  const child = spawn(PROGRAM_NODE, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' });
  try {
    await sleep(settleMs);
    return treeMemory(child.pid ?? 0);
  } finally {
    child.kill('SIGKILL');
  }
}

export async function benchWindow(x: XServer, options: WindowBenchOptions): Promise<Figure[]> {
  const integrated: WindowRun[] = [];
  const naive: WindowRun[] = [];
  const bare: Memory[] = [];
  for (let run = 0; run < options.runs; run++) {
    integrated.push(await measureWindow(x, 'integrated', options));
    naive.push(await measureWindow(x, 'naive', options));
    bare.push(await measureBareNode(options.settleMs));
  }
  const mib = (kib: number): number => kib / 1024;
  return [
    {
      id: 'idle-cpu',
      title: `idle CPU, window open, per 10 s (from ${Math.round(options.settleMs / 1000)} s after the first paint)`,
      subject: { label: 'swarmpress (GLib/libuv integration)', unit: 'ms', values: integrated.map((r) => r.cpuMsPer10s) },
      reference: { label: '16 ms processEvents timer', unit: 'ms', values: naive.map((r) => r.cpuMsPer10s) },
      target: '≤ 5 ms',
    },
    {
      id: 'window-pss',
      title: 'memory (PSS), window with the welcome page',
      subject: { label: 'swarmpress', unit: 'MiB', values: integrated.map((r) => mib(r.memory.pssKiB)) },
      reference: { label: 'bare node process', unit: 'MiB', values: bare.map((m) => mib(m.pssKiB)) },
    },
    {
      id: 'window-rss',
      title: 'memory (RSS), window with the welcome page',
      subject: { label: 'swarmpress', unit: 'MiB', values: integrated.map((r) => mib(r.memory.rssKiB)) },
      reference: { label: 'bare node process', unit: 'MiB', values: bare.map((m) => mib(m.rssKiB)) },
    },
    {
      id: 'start-to-paint',
      title: 'spawn to first painted page (warm disk cache)',
      subject: { label: 'swarmpress', unit: 'ms', values: integrated.map((r) => r.readyMs) },
      target: '≤ 600 ms (cold start, issue #9)',
    },
  ];
}
