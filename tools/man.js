// Writes the man page swarmpress(1) from the table `--help` is rendered from
// (src/app/usage.ts, compiled to dist/ by tsc): `node tools/man.js OUT.1`.
// The date is the package.json's last commit date, so that a rebuild makes the same page.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = process.argv[2];
if (out === undefined) throw new Error('usage: node tools/man.js OUT.1');
const { manPage } = await import(pathToFileURL(path.join(root, 'dist/src/app/usage.js')).href);
const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
let date;
try {
  date = execFileSync('git', ['-C', root, 'log', '-1', '--format=%cs'], { encoding: 'utf8' }).trim();
} catch {
  date = '';
}
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, manPage(version, date || new Date().toISOString().slice(0, 10)));
