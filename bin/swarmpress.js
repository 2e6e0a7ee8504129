#!/usr/bin/env node
// The swarmpress command. The program itself is compiled TypeScript in dist/ ('make build').
import { main } from '../dist/src/app/main.js';

const code = await main(process.argv.slice(2));
// Exit explicitly — a finished command must not wait for anything else — but only once
// what it printed has been handed to the OS: process.exit() drops output still queued for
// a pipe (a large --dump was cut at 219 KB).
process.stdout.write('', () => {
  process.exit(code);
});
