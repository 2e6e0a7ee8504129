import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { layoutDoc, type LayoutPlan } from '../../src/render/layout.js';
import { MAX_SOURCE_CHARS, parseMarkdown } from '../../src/render/markdown.js';
import { FIRST_SCREENS_CHARS, firstScreensSource, parseTimeLimitMs, plainTextPlan, PlanWorker } from '../../src/render/parse-off-thread.js';
import { pathologicalInputs } from './pathological.js';

const worker = new PlanWorker();
after(() => {
  worker.close();
});

test('a page is laid out in the worker thread', async () => {
  const plan = await worker.layout('# Title\n\nText with [a link](b.md).\n');
  assert.equal(plan.title, 'Title');
  assert.deepEqual(plan.blocks.map((b) => b.kind), ['heading', 'paragraph']);
  assert.equal(plan.links[0]?.target.kind, 'relative');
});

test('the plan that arrives from the thread (as JSON) equals the plan laid out here, swarm addresses included', async () => {
  const key = 'ab'.repeat(32);
  const source = [
    '# Links of every kind',
    '',
    `[site](bittorrent://${key}/posts/a.md#part) [magnet](magnet:?xt=urn:btih:${'cd'.repeat(20)}) [mutable magnet](magnet:?xs=urn:btpk:${key}&s=${'01'.repeat(4)})`,
    '[web](https://example.org/x) [page](other.md#here) [anchor](#top) [bad](javascript:alert(1))',
    '',
    '| a | **b** |',
    '|---|:-:|',
    '| `c` | ~~d~~ |',
    '',
    '```js',
    'code()',
    '```',
    '',
    '![picture](img.png) > quoted',
  ].join('\n');
  const arrived = await worker.layout(source);
  assert.deepEqual(arrived, layoutDoc(parseMarkdown(source)));
  const swarm = arrived.links.filter((link) => link.target.kind === 'swarm');
  assert.equal(swarm.length, 3);
  for (const link of swarm) if (link.target.kind === 'swarm') assert.ok(link.target.address.kind === 'immutable' || link.target.address.publicKey instanceof Uint8Array);
});

test('a page that takes longer than the time limit is shown as plain text with a notice, and the next page works', async () => {
  const slow = new PlanWorker({ timeLimitMs: 500 });
  try {
    const source = `${'*a '.repeat(30_000)}x${' a*'.repeat(30_000)}`;
    const started = performance.now();
    const plan = await slow.layout(source);
    const limit = parseTimeLimitMs(source.length, 500);
    const ms = performance.now() - started;
    assert.ok(ms >= limit - 5 && ms < limit + 1000, `the fallback came at the time limit (${ms} ms, limit ${limit} ms)`);
    assert.match(plan.notices[0] ?? '', new RegExp(`longer than ${limit / 1000} s .* plain text`));
    assert.equal(plan.blocks.map((b) => (b.kind === 'literal' ? b.text : '')).join(''), source.replace(/\n[ \t]*\n/g, ''));
    const next = await slow.layout('fine');
    assert.deepEqual(next.notices, []);
  } finally {
    slow.close();
  }
  assert.throws(() => new PlanWorker({ timeLimitMs: 0 }), RangeError);
});

test('the plain-text fallback keeps the size cap', () => {
  const plan = plainTextPlan('x'.repeat(MAX_SOURCE_CHARS + 100), 'notice');
  assert.equal(plan.notices.length, 2);
  assert.equal(plan.blocks.reduce((sum, b) => sum + (b.kind === 'literal' ? b.text.length : 0), 0), MAX_SOURCE_CHARS);
});

for (const [name, source] of pathologicalInputs()) {
  test(`pathological input finishes within the time limit or falls back: ${name}`, async () => {
    const started = performance.now();
    const plan = await worker.layout(source);
    const ms = performance.now() - started;
    // Time limit plus the start of a fresh worker after a fallback.
    assert.ok(ms < parseTimeLimitMs(source.length) + 1500, `${ms.toFixed(0)} ms`);
    assert.ok(plan.blocks.length > 0);
  });
}

test('a long page shows its first screens first; the whole page is lexed after they were shown', async () => {
  const section = (i: number): string => `## Part ${i}\n\nText of part ${i}, long enough to be a paragraph of its own.\n\n`;
  const source = Array.from({ length: 3000 }, (_, i) => section(i)).join('');
  const head = firstScreensSource(source);
  assert.ok(head !== undefined && head.length >= FIRST_SCREENS_CHARS && head.length < FIRST_SCREENS_CHARS * 2);
  assert.ok(source.startsWith(head));
  const events: string[] = [];
  const whole = await worker.layoutInStages(source, async (plan) => {
    events.push(`head ${plan.blocks.length}`);
    await Promise.resolve();
    events.push('shown');
  });
  events.push(`whole ${whole.blocks.length}`);
  assert.equal(events.length, 3);
  assert.match(events[0] ?? '', /^head \d+$/);
  assert.ok(Number(events[0]?.slice(5)) < 600);
  assert.deepEqual(events.slice(1), ['shown', 'whole 6000']);
  assert.equal(firstScreensSource('short'), undefined);
  const table = `|n|x|\n|-|-|\n${'|1|x|\n'.repeat(20_000)}`;
  const tableHead = firstScreensSource(table);
  assert.ok(tableHead !== undefined && tableHead.length > FIRST_SCREENS_CHARS && tableHead.length < FIRST_SCREENS_CHARS + 8, 'a page without blank lines is cut at a line break');
  assert.ok(tableHead.endsWith('|1|x|\n'));
  assert.equal(firstScreensSource('x'.repeat(FIRST_SCREENS_CHARS * 4)), undefined, 'no line break near: no cut');
  assert.equal(firstScreensSource(`\`\`\`\n${'code\n\n'.repeat(20_000)}`), undefined, 'never cut inside fenced code');
});

test('first screens laid out ahead (while the window loads) are taken by the next staged layout of that same page only', async () => {
  const section = (i: number): string => `## Part ${i}\n\nText of part ${i}, long enough to be a paragraph of its own.\n\n`;
  const long = Array.from({ length: 3000 }, (_, i) => section(i)).join('');
  const other = `# Other\n\n${'Another page. '.repeat(50)}`;
  const heads: LayoutPlan[] = [];
  const expectedHead = await worker.layout(firstScreensSource(long) ?? '');
  worker.prefetchFirstScreens(long);
  // Another page asked for first: laid out itself, and the prefetched plan is dropped.
  const otherPlan = await worker.layoutInStages(other, (plan) => {
    heads.push(plan);
  });
  assert.equal(otherPlan.title, 'Other');
  assert.equal(heads.length, 0, 'a short page has no separate first screens');
  worker.prefetchFirstScreens(long);
  const whole = await worker.layoutInStages(long, (plan) => {
    heads.push(plan);
  });
  assert.deepEqual(heads, [expectedHead], 'the head is the layout of its first screens');
  assert.equal(whole.blocks.length, 6000);
  worker.prefetchFirstScreens(other);
  assert.equal((await worker.layoutInStages(other, () => undefined)).title, 'Other', 'a short page prefetched is laid out whole');
});

test('with idleMs, the thread ends once idle that long and the next page starts a fresh one; work in between keeps it', async () => {
  assert.throws(() => new PlanWorker({ idleMs: 0 }), RangeError);
  let ended = 0;
  const worker = new PlanWorker({
    idleMs: 300,
    onThreadEnded: () => {
      ended++;
    },
  });
  try {
    assert.equal(worker.running, false);
    assert.equal((await worker.layout('# One')).title, 'One');
    assert.equal(worker.running, true);
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal((await worker.layout('# Two')).title, 'Two');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(worker.running, true, 'the second page restarted the idle time');
    assert.equal(ended, 0);
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.equal(worker.running, false, 'ended after 300 ms idle');
    assert.equal(ended, 1, 'onThreadEnded ran once the idle thread had exited');
    assert.equal((await worker.layout('# Three')).title, 'Three', 'a fresh thread lays out the next page');
    assert.equal(worker.running, true);
  } finally {
    worker.close();
  }
  assert.equal(worker.running, false);
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(ended, 2, 'and once more for the thread close() ended');
});
