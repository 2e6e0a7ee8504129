import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { Linter } from 'eslint';
import { REPO_ROOT } from '../helpers/process.js';

/** The layer rule as eslint.config.js wires it, run on `code` as if it were the file `file` of the repository. */
async function lint(file: string, code: string): Promise<string[]> {
  const plugin = (await import(path.join(REPO_ROOT, 'tools', 'eslint-layers.js'))) as { default: NonNullable<Linter.Config['plugins']>[string] };
  const linter = new Linter({ cwd: REPO_ROOT });
  const messages = linter.verify(code, [{ files: ['**/*.js'], plugins: { layers: plugin.default }, rules: { 'layers/import-direction': 'error' } }], path.join(REPO_ROOT, file));
  return messages.map((message) => `${message.ruleId ?? 'parser'}: ${message.message}`);
}

test('src/core may import no Node built-in, bare or prefixed', async () => {
  for (const name of ['crypto', 'path', 'fs/promises', 'node:crypto', 'node:path', 'fs', 'worker_threads']) {
    const found = await lint('src/core/example.js', `import x from '${name}';\nexport default x;\n`);
    assert.deepEqual(found, [`layers/import-direction: 'core' is pure: it must not import the Node built-in '${name}' (pass I/O, time and randomness in)`], name);
  }
  // A dynamic import and a re-export are caught too.
  assert.equal((await lint('src/core/example.js', "export { randomBytes } from 'crypto';\n")).length, 1);
  assert.equal((await lint('src/core/example.js', "export const load = () => import('path');\n")).length, 1);
});

test('outside src/core built-ins are allowed; within src, imports point downward', async () => {
  assert.deepEqual(await lint('src/store/example.js', "import path from 'path';\nimport c from 'node:crypto';\nexport default [path, c];\n"), []);
  assert.deepEqual(await lint('src/core/example.js', "import { a } from './other.js';\nexport default a;\n"), []);
  assert.deepEqual(await lint('src/core/example.js', "import { b } from '../store/store.js';\nexport default b;\n"), [
    "layers/import-direction: 'core' must not import from 'store': layers point downward (app > widgets > render > net > store > core)",
  ]);
  assert.deepEqual(await lint('src/widgets/example.js', "import { c } from '../net/site-node.js';\nexport default c;\n"), [
    "layers/import-direction: 'widgets' must not import from 'net' (DESIGN.md: the UI never talks to the network or the store)",
  ]);
});
