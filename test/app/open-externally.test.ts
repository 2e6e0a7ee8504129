import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { openExternally } from '../../src/app/open-externally.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';

let dir: string;
let opener: string;
let log: string;
before(() => {
  dir = makeTempDir();
  log = path.join(dir, 'opened.txt');
  // A stand-in for xdg-open that records exactly the argv it was given.
  opener = path.join(dir, 'fake-opener');
  fs.writeFileSync(opener, `#!/bin/sh\nprintf '%s\\n' "$#" "$@" >> '${log}'\n`, { mode: 0o755 });
});
after(() => {
  removeDir(dir);
});

async function opened(count: number): Promise<string[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const lines = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter((l) => l !== '') : [];
    if (lines.length >= count * 2 || Date.now() > deadline) return lines;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('a confirmed web address and a site file are handed to the opener as one argument each', async () => {
  const tricky = "https://example.org/a b?x=1&y=$(id);'`";
  const media = path.join(dir, 'clip one.ogg');
  fs.writeFileSync(media, 'x');
  await openExternally(tricky, opener);
  await openExternally(media, opener);
  assert.deepEqual(await opened(2), ['1', tricky, '1', media]);
});

test('nothing else is handed over; a missing opener is a clear error', async () => {
  assert.throws(() => openExternally('javascript:alert(1)', opener), { code: 'ERR_OPEN_TARGET' });
  assert.throws(() => openExternally('file:///etc/passwd', opener), { code: 'ERR_OPEN_TARGET' });
  assert.throws(() => openExternally('relative/clip.ogg', opener), { code: 'ERR_OPEN_TARGET' });
  assert.throws(() => openExternally(path.join(dir, 'missing.ogg'), opener), { code: 'ERR_OPEN_TARGET' });
  await assert.rejects(openExternally('https://example.org/', path.join(dir, 'no-such-opener')), { code: 'ERR_NO_OPENER' });
});
