/**
 * The app benchmark (issue #9): the window with a followed site of 1,000 posts open, beside
 * headless Chromium showing the same page as HTML, in the same run.
 *
 * Set-up, as users would do it: a generated blog (blog.ts) is published by a `swarmpress
 * serve` node on a private DHT on 127.0.0.1; `swarmpress follow URL` in the app's own data
 * folder fetches and stores it; then the publisher and the DHT stop. Each run starts the
 * app like a user (`swarmpress --data-dir DIR --no-dht --no-lan URL`), so it opens the
 * stored copy of the site's index page (1,000 links), and measures
 *   - the time from spawning it to the first paint of that page (the automation channel's
 *     "page" event, sent from the page's first paint event), page cache dropped before the
 *     spawn when the benchmark may do so (root), and again with a warm cache;
 *   - PSS summed over its process tree once idle, `settleMs` after that paint.
 * Chromium (chromium.ts) is given the index page turned into HTML by marked: the time from
 * spawning it to the page's first contentful paint (Chromium's Paint Timing), under the
 * same cache conditions, and PSS over its whole process tree `settleMs` after that paint.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { artifactPath } from '../helpers/artifacts.js';
import { startDhtNetwork } from '../helpers/dht-network.js';
import { localArgs, runCli, startServe } from '../helpers/nodes.js';
import { startSwarmpress } from '../helpers/process.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';
import type { XServer } from '../helpers/xvfb.js';
import { writeBlog } from './blog.js';
import { endGroup, htmlPage, openWithPaintTiming } from './chromium.js';
import { DESKTOP_ENV, settledPss } from './proc.js';
import type { Figure } from './report.js';
import { sleep } from './stats.js';

const WINDOW = { width: 960, height: 720 };

export interface AppBenchOptions {
  readonly smoke: boolean;
  readonly runs: number;
  /** From the first paint to the memory measurement (see IDLE_SETTLE_MS in run.ts). */
  readonly settleMs: number;
}

interface Start {
  readonly startMs: number;
  /** PSS in KiB, when measured. */
  readonly pssKiB?: number;
}

interface AppStart extends Start {
  /** Spawn to the window's first paint (before the node starts and the page opens). */
  readonly welcomeMs: number;
}

/** Empties the kernel's page cache (root only); false when this process may not. */
function dropPageCache(): boolean {
  try {
    execFileSync('sync');
    fs.writeFileSync('/proc/sys/vm/drop_caches', '3');
    return true;
  } catch {
    return false;
  }
}

/** Publishes the blog on one node and has it followed (fetched, stored) in `appDir`. */
async function publishAndFollow(site: string, root: string, appDir: string): Promise<string> {
  const dht = await startDhtNetwork(5);
  const port = dht.nodes[0]?.listenPort ?? 0;
  const author = await startServe(path.join(root, 'author'), port);
  try {
    const published = await runCli(['publish', site, '--json', '--data-dir', author.dataDir, ...localArgs(port)], {}, 300_000);
    const url = published.messages.at(-1)?.['url'];
    if (published.code !== 0 || typeof url !== 'string') throw new Error(`publishing the blog failed: ${published.stderr}`);
    const followed = await runCli(['follow', url, '--data-dir', appDir, ...localArgs(port)], {}, 120_000);
    if (followed.code !== 0 || !/fetched version 1/.test(followed.stderr)) throw new Error(`following the blog did not fetch it: ${followed.stdout}${followed.stderr}`);
    return url;
  } finally {
    await author.stop();
    await dht.close();
  }
}

async function measureApp(x: XServer, appDir: string, url: string, title: string, settleMs: number | undefined, screenshot: string | undefined): Promise<AppStart> {
  const spawnedAt = performance.now();
  const app = startSwarmpress(['--data-dir', appDir, '--no-dht', '--no-lan', '--listen', '127.0.0.1:0', url], { ...DESKTOP_ENV, DISPLAY: x.display });
  try {
    await app.waitFor((m) => m['automation'] === 'ready', 'the window painted', 60_000);
    const welcomeMs = performance.now() - spawnedAt;
    const page = await app.waitFor((m) => m['automation'] === 'page', 'the first paint of the site page', 120_000);
    const startMs = performance.now() - spawnedAt;
    if (page['title'] !== title || page['source'] !== 'stored') throw new Error(`the app showed ${JSON.stringify(page)}, not the stored page '${title}'`);
    let pssKiB: number | undefined;
    if (settleMs !== undefined) {
      await sleep(settleMs);
      pssKiB = await settledPss(app.child.pid ?? 0, 1000, 10_000);
    }
    if (screenshot !== undefined) {
      const grabbed = await app.request({ cmd: 'grab', path: screenshot });
      if (grabbed['ok'] !== true) throw new Error('the app could not take its screenshot');
    }
    app.send({ cmd: 'close' });
    const exit = await app.waitExit(30_000);
    if (exit.code !== 0) throw new Error(`the app exited with ${String(exit.code ?? exit.signal)}: ${app.stderr}`);
    return { startMs, welcomeMs, ...(pssKiB === undefined ? {} : { pssKiB }) };
  } finally {
    app.child.kill('SIGKILL');
  }
}

async function measureChromium(htmlFile: string, profile: string, settleMs: number | undefined): Promise<Start> {
  let child: ChildProcess | undefined;
  try {
    const opened = await openWithPaintTiming(`file://${htmlFile}`, profile, WINDOW);
    child = opened.child;
    if (settleMs === undefined) return { startMs: opened.spawnToPaintMs };
    await sleep(settleMs);
    return { startMs: opened.spawnToPaintMs, pssKiB: await settledPss(child.pid ?? 0, 1000, 10_000) };
  } finally {
    if (child !== undefined) endGroup(child);
  }
}

/** Runs the app benchmark; `smoke` uses a blog of 30 posts and one run (figures mean nothing). */
export async function benchApp(x: XServer, options: AppBenchOptions): Promise<Figure[]> {
  const posts = options.smoke ? 30 : 1000;
  const dir = makeTempDir('swarmpress-bench-app-');
  try {
    const site = path.join(dir, 'site');
    const blog = writeBlog(site, posts);
    const appDir = path.join(dir, 'app');
    const url = await publishAndFollow(site, dir, appDir);
    const html = path.join(dir, 'index.html');
    fs.writeFileSync(html, htmlPage(blog.indexBody, blog.title));
    process.stderr.write(`bench: app: ${posts} posts, ${(blog.bytes / 1e6).toFixed(1)} MB, followed in the app's data folder\n`);
    // Unmeasured first starts: the app's first start of this data folder and Chromium's
    // first start of its profile do one-time work that a user's later starts do not.
    const profile = path.join(dir, 'chromium-profile');
    await measureApp(x, appDir, url, blog.title, undefined, undefined);
    await measureChromium(html, profile, undefined);
    const cold = { app: [] as AppStart[], chromium: [] as Start[] };
    const warm = { app: [] as AppStart[], chromium: [] as Start[], post: [] as AppStart[] };
    const postUrl = `${url}/${blog.newest.path}`;
    // The smoke run leaves the machine's page cache alone.
    let dropped = !options.smoke;
    for (let run = 0; run < options.runs; run++) {
      dropped &&= dropPageCache();
      // Each program's warm start follows its own cold one: a page cache dropped for the
      // other program's cold start would make the next "warm" start a cold one.
      cold.app.push(await measureApp(x, appDir, url, blog.title, options.settleMs, run === 0 ? artifactPath(`bench-app-${posts}-posts.png`) : undefined));
      warm.app.push(await measureApp(x, appDir, url, blog.title, undefined, undefined));
      warm.post.push(await measureApp(x, appDir, postUrl, blog.newest.title, undefined, undefined));
      dropped &&= dropPageCache();
      cold.chromium.push(await measureChromium(html, profile, options.settleMs));
      warm.chromium.push(await measureChromium(html, profile, undefined));
      process.stderr.write(`bench: app run ${run + 1}: cold ${cold.app.at(-1)?.startMs.toFixed(0)} ms (window ${cold.app.at(-1)?.welcomeMs.toFixed(0)}), warm ${warm.app.at(-1)?.startMs.toFixed(0)} ms (one post: ${warm.post.at(-1)?.startMs.toFixed(0)} ms), chromium cold ${cold.chromium.at(-1)?.startMs.toFixed(0)} / warm ${warm.chromium.at(-1)?.startMs.toFixed(0)} ms\n`);
    }
    const mib = (kib: number | undefined): number => (kib ?? Number.NaN) / 1024;
    const size = `${posts.toLocaleString('en')}-post site`;
    const cache = dropped ? 'the page cache dropped before each start' : 'the page cache NOT dropped, so the disk cache is warm';
    return [
      {
        id: 'app-pss',
        title: `memory (PSS, all processes), idle with the index of a followed ${size} open (${(options.settleMs / 1000).toFixed(1)} s after its first paint)`,
        subject: { label: 'swarmpress', unit: 'MiB', values: cold.app.map((r) => mib(r.pssKiB)) },
        reference: { label: 'headless Chromium, same page as HTML (all processes)', unit: 'MiB', values: cold.chromium.map((r) => mib(r.pssKiB)) },
        target: '≤ 100 MB and ≤ 0.25× Chromium',
      },
      {
        id: 'app-cold-start',
        title: `cold start: spawn to the first paint of the ${size}'s index page (${cache})`,
        subject: { label: 'swarmpress', unit: 'ms', values: cold.app.map((r) => r.startMs) },
        reference: { label: 'headless Chromium (spawn to first contentful paint)', unit: 'ms', values: cold.chromium.map((r) => r.startMs) },
        target: '≤ 600 ms and ≤ 0.5× Chromium',
      },
      {
        id: 'app-warm-start',
        title: `warm start: spawn to the first paint of the ${size}'s index page`,
        subject: { label: 'swarmpress', unit: 'ms', values: warm.app.map((r) => r.startMs) },
        reference: { label: 'headless Chromium (spawn to first contentful paint)', unit: 'ms', values: warm.chromium.map((r) => r.startMs) },
      },
      {
        id: 'app-warm-start-post',
        title: `warm start: spawn to the first paint of one post of the same site (its newest, ${(blog.newest.bytes / 1000).toFixed(1)} KB), for the cost of the index`,
        subject: { label: 'swarmpress', unit: 'ms', values: warm.post.map((r) => r.startMs) },
      },
      {
        id: 'app-first-paint',
        title: "warm start: spawn to the window's first paint (before the node starts and the site page opens)",
        subject: { label: 'swarmpress', unit: 'ms', values: warm.app.map((r) => r.welcomeMs) },
      },
    ];
  } finally {
    removeDir(dir);
  }
}
