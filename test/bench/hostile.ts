/**
 * The hostile-page benchmark (issue #25 item 3): every page of the hostile corpus
 * (test/render/hostile-pages.ts) shown in the real window under Xvfb and drawn by
 * `render --png`, reporting the worst page of each run: the highest PSS the window or
 * render reached (sampled from /proc every 50 ms over the whole run, not once settled) and
 * the longest time from reading the file to the first screenful painted. The issue's
 * ceiling is 300 MB of PSS for any page; a process past it is killed (hostile-run.ts) and
 * the run fails.
 */
import path from 'node:path';
import { makeTempDir, removeDir } from '../helpers/temp.js';
import type { XServer } from '../helpers/xvfb.js';
import { writeHostileCorpus } from '../render/hostile-pages.js';
import { runInWindow, runRenderPng, type HostileRun } from '../render/hostile-run.js';
import type { Figure } from './report.js';

interface Worst {
  readonly value: number;
  readonly page: string;
}

function worst(runs: readonly { page: string; run: HostileRun }[], pick: (run: HostileRun) => number): Worst {
  let out: Worst = { value: Number.NEGATIVE_INFINITY, page: '' };
  for (const { page, run } of runs) if (pick(run) > out.value) out = { value: pick(run), page };
  return out;
}

/** Runs the benchmark; `smoke` runs the corpus once at a fiftieth of its size (figures mean nothing). */
export async function benchHostile(x: XServer, options: { smoke: boolean }): Promise<Figure[]> {
  const dir = makeTempDir('swarmpress-bench-hostile-');
  try {
    const pages = writeHostileCorpus(dir, options.smoke ? 0.02 : 1);
    const window: Worst[] = [];
    const render: Worst[] = [];
    const paint: Worst[] = [];
    for (let round = 0; round < (options.smoke ? 1 : 3); round++) {
      const shown: { page: string; run: HostileRun }[] = [];
      const drawn: { page: string; run: HostileRun }[] = [];
      for (const page of pages) {
        const run = await runInWindow(page, x.display);
        if (run.failure !== '') throw new Error(`the window on ${page.name} (${page.what}): ${run.failure}`);
        shown.push({ page: page.name, run });
        const png = await runRenderPng(page, path.join(dir, `${page.name}.png`));
        if (png.failure !== '') throw new Error(`render --png of ${page.name} (${page.what}): ${png.failure}`);
        drawn.push({ page: page.name, run: png });
      }
      window.push(worst(shown, (run) => run.peakPssKiB / 1024));
      render.push(worst(drawn, (run) => run.peakPssKiB / 1024));
      paint.push(worst(shown, (run) => run.firstPaintMs));
    }
    const names = (list: readonly Worst[]): string => [...new Set(list.map((w) => w.page))].join(', ');
    const corpus = `hostile corpus (${pages.length} pages${options.smoke ? ', at 2% size' : ''})`;
    return [
      {
        id: 'hostile-window-pss',
        title: `${corpus}: highest PSS of the window showing a page and visiting all of it (worst: ${names(window)})`,
        subject: { label: 'swarmpress', unit: 'MiB', values: window.map((w) => w.value) },
        target: '≤ 300 MB (286 MiB)',
      },
      {
        id: 'hostile-render-pss',
        title: `${corpus}: highest PSS of render --png drawing a page (worst: ${names(render)})`,
        subject: { label: 'swarmpress', unit: 'MiB', values: render.map((w) => w.value) },
        target: '≤ 300 MB (286 MiB)',
      },
      {
        id: 'hostile-first-paint',
        title: `${corpus}: longest time from reading a page to its first screenful painted (worst: ${names(paint)})`,
        subject: { label: 'swarmpress', unit: 'ms', values: paint.map((w) => w.value) },
      },
    ];
  } finally {
    removeDir(dir);
  }
}
