/**
 * Reading back the real app's windows through its automation channel (app/automation.ts):
 * the page's text, polling the dump of the main window, of an editor or of a form dialog
 * until a condition holds (with a deadline that says what was awaited and what the window
 * showed), screenshots kept as artifacts, and the site folders the tests publish.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { artifactPath } from './artifacts.js';
import type { Driven, Message } from './process.js';

/** Writes `files` (relative path -> text) under `folder`; returns `folder`. */
export function writeFiles(folder: string, files: Readonly<Record<string, string>>): string {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
    fs.writeFileSync(path.join(folder, name), text);
  }
  return folder;
}

/** The page's text in a main-window dump, block by block. */
export function pageText(dump: Message): string {
  return (dump['page'] as { text: string }[]).map((node) => node.text).join('\n');
}

/** Polls the main window's dump until `condition` holds. */
export async function untilDump(app: Driven, condition: (dump: Message) => boolean, what: string, timeoutMs = 30_000): Promise<Message> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dump = await app.request({ cmd: 'dump' });
    if (condition(dump)) return dump;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last dump: ${JSON.stringify({ ...dump, page: pageText(dump) })}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Saves a screenshot of the main window (or of another window of the app: `window`) as artifact `name`. */
export async function grabWindow(app: Driven, name: string, window?: string): Promise<void> {
  const answer = await app.request({ cmd: 'grab', path: artifactPath(name), ...(window === undefined ? {} : { window }) });
  assert.equal(answer['ok'], true, `screenshot ${name}`);
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

/** Polls the newest editor's dump until `condition` holds. */
export function editorUntil(app: Driven, condition: (dump: Message) => boolean, what: string, timeoutMs = 20_000): Promise<Message> {
  return poll(() => app.request({ cmd: 'editor', do: 'dump' }), condition, what, timeoutMs, (dump) => ({ ...dump, preview: undefined }));
}

/** Polls form dialog `name`'s dump (an `error` answer while it is not open) until `condition` holds. */
export function dialogUntil(app: Driven, name: string, condition: (dump: Message) => boolean, what: string, timeoutMs = 20_000): Promise<Message> {
  return poll(() => app.request({ cmd: 'dialog', name, do: 'dump' }), condition, what, timeoutMs, (dump) => dump);
}
