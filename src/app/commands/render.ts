/**
 * `swarmpress render FILE.md --dump | --png OUT.png [--width N]`: renders a Markdown file
 * offscreen with the real widgets. `--dump` prints the widget tree as JSON; `--png` saves
 * a picture of the whole page. Pictures and media are looked up next to the file, as the
 * file's site.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../core/errors.js';
import { PlanWorker } from '../../render/parse-off-thread.js';
import { PageView } from '../../render/page-view.js';
import { folderSiteFiles } from '../../render/site-files.js';
import { loadQt } from '../../widgets/qt-runtime.js';
import type { Command } from '../cli.js';
import { EXIT_OK } from '../messages.js';
import type { Output } from '../output.js';

/** Largest Markdown file that `render` reads, in bytes. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;
/** Tallest picture `--png` draws, in pixels (Qt's raster limit is 32,767). */
const MAX_PNG_HEIGHT = 30_000;

export function readMarkdownFile(file: string): string {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch (error) {
    throw new AppError('ERR_FILE', `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'EIO'})`, { cause: error });
  }
  if (size > MAX_FILE_BYTES) throw new AppError('ERR_FILE', `${file} is larger than ${MAX_FILE_BYTES} bytes`);
  // Invalid UTF-8 becomes U+FFFD here: the renderer only ever sees well-formed text.
  return fs.readFileSync(file, 'utf8');
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
    view.fitToPage(command.width, MAX_PNG_HEIGHT);
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
