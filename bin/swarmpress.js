#!/usr/bin/env node
// The swarmpress command. The program itself is compiled TypeScript in dist/ ('make build'),
// bundled into one file for start-up time (tools/bundle.js). A bundle older than what tsc
// last wrote is not used: the modules are, so a rebuild with tsc alone is never shadowed.
//
// This file is CommonJS (bin/package.json), and so are the bundles: a process that loads
// no ES module never loads Node's ES module loader (~30 of Node's own modules; a bare .mjs
// takes 3 MiB more PSS than a bare .cjs, measured). In the window, which touches most of
// that code of Node anyway, it is less: 203 -> 175 modules on its thread, 137 -> 115 on the
// layout thread, ~0.2 MiB of PSS.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const root = path.join(__dirname, '..');
const bundle = path.join(root, 'dist/bundle/app/swarmpress.cjs');
const modules = path.join(root, 'dist/src/app/main.js');
const mtime = (file) => {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1;
  }
};

/** The program's `main`: from the bundle, or from tsc's modules when they are newer. */
async function loadMain(args) {
  if (mtime(bundle) < mtime(modules)) return (await import(pathToFileURL(modules).href)).main;
  // What the launch needs before the program (tools/bundle.js bundles it from dist/src).
  const { opensWindow, requireWithCodeCache } = require('../dist/bundle/app/launch.cjs');
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
  if (opensWindow(args) && (process.env.DISPLAY || process.env.WAYLAND_DISPLAY)) {
    try {
      const files = JSON.parse(fs.readFileSync(path.join(root, 'dist/bundle/app/preload.json'), 'utf8'));
      const { readAhead, limitArenas } = require('../native/build/Release/swarmpress_preload.node');
      limitArenas(2);
      readAhead(files.map((file) => path.resolve(root, file)));
    } catch {
      // Only ever a saving of time and memory: without it the window opens all the same.
    }
  }
  // The bundle is CommonJS, loaded with V8's code cache of it (src/widgets/code-cache.ts).
  return requireWithCodeCache(bundle).main;
}

const args = process.argv.slice(2);
loadMain(args)
  .then((main) => main(args))
  .then((code) => {
    // Exit explicitly — a finished command must not wait for anything else — but only once
    // what it printed has been handed to the OS: process.exit() drops output still queued
    // for a pipe (a large --dump was cut at 219 KB).
    process.stdout.write('', () => {
      process.exit(code);
    });
  });
