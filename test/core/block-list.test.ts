import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  BLOCK_LIST_PATH,
  encodeBlockList,
  isBlockListPath,
  MAX_BLOCK_LIST_BYTES,
  MAX_BLOCK_LIST_ENTRIES,
  parseBlockList,
  type BlockListEntry,
} from '../../src/core/block-list.js';
import { toHex, utf8 } from '../../src/core/bytes.js';

const A = new Uint8Array(32).fill(0xaa);
const B = new Uint8Array(32).fill(0x0b);

function shown(entries: readonly BlockListEntry[]): string[] {
  return entries.map((entry) => `${entry.kind}:${toHex(entry.key)}`);
}

test('a list round-trips in a canonical form: sorted, duplicates once', () => {
  const entries: BlockListEntry[] = [{ kind: 'site', key: B }, { kind: 'author', key: A }, { kind: 'site', key: B }];
  const bytes = encodeBlockList(entries);
  assert.deepEqual(bytes, encodeBlockList([{ kind: 'author', key: A }, { kind: 'site', key: B }]));
  const parsed = parseBlockList(bytes);
  assert.ok(parsed.ok);
  assert.deepEqual(shown(parsed.value), [`author:${toHex(A)}`, `site:${toHex(B)}`]);
  assert.equal(new TextDecoder().decode(encodeBlockList([])), '{"blocks":[]}\n');
  assert.throws(() => encodeBlockList([{ kind: 'site', key: new Uint8Array(31) }]), RangeError);
  assert.equal(isBlockListPath(BLOCK_LIST_PATH), true);
  assert.equal(isBlockListPath('.SwarmPress/Blocks.json'), true);
  assert.equal(isBlockListPath('blocks.json'), false);
});

test('hostile lists are refused with the first problem, never thrown', () => {
  const key = toHex(A);
  const cases: [string | Uint8Array, string, RegExp][] = [
    [new Uint8Array([0xff, 0xfe]), 'ERR_BLOCK_LIST_ENCODING', /not UTF-8/],
    ['{"blocks": [', 'ERR_BLOCK_LIST_JSON', /not JSON/],
    ['[]', 'ERR_BLOCK_LIST_SHAPE', /not a JSON object/],
    ['{"block": []}', 'ERR_BLOCK_LIST_SHAPE', /no 'blocks' array/],
    ['{"blocks": [1]}', 'ERR_BLOCK_LIST_SHAPE', /blocks\[0\] is not an object/],
    [`{"blocks": [{"kind": "user", "key": "${key}"}]}`, 'ERR_BLOCK_LIST_SHAPE', /blocks\[0\]\.kind/],
    [`{"blocks": [{"kind": "site", "key": "${key.toUpperCase()}"}]}`, 'ERR_BLOCK_LIST_SHAPE', /blocks\[0\]\.key must be 64 lower-case hex/],
    [`{"blocks": [{"kind": "site", "key": "${key}"}, {"kind": "site", "key": 7}]}`, 'ERR_BLOCK_LIST_SHAPE', /blocks\[1\]\.key/],
    [`{"blocks": [${'{},'.repeat(MAX_BLOCK_LIST_ENTRIES)}{}]}`, 'ERR_BLOCK_LIST_TOO_MANY', new RegExp(`${MAX_BLOCK_LIST_ENTRIES + 1} entries`)],
    [`{"blocks": []}${' '.repeat(MAX_BLOCK_LIST_BYTES)}`, 'ERR_BLOCK_LIST_TOO_LARGE', /more than the 1048576 read/],
  ];
  for (const [input, expected, message] of cases) {
    const parsed = parseBlockList(typeof input === 'string' ? utf8(input) : input);
    assert.ok(!parsed.ok, expected);
    assert.equal(parsed.error.code, expected);
    assert.match(parsed.error.message, message);
  }
  // Extra fields are ignored; the list at the limit is taken.
  const atLimit = `{"v": 2, "blocks": [${Array.from({ length: MAX_BLOCK_LIST_ENTRIES }, (_, i) => `{"kind":"site","key":"${i.toString(16).padStart(64, '0')}","note":"x"}`).join(',')}]}`;
  const parsed = parseBlockList(utf8(atLimit));
  assert.ok(parsed.ok);
  assert.equal(parsed.value.length, MAX_BLOCK_LIST_ENTRIES);
});

test('any bytes: a result, never an exception', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
    const parsed = parseBlockList(bytes);
    return typeof parsed.ok === 'boolean';
  }), { numRuns: 2000 });
  fc.assert(fc.property(fc.json(), (text) => {
    const parsed = parseBlockList(utf8(text));
    return typeof parsed.ok === 'boolean';
  }), { numRuns: 2000 });
});
