/**
 * The swarmpress side of the render benchmark (render.ts), run as its own process under
 * Xvfb so that its memory is its own: the main window with the welcome page first
 * ({"phase":"baseline"}, then it waits for "go" on stdin), then a Markdown file shown as
 * the app shows a page. JSON lines on stdout, times in ms from just before the file is read:
 *   {"phase":"first-screen","ms"}  the first screenful painted (from the page's first screens)
 *   {"phase":"plan","ms","blocks"} the whole page lexed and laid out in the worker
 *   {"phase":"positioned","ms"}    the whole page in the view, every block placed (estimated heights)
 *   {"phase":"laid-out","ms"}      every block measured by Qt (full layout)
 *   {"phase":"scrolled","ms","liveMax"}  after scrolling through the whole page, screen by screen
 * Then it waits for "quit".
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { PlanWorker } from '../../src/render/parse-off-thread.js';
import { MainWindow } from '../../src/widgets/main-window.js';
import { loadQt } from '../../src/widgets/qt-runtime.js';

const file = process.argv[2] ?? '';
const loaded = loadQt();
const window = new MainWindow(loaded.qt, { kiosk: false }, { onNavigate: () => undefined, onLink: () => undefined });
const say = (message: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(message)}\n`);
};
const lines = readline.createInterface({ input: process.stdin });
const next = (): Promise<string> => new Promise((resolve) => lines.once('line', resolve));

// The app starts its worker thread at launch and always shows a page (the welcome page at
// first): both are part of the baseline, the growth is what the long page adds.
const worker = new PlanWorker();
await worker.warmUp();
window.showPage(await worker.layout(fs.readFileSync(new URL('../../../assets/welcome.md', import.meta.url), 'utf8')), 'bench:welcome');
window.onNextPaint(() => {
  say({ phase: 'baseline', heapTotalMiB: process.memoryUsage().heapTotal / 1048576 });
});
window.show();
await next();

const started = performance.now();
const ms = (): number => performance.now() - started;
const source = fs.readFileSync(file, 'utf8');
const address = 'bench:page';
let firstScreenShown = false;
const firstScreen = (): void => {
  if (firstScreenShown) return;
  firstScreenShown = true;
  say({ phase: 'first-screen', ms: ms() });
};
const plan = await worker.layoutInStages(
  source,
  (head) =>
    new Promise<void>((resolve) => {
      window.showPage(head, address, {
        onFirstPaint: () => {
          firstScreen();
          resolve();
        },
      });
    }),
);
say({ phase: 'plan', ms: ms(), blocks: plan.blocks.length });
await new Promise<void>((resolve) => {
  window.showPage(plan, address, { onLaidOut: resolve, onFirstPaint: firstScreen });
  say({ phase: 'positioned', ms: ms() });
});
say({ phase: 'laid-out', ms: ms(), heapTotalMiB: process.memoryUsage().heapTotal / 1048576 });
await next();

const page = window.page;
let liveMax = 0;
if (page !== undefined) {
  const step = page.widget.viewport().height();
  for (let y = 0; y < page.pageHeight; y += step) {
    page.scrollTo(y);
    liveMax = Math.max(liveMax, page.liveBlocks);
  }
}
say({ phase: 'scrolled', ms: ms(), liveMax });
await next();
worker.close();
lines.close();
window.close();
loaded.stop();
