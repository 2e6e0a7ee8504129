/**
 * Benchmark fixture: a process that loads the store module and, with `open`, opens the
 * store of DATA and runs a few searches; then prints `{"ready":true}` and waits, so that
 * the benchmark can read its memory. argv: `open DATA` or `bare`.
 */
import { Store } from '../../src/store/store.js';

const [mode, dataDir] = process.argv.slice(2);
let store: Store | undefined;
if (mode === 'open' && dataDir !== undefined) {
  store = Store.open({ dataDir });
  for (const word of ['ka', 'lo', 'mika', 'nelo']) store.search(word);
}
process.stdout.write(`${JSON.stringify({ ready: true, open: store !== undefined })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  store?.close();
  process.exit(0);
});
