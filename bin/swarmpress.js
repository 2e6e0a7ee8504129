#!/usr/bin/env node
// The swarmpress command. The program itself is compiled TypeScript in dist/ ('make build').
import { main } from '../dist/src/app/main.js';

const code = await main(process.argv.slice(2));
// Exit explicitly: Qt keeps no libuv handle once stopped, but a finished command must not
// wait for anything else either.
process.exit(code);
