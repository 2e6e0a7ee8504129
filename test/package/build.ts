/** Building the package for a test: `tools/deb.sh DIR`, what `make deb` runs after `make build`. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../helpers/process.js';

const run = promisify(execFile);

/** Builds the package in `into` (a folder of the test's own); resolves with its path. */
export async function buildPackage(into: string): Promise<string> {
  const { stdout } = await run('bash', [path.join(REPO_ROOT, 'tools/deb.sh'), into], { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 });
  const file = stdout.trim().split('\n').at(-1) ?? '';
  assert.ok(fs.existsSync(file), `tools/deb.sh made no package: ${stdout}`);
  return file;
}
