import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toHex } from '../../src/core/bytes.js';
import { Identity } from '../../src/core/identity.js';
import { createItem, type Item } from '../../src/core/item.js';
import { createManifest, type SiteManifest } from '../../src/core/manifest.js';
import { deviceSalt } from '../../src/core/publish-rules.js';
import { mergeSiteVersions, type MergedSite } from '../../src/core/site-merge.js';

const ALICE = Identity.fromSeed(new Uint8Array(32).fill(0xa1));
const BOB = Identity.fromSeed(new Uint8Array(32).fill(0xb0));
const T = 1_720_000_000_000;

function item(title: string, createdMs: number): Item {
  const result = createItem({ title, body: { kind: 'text', text: `${title}\n` } }, ALICE, createdMs);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

function version(title: string, createdMs: number, entries: [Item, string][], device: string, identity = ALICE): SiteManifest {
  const result = createManifest({ title, items: entries.map(([entry, path]) => ({ item: entry, path })), devices: [deviceSalt(device)] }, identity, createdMs);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

function summary(site: MergedSite): string[] {
  return site.items.map((entry) => `${entry.path}=${entry.title}`);
}

function permutations<T>(list: readonly T[]): T[][] {
  if (list.length <= 1) return [[...list]];
  return list.flatMap((head, i) => permutations([...list.slice(0, i), ...list.slice(i + 1)]).map((rest) => [head, ...rest]));
}

const A = item('A', T);
const B = item('B', T + 1);
const C = item('C', T + 2);

test('the union of two devices\' versions keeps every post', () => {
  const laptop = version('Old title', T + 10, [[A, 'a.md'], [B, 'b.md']], 'laptop');
  const desktop = version('New title', T + 20, [[A, 'a.md'], [C, 'c.md']], 'desktop');
  const merged = mergeSiteVersions([laptop, desktop]);
  assert.deepEqual(summary(merged), ['a.md=A', 'b.md=B', 'c.md=C']);
  assert.equal(merged.title, 'New title', 'from the newest version');
  assert.deepEqual(merged.author, ALICE.publicKey);
  assert.deepEqual(merged.devices.map(toHex).sort(), [deviceSalt('laptop'), deviceSalt('desktop')].map(toHex).sort());
  assert.deepEqual(merged.conflicts, []);
  assert.deepEqual(mergeSiteVersions([laptop, laptop]).conflicts, [], 'merging a version with itself changes nothing');
  assert.deepEqual(summary(mergeSiteVersions([laptop])), ['a.md=A', 'b.md=B']);
});

test('two items wanting one path: the newer keeps it, the same on every reader, reported', () => {
  const x = item('X', T + 5);
  const y = item('Y', T + 7);
  const tieA = item('tie-1', T + 9);
  const tieB = item('tie-2', T + 9);
  const first = version('s', T + 30, [[x, 'notes.md'], [tieA, 'tie.md'], [A, 'folder']], 'laptop');
  const second = version('s', T + 40, [[y, 'notes.md'], [tieB, 'tie.md'], [B, 'folder/inside.md']], 'desktop');
  const lowerTie = toHex(tieA.id) < toHex(tieB.id) ? tieA : tieB;
  const results = permutations([first, second]).map(mergeSiteVersions);
  for (const merged of results) {
    assert.deepEqual(summary(merged), ['folder/inside.md=B', 'notes.md=Y', `tie.md=${lowerTie.title}`]);
    assert.deepEqual(merged, results[0], 'independent of the order of the manifests');
  }
  const conflicts = results[0]?.conflicts ?? [];
  assert.equal(conflicts.length, 3);
  assert.ok(conflicts.some((c) => c.kind === 'path' && c.path === 'notes.md' && toHex(c.kept) === toHex(y.id) && toHex(c.dropped) === toHex(x.id)));
  assert.ok(conflicts.some((c) => c.kind === 'path' && c.droppedPath === 'folder' && toHex(c.dropped) === toHex(A.id)), 'a file where a folder is needed');
});

test('an item moved between versions stays once, at the newest version\'s path', () => {
  const older = version('s', T + 10, [[A, 'a.md'], [B, 'b.md']], 'laptop');
  const newer = version('s', T + 20, [[A, 'archive/a.md']], 'desktop');
  for (const order of permutations([older, newer])) {
    const merged = mergeSiteVersions(order);
    assert.deepEqual(summary(merged), ['archive/a.md=A', 'b.md=B']);
    assert.deepEqual(merged.conflicts, [{ kind: 'moved', id: A.id, path: 'archive/a.md', otherPath: 'a.md' }]);
  }
});

test('three devices merge to one result in every order', () => {
  const one = version('s', T + 10, [[A, 'a.md'], [B, 'shared.md']], 'one');
  const two = version('s', T + 20, [[C, 'shared.md']], 'two');
  const three = version('s', T + 30, [[A, 'a.md'], [B, 'b.md']], 'three');
  const results = permutations([one, two, three]).map(mergeSiteVersions);
  assert.equal(results.length, 6);
  for (const merged of results) assert.deepEqual(merged, results[0]);
  assert.deepEqual(summary(results[0] ?? mergeSiteVersions([one])), ['a.md=A', 'b.md=B', 'shared.md=C']);
});

test('versions of different authors, or none, are a programmer error', () => {
  assert.throws(() => mergeSiteVersions([]), RangeError);
  const bobs = version('b', T, [], 'x', BOB);
  assert.throws(() => mergeSiteVersions([version('a', T, [], 'x'), bobs]), RangeError);
});
