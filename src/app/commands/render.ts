/**
 * `swarmpress render FILE.md --dump | --png OUT.png [--width N]`: renders a Markdown file
 * offscreen with the real widgets. `--dump` prints the widget tree as JSON; `--png` saves
 * a picture of the whole page. Pictures and media are looked up next to the file, as the
 * file's site.
 */
import path from 'node:path';
import { AppError } from '../../core/errors.js';
import { PlanWorker } from '../../render/parse-off-thread.js';
import { PageView } from '../../render/page-view.js';
import { folderSiteFiles } from '../../render/site-files.js';
import { readFileCapped } from '../../store/capped-read.js';
import { loadQt } from '../../widgets/qt-runtime.js';
import type { Command } from '../cli.js';
import { EXIT_OK } from '../messages.js';
import type { Output } from '../output.js';

/**
 * Largest Markdown file that `render` reads, in bytes. Far more than a page shows (the
 * lexer takes the first MAX_SOURCE_CHARS), and still bounded for what is not a file of a
 * fixed size: `render /dev/zero` had read 10.7 GB in 20 s (issue #25).
 */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;
/** Tallest picture `--png` draws, in pixels (Qt's raster limit is 32,767). */
const MAX_PNG_HEIGHT = 30_000;
/**
 * Most pixels of the picture `--png` draws (48 MiB at 32 bits): the window is grabbed whole,
 * and 800 × 30,000 pixels were 92 MiB of a 308 MiB peak (the 120,000-row table of issue #25;
 * at --width 8192 it would have been 938 MiB). A page taller than this is cut at the bottom.
 */
export const MAX_PNG_PIXELS = 12 * 1024 * 1024;
/** Reads a Markdown file of at most MAX_FILE_BYTES as text (store/capped-read.ts says what is refused). */
export function readMarkdownFile(file: string): string {
  // Invalid UTF-8 becomes U+FFFD here: the renderer only ever sees well-formed text.
  return readFileCapped(file, MAX_FILE_BYTES).toString('utf8');
}

export async function render(command: Extract<Command, { name: 'render' }>, out: Output): Promise<number> {
  const source = readMarkdownFile(command.file);
  const worker = new PlanWorker();
  let plan;
  try {
    plan = await worker.layout(source);
  } finally {
    worker.close();
  }
  const loaded = loadQt({ platform: 'offscreen' });
  const { qt } = loaded;
  const files = folderSiteFiles(path.dirname(path.resolve(command.file)), path.basename(command.file));
  const view = new PageView(qt, plan, { onLink: () => undefined, files, measureInBackground: false });
  try {
    view.widget.show();
    view.widget.resize(command.width, 600);
    view.update();
    if (command.dump) {
      const widgets = view.dump();
      out.print({ title: plan.title, notices: plan.notices, widgets }, JSON.stringify({ title: plan.title, notices: plan.notices, widgets }, null, 2));
      // A dump can be megabytes: bin/swarmpress.js calls process.exit(), which would cut off
      // what a pipe has not taken yet.
      await new Promise<void>((resolve) => process.stdout.write('', () => {
        resolve();
      }));
      return EXIT_OK;
    }
    view.fitToPage(command.width, Math.min(MAX_PNG_HEIGHT, Math.floor(MAX_PNG_PIXELS / command.width)));
    const target = command.png ?? '';
    if (!view.widget.grab().save(target, 'PNG')) {
      throw new AppError('ERR_FILE', `could not write ${target}`);
    }
    const size = view.widget.size();
    out.print({ png: target, width: size.width(), height: size.height() }, `wrote ${target} (${size.width()}×${size.height()})`);
    return EXIT_OK;
  } finally {
    view.close();
    loaded.stop();
  }
}
