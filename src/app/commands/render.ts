/**
 * `swarmpress render FILE.md --dump | --png OUT.png [--width N]`: renders a Markdown file
 * offscreen with the real widgets. `--dump` prints the widget tree as JSON; `--png` saves
 * a picture of the page.
 */
import fs from 'node:fs';
import { AppError } from '../../core/errors.js';
import { layoutDoc } from '../../render/layout.js';
import { parseMarkdown } from '../../render/markdown.js';
import { PageView } from '../../render/page-view.js';
import { loadQt } from '../../widgets/qt-runtime.js';
import type { Command } from '../cli.js';
import { EXIT_OK } from '../messages.js';
import type { Output } from '../output.js';

/** Largest Markdown file that `render` reads, in bytes. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;

export function readMarkdownFile(file: string): string {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch (error) {
    throw new AppError('ERR_FILE', `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'EIO'})`, { cause: error });
  }
  if (size > MAX_FILE_BYTES) throw new AppError('ERR_FILE', `${file} is larger than ${MAX_FILE_BYTES} bytes`);
  return fs.readFileSync(file, 'utf8');
}

export function render(command: Extract<Command, { name: 'render' }>, out: Output): number {
  const plan = layoutDoc(parseMarkdown(readMarkdownFile(command.file)));
  const loaded = loadQt({ platform: 'offscreen' });
  try {
    const view = new PageView(loaded.qt, plan, { onLink: () => undefined });
    view.widget.setFixedWidth(command.width);
    view.widget.adjustSize();
    view.widget.show();
    if (command.dump) {
      out.print({ title: plan.title, widgets: view.dump() }, JSON.stringify({ title: plan.title, widgets: view.dump() }, null, 2));
      return EXIT_OK;
    }
    const target = command.png ?? '';
    if (!view.widget.grab().save(target, 'PNG')) {
      throw new AppError('ERR_FILE', `could not write ${target}`);
    }
    const size = view.widget.size();
    out.print({ png: target, width: size.width(), height: size.height() }, `wrote ${target} (${size.width()}×${size.height()})`);
    return EXIT_OK;
  } finally {
    loaded.stop();
  }
}
