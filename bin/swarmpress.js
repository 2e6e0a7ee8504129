#!/usr/bin/env node
// The swarmpress command. The program itself is compiled TypeScript in dist/ ('make build'),
// bundled into one file for start-up time (tools/bundle.js). A bundle older than what tsc
// last wrote is not used: the modules are, so a rebuild with tsc alone is never shadowed.
import fs from 'node:fs';
import v8exp from 'node:v8';
if (process.env.EXP_V8) v8exp.setFlagsFromString(process.env.EXP_V8);
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { opensWindow } from '../dist/src/app/command-words.js';
import { requireWithCodeCache } from '../dist/src/widgets/code-cache.js';

// Opening the window on a cold page cache, Qt's libraries were faulted in from disk while
// the main thread waited: they are read ahead now, in the background, while Node loads
// the program (native/src/preload/preload.cpp; the list is written by tools/bundle.js).
// Measured: ~37 ms less from spawn to the first paint of a stored site, cold.
//
// The window's process also runs on two malloc arenas, where glibc would give each thread
// one of up to 16 (8 per core): the threads of V8, libuv, Qt, libtorrent and the layout
// worker each kept freed memory in an arena of their own. Measured with a 1,000-post site
// open, idle: ~5 MiB less PSS (anonymous memory 40 → 35 MiB), the same with one arena;
// two keep the main thread's arena to itself. New threads share the second one.
if (opensWindow(process.argv.slice(2)) && (process.env.DISPLAY || process.env.WAYLAND_DISPLAY)) {
  try {
    const root = new URL('../', import.meta.url);
    const files = JSON.parse(fs.readFileSync(new URL('dist/bundle/app/preload.json', root), 'utf8'));
    const { readAhead, limitArenas } = createRequire(import.meta.url)('../native/build/Release/swarmpress_preload.node');
    limitArenas(2);
    readAhead(files.map((file) => fileURLToPath(new URL(file, root))));
  } catch {
    // Only ever a saving of time and memory: without it the window opens all the same.
  }
}

// The bundle is CommonJS, loaded with V8's code cache of it (src/widgets/code-cache.ts).
const bundle = new URL('../dist/bundle/app/swarmpress.cjs', import.meta.url);
const modules = new URL('../dist/src/app/main.js', import.meta.url);
const mtime = (url) => {
  try {
    return fs.statSync(url).mtimeMs;
  } catch {
    return -1;
  }
};
const { main } = mtime(bundle) >= mtime(modules) ? requireWithCodeCache(fileURLToPath(bundle)) : await import(modules.href);

const code = await main(process.argv.slice(2));
// Exit explicitly — a finished command must not wait for anything else — but only once
// what it printed has been handed to the OS: process.exit() drops output still queued for
// a pipe (a large --dump was cut at 219 KB).
process.stdout.write('', () => {
  process.exit(code);
});
