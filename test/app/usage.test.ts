/**
 * `--help` and swarmpress(1) come from one table (src/app/usage.ts): every command and
 * option of it appears in both, and the man page is roff that man(1) renders without a
 * warning.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { HELP } from '../../src/app/cli.js';
import { COMMAND_ROWS, manPage, OPTION_ROWS } from '../../src/app/usage.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';

test('every row of the table is in --help and in the man page, which man renders without warnings', (t) => {
  const page = manPage('9.8.7', '2026-12-08');
  assert.match(page, /^\.TH SWARMPRESS 1 "2026-12-08" "swarmpress 9\.8\.7"/);
  const dir = makeTempDir('swarmpress-man-');
  try {
    const file = path.join(dir, 'swarmpress.1');
    fs.writeFileSync(file, page);
    const man = spawnSync('man', ['--warnings', '-l', file], { encoding: 'utf8', env: { ...process.env, MANWIDTH: '200', LC_ALL: 'C.UTF-8' } });
    assert.equal(man.status, 0, man.stderr);
    assert.equal(man.stderr, '', 'no warnings from groff');
    const rendered = man.stdout;
    // Rendered text has no formatting (not a terminal); hyphens may come out as U+2010.
    const plain = rendered.replace(/\u2010/g, '-');
    for (const row of [...COMMAND_ROWS, ...OPTION_ROWS]) {
      assert.ok(HELP.includes(row.usage) && HELP.includes(row.summary), `--help has ${row.usage}`);
      assert.ok(plain.includes(row.usage), `the man page has ${row.usage}`);
      assert.ok(plain.replace(/\s+/g, ' ').includes(row.summary), `the man page has "${row.summary}"`);
    }
    t.diagnostic(`man page: ${page.length} bytes of roff, ${rendered.split('\n').length} lines rendered`);
  } finally {
    removeDir(dir);
  }
});
