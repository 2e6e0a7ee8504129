#!/usr/bin/env node
// The swarmpress command. The program itself is compiled TypeScript in dist/ ('make build'),
// bundled into one file for start-up time (tools/bundle.js). A bundle older than what tsc
// last wrote is not used: the modules are, so a rebuild with tsc alone is never shadowed.
import fs from 'node:fs';

const bundle = new URL('../dist/bundle/app/swarmpress.js', import.meta.url);
const modules = new URL('../dist/src/app/main.js', import.meta.url);
const mtime = (url) => {
  try {
    return fs.statSync(url).mtimeMs;
  } catch {
    return -1;
  }
};
const { main } = await import(mtime(bundle) >= mtime(modules) ? bundle.href : modules.href);

const code = await main(process.argv.slice(2));
// Exit explicitly — a finished command must not wait for anything else — but only once
// what it printed has been handed to the OS: process.exit() drops output still queued for
// a pipe (a large --dump was cut at 219 KB).
process.stdout.write('', () => {
  process.exit(code);
});
