/**
 * Reading back the real app's windows through its automation channel while a test drives
 * it with xdotool: poll the main window, an editor or a form dialog until a condition
 * holds (with a deadline, never a sleep of a guessed length), and small file helpers.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Driven, Message } from './process.js';

/** The page's text in a main-window dump, block by block. */
export function pageText(dump: Message): string {
  return (dump['page'] as { text: string }[]).map((node) => node.text).join('\n');
}

async function poll(ask: () => Promise<Message>, condition: (dump: Message) => boolean, what: string, timeoutMs: number, show: (dump: Message) => unknown): Promise<Message> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dump = await ask();
    if (condition(dump)) return dump;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last dump: ${JSON.stringify(show(dump))}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Polls the main window's dump until `condition` holds. */
export function windowUntil(app: Driven, condition: (dump: Message) => boolean, what: string, timeoutMs = 30_000): Promise<Message> {
  return poll(() => app.request({ cmd: 'dump' }), condition, what, timeoutMs, (dump) => ({ ...dump, page: dump['page'] === undefined ? undefined : pageText(dump) }));
}

/** Polls the newest editor's dump until `condition` holds. */
export function editorUntil(app: Driven, condition: (dump: Message) => boolean, what: string, timeoutMs = 20_000): Promise<Message> {
  return poll(() => app.request({ cmd: 'editor', do: 'dump' }), condition, what, timeoutMs, (dump) => ({ ...dump, preview: undefined }));
}

/** Polls form dialog `name`'s dump (an `error` answer when it is not open) until `condition` holds. */
export function dialogUntil(app: Driven, name: string, condition: (dump: Message) => boolean, what: string, timeoutMs = 20_000): Promise<Message> {
  return poll(() => app.request({ cmd: 'dialog', name, do: 'dump' }), condition, what, timeoutMs, (dump) => dump);
}

/** Writes `files` (path in the folder → text) into `folder`; returns the folder. */
export function writeFiles(folder: string, files: Readonly<Record<string, string>>): string {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
    fs.writeFileSync(path.join(folder, name), text);
  }
  return folder;
}
