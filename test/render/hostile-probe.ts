/**
 * A page of the hostile corpus shown in the real main window (run as its own process under
 * Xvfb, so that its memory is its own): the page is read, laid out off the UI thread in
 * stages and shown with its folder as its site, as the app shows a stored page. JSON lines
 * on stdout, times in ms from just before the file is read:
 *   {"phase":"ready"}                      the window with the welcome page is painted
 *   {"phase":"first-paint","ms"}           the page's first screenful painted
 *   {"phase":"shown","ms","blocks","tables","notices"}  the whole page in the view
 *   {"phase":"scrolled","ms","liveMax","images","imagePixels"}  after visiting the whole page
 * then it exits.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PlanWorker } from '../../src/render/parse-off-thread.js';
import { folderSiteFiles } from '../../src/render/site-files.js';
import { MainWindow } from '../../src/widgets/main-window.js';
import { loadQt } from '../../src/widgets/qt-runtime.js';

/** Places the probe scrolls to, spread over the page (a screen at a time would take minutes on the long table). */
const STOPS = 40;

const file = process.argv[2] ?? '';
const say = (message: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(message)}\n`);
};
const loaded = loadQt();
const window = new MainWindow(loaded.qt, { kiosk: false }, { onNavigate: () => undefined, onLink: () => undefined });
// The app's time limit shows a page that lexes too slowly as plain text; on a loaded machine
// the 120,000-row table can take that long, and this probe is about what a page costs when
// it is shown as what it is.
const worker = new PlanWorker({ timeLimitMs: 60_000 });
await worker.warmUp();
window.showPage(await worker.layout('# Welcome\n\nA page before the hostile one.\n'), 'probe:welcome');
await new Promise<void>((resolve) => {
  window.onNextPaint(resolve);
  window.show();
});
say({ phase: 'ready' });

const started = performance.now();
const ms = (): number => performance.now() - started;
const source = fs.readFileSync(file, 'utf8');
const files = folderSiteFiles(path.dirname(file), path.basename(file));
let painted = false;
const firstPaint = (): void => {
  if (painted) return;
  painted = true;
  say({ phase: 'first-paint', ms: ms() });
};
const plan = await worker.layoutInStages(source, (head) => new Promise<void>((resolve) => {
  window.showPage(head, 'probe:page', { files, onFirstPaint: () => { firstPaint(); resolve(); } });
}));
await new Promise<void>((resolve) => {
  window.showPage(plan, 'probe:page', { files, onFirstPaint: () => { firstPaint(); resolve(); } });
});
say({ phase: 'shown', ms: ms(), blocks: plan.blocks.length, tables: plan.blocks.filter((block) => block.kind === 'table').length, notices: plan.notices });

const page = window.page;
let liveMax = 0;
if (page !== undefined) {
  for (let stop = 0; stop <= STOPS; stop++) {
    page.scrollTo(((page.pageHeight - page.widget.viewport().height()) * stop) / STOPS);
    // Let Qt paint what became visible before the next jump.
    await new Promise<void>((resolve) => setImmediate(resolve));
    liveMax = Math.max(liveMax, page.liveBlocks);
  }
}
const images = loaded.qt.imageStats();
say({ phase: 'scrolled', ms: ms(), liveMax, images: images.images, imagePixels: images.pixels });
worker.close();
window.close();
loaded.stop();
