/**
 * When drafts are saved: after typing pauses, and while typing goes on at least every
 * DRAFT_MAX_DELAY_MS; identical bytes are not written again; a failed write is retried.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DRAFT_IDLE_MS, DRAFT_MAX_DELAY_MS, DraftSaver, type SaveReport } from '../../../src/app/writing/draft-saver.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function saverOf(text: { value: string }, options: { idleMs?: number; maxDelayMs?: number; fail?: () => boolean } = {}): { saver: DraftSaver; writes: string[]; reports: SaveReport[]; errors: unknown[] } {
  const writes: string[] = [];
  const reports: SaveReport[] = [];
  const errors: unknown[] = [];
  const saver = new DraftSaver({
    read: () => new TextEncoder().encode(text.value),
    write: (bytes) => {
      if (options.fail?.() === true) throw new Error('disk full');
      writes.push(new TextDecoder().decode(bytes));
    },
    onSaved: (report) => reports.push(report),
    onError: (error) => errors.push(error),
    ...(options.idleMs === undefined ? {} : { idleMs: options.idleMs }),
    ...(options.maxDelayMs === undefined ? {} : { maxDelayMs: options.maxDelayMs }),
  });
  return { saver, writes, reports, errors };
}

test('the defaults keep the promise of the issue: a save ~300 ms after a pause, never more than 0.7 s after a change', () => {
  assert.deepEqual([DRAFT_IDLE_MS, DRAFT_MAX_DELAY_MS], [300, 700]);
  assert.throws(() => new DraftSaver({ read: () => new Uint8Array(), write: () => undefined, idleMs: 500, maxDelayMs: 100 }), RangeError);
});

test('a pause in typing saves once; continuous typing still saves within the longest delay', async () => {
  const text = { value: '' };
  const { saver, writes, reports } = saverOf(text, { idleMs: 60, maxDelayMs: 200 });
  text.value = 'a';
  saver.changed();
  text.value = 'ab';
  saver.changed();
  assert.equal(saver.isPending, true);
  await sleep(120);
  assert.deepEqual(writes, ['ab'], 'one save after the pause, of the newest text');
  assert.equal(saver.isPending, false);
  assert.ok((reports[0]?.delayMs ?? 0) >= 55 && (reports[0]?.delayMs ?? 0) < 150, JSON.stringify(reports[0]));

  // Keys every 20 ms for 600 ms: the pause never comes, saves still land.
  const started = performance.now();
  while (performance.now() - started < 600) {
    text.value += 'x';
    saver.changed();
    await sleep(20);
  }
  const during = writes.length - 1;
  assert.ok(during >= 2, `saved ${during} times while typing`);
  for (const report of reports.slice(1)) assert.ok(report.delayMs < 200 + 60, `a change waited ${report.delayMs} ms`);
  saver.close();
  assert.equal(writes.at(-1), text.value, 'closing saves what is pending');
});

test('unchanged bytes are not written again; a failed write is retried; a discarding close writes nothing', async () => {
  const text = { value: 'same' };
  let failing = true;
  const { saver, writes, errors } = saverOf(text, { idleMs: 10, maxDelayMs: 50, fail: () => failing });
  saver.markSaved(new TextEncoder().encode('same'));
  saver.changed();
  saver.flush();
  assert.deepEqual(writes, []);
  assert.deepEqual(errors, [], 'identical bytes: no write attempted');
  text.value = 'new';
  saver.changed();
  saver.flush();
  assert.equal(errors.length, 1);
  assert.equal(saver.isPending, true, 'still unsaved after the failure');
  failing = false;
  saver.flush();
  assert.deepEqual(writes, ['new']);
  text.value = 'dropped';
  saver.changed();
  saver.close(true);
  await sleep(80);
  assert.deepEqual(writes, ['new']);
});

test('a save is dated by the clock it is given (the app has one)', () => {
  const reports: SaveReport[] = [];
  const saver = new DraftSaver({ read: () => new TextEncoder().encode('x'), write: () => undefined, onSaved: (report) => reports.push(report), now: () => 1_700_000_000_000 });
  saver.changed();
  saver.flush();
  assert.deepEqual(reports.map((report) => report.atMs), [1_700_000_000_000]);
  saver.close();
});
