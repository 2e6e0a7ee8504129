/**
 * Replies that arrive by notice (issue #9 "Discussion"), end to end with the real app under
 * a private Xvfb and a `swarmpress serve` node on a private DHT of libtorrent nodes on
 * 127.0.0.1: the app publishes a post and shows it; the other node reads it and replies
 * with `post --reply-to`; the app, which never followed nor read the other site, shows the
 * reply under the post by itself (no reload) and `get --json` lists it. Screenshot kept.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { appTestbed } from '../helpers/app-testbed.js';
import { grabWindow, pageText, untilDump, writeFiles } from '../helpers/app-window.js';
import { localArgs, runCli, startServe } from '../helpers/nodes.js';
import { startSwarmpress } from '../helpers/process.js';
import { findWindow, focusWindow, pressKeys, typeText } from '../helpers/xdotool.js';

const bed = appTestbed('swarmpress-replies-app-', 6);

async function cli(dataDir: string, args: readonly string[]): Promise<Record<string, unknown>> {
  const result = await runCli([...args, '--json', '--data-dir', dataDir, ...localArgs(bed.port)]);
  assert.equal(result.code, 0, `exit ${String(result.code ?? result.signal)}: ${result.stderr}`);
  const message = result.messages.at(-1);
  assert.ok(message !== undefined, result.stdout);
  return message;
}

test('a reply published by a site the author never followed nor read reaches the thread of the post by notice: in the window at once, and in get --json', async (t) => {
  const appDir = path.join(bed.root, 'A');
  const app = startSwarmpress(['--data-dir', appDir, ...localArgs(bed.port)], { DISPLAY: bed.x.display, SWARMPRESS_POLL_SECONDS: '3600' });
  bed.apps.push(app);
  await app.waitFor((m) => m['automation'] === 'ready', 'the first painted page', 30_000);

  // The app's author publishes a post (the command runs on the app's node) and opens it.
  const draft = writeFiles(path.join(bed.root, 'drafts'), { 'seeds.md': 'Which beans keep best?\n', 'reply.md': 'Runner beans, dried on the vine.\n' });
  const posted = await cli(appDir, ['post', path.join(draft, 'seeds.md'), '--title', 'Seeds']);
  const postUrl = `${posted['url'] as string}/${posted['post'] as string}`;
  await focusWindow(bed.x.display, await findWindow(bed.x.display, 'Welcome to swarmpress — swarmpress'));
  await pressKeys(bed.x.display, 'ctrl+l');
  await typeText(bed.x.display, `${postUrl}\n`, 4);
  const before = await untilDump(app, (dump) => pageText(dump).includes('Which beans keep best?'), 'the post');
  assert.ok(!pageText(before).includes('Replies'), 'no reply yet');

  // Another node reads the post and replies from its own site.
  const b = await startServe(path.join(bed.root, 'B'), bed.port, { SWARMPRESS_POLL_SECONDS: '3600' });
  bed.running.push(b);
  const read = await cli(b.dataDir, ['get', postUrl]);
  assert.equal(read['title'], 'Seeds');
  const startedMs = performance.now();
  const reply = await cli(b.dataDir, ['post', path.join(draft, 'reply.md'), '--title', 'Re: Seeds', '--reply-to', postUrl]);
  const replierUrl = reply['url'] as string;

  // The window shows it under the post without a reload, and says so.
  const thread = await untilDump(app, (dump) => pageText(dump).includes('Replies (1)'), 'the reply under the post', 60_000);
  t.diagnostic(`reply posted on the other node → shown in the app's thread: ${Math.round(performance.now() - startedMs)} ms`);
  assert.match(pageText(thread), /Re: Seeds — /);
  assert.match(thread['status'] as string, /^A reply arrived: .*'Re: Seeds' replies to Seeds$/);
  await grabWindow(app, 'app-thread-by-notice.png');

  // The command line lists the thread too; the reply's site was neither followed nor opened.
  const page = await cli(appDir, ['get', postUrl]);
  const replies = page['replies'] as { title: string; depth: number; url?: string }[];
  assert.equal(replies.length, 1);
  const [only] = replies;
  assert.ok(only !== undefined);
  assert.equal(only.title, 'Re: Seeds');
  assert.equal(only.depth, 1);
  assert.ok(only.url?.startsWith(`${replierUrl}/posts/`), JSON.stringify(replies));

  app.send({ cmd: 'close' });
  assert.deepEqual(await app.waitExit(30_000), { code: 0, signal: null }, app.stderr);
});
