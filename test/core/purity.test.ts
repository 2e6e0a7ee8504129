import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../helpers/process.js';

const CORE = path.join(REPO_ROOT, 'src', 'core');

/** What would make src/core read a clock, draw randomness or do I/O (DESIGN.md "Layers"). */
const FORBIDDEN: readonly [RegExp, string][] = [
  [/\bDate\.now\b|\bnew Date\b|\bperformance\.now\b/, 'a clock'],
  [/\bMath\.random\b|getRandomValues|\.randomBytes\b|randomSecretKey|randomUUID/, 'randomness'],
  [/\bsetTimeout\b|\bsetInterval\b|\bsetImmediate\b|\bqueueMicrotask\b/, 'a timer'],
  [/\bprocess\.|\brequire\(|\bBuffer\b|\bfetch\(/, 'Node or I/O'],
  [/from '(?:node:|fs|path|os|net|http|https|crypto|child_process)/, 'a Node built-in'],
];

function code(source: string): string {
  // Comments may talk about clocks; only code counts.
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

test('src/core reads no clock, draws no randomness and does no I/O', () => {
  const files = fs.readdirSync(CORE).filter((name) => name.endsWith('.ts'));
  assert.ok(files.length >= 15);
  for (const name of files) {
    const source = code(fs.readFileSync(path.join(CORE, name), 'utf8'));
    for (const [pattern, what] of FORBIDDEN) assert.doesNotMatch(source, pattern, `${name} uses ${what}`);
  }
});
