/**
 * Loading CommonJS bundles with V8's code cache (src/widgets/code-cache.ts): the caches
 * `make build` wrote are ones this Node accepts, the file behaves as under require(), and
 * a cache that does not fit is ignored rather than trusted.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { CODE_CACHE_SUFFIX, codeCacheAccepted, requireWithCodeCache, writeCodeCache } from '../../src/widgets/code-cache.js';
import { REPO_ROOT } from '../helpers/process.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';

let root: string;
before(() => {
  root = makeTempDir('swarmpress-code-cache-');
});
after(() => {
  removeDir(root);
});

test("the code caches 'make build' wrote are accepted by this Node", () => {
  for (const file of ['dist/bundle/app/swarmpress.cjs', 'dist/vendor/nodegui.cjs']) {
    assert.ok(codeCacheAccepted(path.join(REPO_ROOT, file)), file);
  }
});

test('a file loaded with its cache is a CommonJS module: exports, module.exports, require beside it, __filename, __dirname', () => {
  fs.writeFileSync(path.join(root, 'helper.cjs'), 'module.exports = { twice: (n) => 2 * n };\n');
  const file = path.join(root, 'main.cjs');
  fs.writeFileSync(file, "const { twice } = require('./helper.cjs');\nexports.value = twice(21);\nexports.where = [__filename, __dirname];\nexports.self = this === exports;\n");
  assert.ok(writeCodeCache(file) > 0);
  assert.ok(codeCacheAccepted(file));
  assert.deepEqual(requireWithCodeCache(file), { value: 42, where: [file, root], self: true });
  const replaced = path.join(root, 'replaced.cjs');
  fs.writeFileSync(replaced, 'module.exports = function answer() { return 42; };\n');
  assert.equal((requireWithCodeCache(replaced) as () => number)(), 42, 'without a cache, compiled as usual');
});

test("a cache that is not the file's is never used: the file is compiled as usual", () => {
  const file = path.join(root, 'changed.cjs');
  fs.writeFileSync(file, 'exports.version = 1;\n'.repeat(50));
  writeCodeCache(file);
  fs.writeFileSync(file, `exports.version = 2; // a longer file now\n${'exports.more = true;\n'.repeat(80)}`);
  assert.equal(codeCacheAccepted(file), false);
  assert.equal((requireWithCodeCache(file) as { version: number }).version, 2);
  // V8 itself compares lengths only: a file of the same length with other code is not run from the old cache.
  fs.writeFileSync(file, 'exports.version = 1;\n'.repeat(50));
  writeCodeCache(file);
  fs.writeFileSync(file, 'exports.version = 3;\n'.repeat(50));
  assert.equal(codeCacheAccepted(file), false);
  assert.equal((requireWithCodeCache(file) as { version: number }).version, 3);
  fs.writeFileSync(`${file}${CODE_CACHE_SUFFIX}`, Buffer.from('not a code cache at all'));
  assert.equal((requireWithCodeCache(file) as { version: number }).version, 3);
});
