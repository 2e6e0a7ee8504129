/**
 * The worker thread of parse-off-thread.ts: Markdown source in, layout plan out (plain
 * data, structured-cloned). One request at a time; a request that takes too long is ended
 * by terminating this thread, never by cooperation.
 */
import { parentPort } from 'node:worker_threads';
import { layoutDoc } from './layout.js';
import { parseMarkdown } from './markdown.js';

parentPort?.on('message', (message: { readonly id: number; readonly source: string }) => {
  let reply;
  try {
    reply = { id: message.id, plan: layoutDoc(parseMarkdown(message.source)) };
  } catch (error) {
    reply = { id: message.id, error: String(error) };
  }
  parentPort?.postMessage(reply);
});
