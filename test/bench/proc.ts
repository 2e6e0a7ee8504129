/**
 * Measurements of running processes from /proc: CPU time with nanosecond resolution
 * (/proc/PID/task/TID/schedstat, summed over threads — /proc/PID/stat counts in 10 ms
 * ticks, too coarse for an idle process) and memory as RSS and PSS summed over a process
 * tree (/proc/PID/smaps_rollup).
 */
import fs from 'node:fs';
import { sleep } from './stats.js';

/** CPU time used so far by every thread of `pid`, in nanoseconds. */
export function cpuTimeNs(pid: number): number {
  let total = 0;
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      total += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // the thread ended between readdir and read
    }
  }
  return total;
}

/** `pid` and all its descendants. */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // gone
    }
  }
  const out: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const next = queue.shift() ?? 0;
    out.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return out;
}

export interface Memory {
  readonly rssKiB: number;
  readonly pssKiB: number;
}

/** RSS and PSS summed over the process tree of `pid`, in KiB. */
export function treeMemory(pid: number): Memory {
  let rssKiB = 0;
  let pssKiB = 0;
  for (const member of processTree(pid)) {
    let text: string;
    try {
      text = fs.readFileSync(`/proc/${member}/smaps_rollup`, 'utf8');
    } catch {
      continue;
    }
    rssKiB += Number(/^Rss:\s+(\d+)/m.exec(text)?.[1] ?? 0);
    pssKiB += Number(/^Pss:\s+(\d+)/m.exec(text)?.[1] ?? 0);
  }
  return { rssKiB, pssKiB };
}

/** Waits until the PSS of `pid`'s tree changes by less than 2% over `stepMs`, at most `timeoutMs`. */
export async function settledPss(pid: number, stepMs: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = treeMemory(pid).pssKiB;
  for (;;) {
    await sleep(stepMs);
    const now = treeMemory(pid).pssKiB;
    if (Math.abs(now - last) <= last * 0.02 || Date.now() > deadline) return now;
    last = now;
  }
}

/**
 * What a desktop session would not have in the environment of the programs it starts, set
 * on the machine the benchmarks run on to name the CA bundle of its HTTPS proxy:
 * - NODE_EXTRA_CA_CERTS makes every Node process read and parse the bundle before any
 *   JavaScript runs: 65 ms of the 100 ms `node -e 0` takes there (measured). Chromium does
 *   not read it.
 * - SSL_CERT_FILE (with SSL_CERT_DIR) makes OpenSSL load the whole bundle wherever a
 *   program asks for the default authorities, as libtorrent's session does for HTTPS
 *   trackers: ~0.7 MB of the window's heap, against ~2 KB with Debian's defaults
 *   (heaptrack), which look authorities up in /etc/ssl/certs when one is needed.
 * Spread into a start's environment (undefined: left out).
 */
export const DESKTOP_ENV: NodeJS.ProcessEnv = { NODE_EXTRA_CA_CERTS: undefined, SSL_CERT_FILE: undefined, SSL_CERT_DIR: undefined };
