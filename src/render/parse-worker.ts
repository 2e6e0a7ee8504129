/**
 * The worker thread of parse-off-thread.ts: Markdown source in, layout plan out, as JSON
 * text. One request at a time; a request that takes too long is ended by terminating this
 * thread, never by cooperation.
 *
 * Why JSON and not the plan object itself: V8 builds structured-cloned objects bigger than
 * JSON.parse builds the same ones — the plan of a 1 MB page took 25.6 MiB of the UI
 * thread's heap when cloned, 13.3 MiB when parsed from JSON (measured), for as long as the
 * page is shown. The one kind of value JSON cannot carry, the bytes in the address of a
 * swarm link, is left out and read again from the link's canonical href (planFromJson).
 */
import { parentPort } from 'node:worker_threads';
import { layoutDoc } from './layout.js';
import { parseMarkdown } from './markdown.js';
import { planToJson } from './plan-json.js';

parentPort?.on('message', (message: { readonly id: number; readonly source: string }) => {
  let reply;
  try {
    reply = { id: message.id, plan: planToJson(layoutDoc(parseMarkdown(message.source))) };
  } catch (error) {
    reply = { id: message.id, error: String(error) };
  }
  parentPort?.postMessage(reply);
});
