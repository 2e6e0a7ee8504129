import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decodeBencode,
  dictFromEntries,
  encodeBencode,
  MAX_BENCODE_DEPTH,
  MAX_BENCODE_INTEGER,
  MIN_BENCODE_INTEGER,
  type BencodeValue,
} from '../../src/core/bencode.js';
import { toBinaryString } from '../../src/core/bytes.js';
import { bytes } from './vectors.js';

const text = (value: Uint8Array): string => new TextDecoder().decode(value);

function decodeText(input: string): ReturnType<typeof decodeBencode> {
  return decodeBencode(bytes(input));
}

function errorCode(input: string | Uint8Array): string | undefined {
  const result = decodeBencode(typeof input === 'string' ? bytes(input) : input);
  return result.ok ? undefined : result.error.code;
}

test('BEP 3 examples decode to bigints, byte strings, arrays and maps', () => {
  const spam = decodeText('4:spam');
  assert.ok(spam.ok);
  assert.deepEqual(spam.value, bytes('spam'));
  assert.deepEqual(decodeText('i3e'), { ok: true, value: 3n });
  assert.deepEqual(decodeText('i-3e'), { ok: true, value: -3n });
  assert.deepEqual(decodeText('i0e'), { ok: true, value: 0n });
  assert.deepEqual(decodeText('0:'), { ok: true, value: new Uint8Array(0) });
  assert.deepEqual(decodeText('l4:spam4:eggse'), { ok: true, value: [bytes('spam'), bytes('eggs')] });
  const dict = decodeText('d3:cow3:moo4:spam4:eggse');
  assert.ok(dict.ok && dict.value instanceof Map);
  assert.deepEqual([...dict.value.keys()], ['cow', 'spam']);
  assert.deepEqual(dict.value.get('cow'), bytes('moo'));
});

test('integers are exact beyond 2^53 and limited to 64 signed bits', () => {
  const big = decodeText('i9007199254740993e');
  assert.deepEqual(big, { ok: true, value: 9007199254740993n });
  assert.deepEqual(decodeText(`i${MAX_BENCODE_INTEGER}e`), { ok: true, value: MAX_BENCODE_INTEGER });
  assert.deepEqual(decodeText(`i${MIN_BENCODE_INTEGER}e`), { ok: true, value: MIN_BENCODE_INTEGER });
  assert.equal(errorCode(`i${MAX_BENCODE_INTEGER + 1n}e`), 'ERR_BENCODE_INTEGER_RANGE');
  assert.equal(errorCode(`i${MIN_BENCODE_INTEGER - 1n}e`), 'ERR_BENCODE_INTEGER_RANGE');
  assert.equal(errorCode(`i${'9'.repeat(400)}e`), 'ERR_BENCODE_INTEGER_RANGE');
  assert.throws(() => encodeBencode(MAX_BENCODE_INTEGER + 1n), RangeError);
  assert.equal(text(encodeBencode(-42n)), 'i-42e');
});

test('non-canonical spellings are rejected with their own codes', () => {
  const cases: [string, string][] = [
    ['i03e', 'ERR_BENCODE_NON_CANONICAL_INTEGER'],
    ['i-0e', 'ERR_BENCODE_NON_CANONICAL_INTEGER'],
    ['i00e', 'ERR_BENCODE_NON_CANONICAL_INTEGER'],
    ['i-03e', 'ERR_BENCODE_NON_CANONICAL_INTEGER'],
    ['ie', 'ERR_BENCODE_BAD_INTEGER'],
    ['i-e', 'ERR_BENCODE_BAD_INTEGER'],
    ['i1-e', 'ERR_BENCODE_BAD_INTEGER'],
    ['i+1e', 'ERR_BENCODE_BAD_INTEGER'],
    ['i1.5e', 'ERR_BENCODE_BAD_INTEGER'],
    ['04:spam', 'ERR_BENCODE_NON_CANONICAL_LENGTH'],
    ['00:', 'ERR_BENCODE_NON_CANONICAL_LENGTH'],
    ['-1:a', 'ERR_BENCODE_UNEXPECTED_BYTE'],
    ['4spam', 'ERR_BENCODE_BAD_LENGTH'],
    ['d4:spam1:a3:cow1:be', 'ERR_BENCODE_UNSORTED_KEYS'],
    ['d1:a1:x1:a1:ye', 'ERR_BENCODE_DUPLICATE_KEY'],
    ['di1e1:ae', 'ERR_BENCODE_KEY_NOT_STRING'],
    ['dle1:ae', 'ERR_BENCODE_KEY_NOT_STRING'],
    ['i1ei2e', 'ERR_BENCODE_TRAILING_DATA'],
    ['4:spam ', 'ERR_BENCODE_TRAILING_DATA'],
    ['le ', 'ERR_BENCODE_TRAILING_DATA'],
    ['', 'ERR_BENCODE_TRUNCATED'],
    ['l', 'ERR_BENCODE_TRUNCATED'],
    ['d1:a', 'ERR_BENCODE_TRUNCATED'],
    ['5:spam', 'ERR_BENCODE_TRUNCATED'],
    ['i12', 'ERR_BENCODE_TRUNCATED'],
    ['99999999999:x', 'ERR_BENCODE_TRUNCATED'],
    ['x', 'ERR_BENCODE_UNEXPECTED_BYTE'],
    ['e', 'ERR_BENCODE_UNEXPECTED_BYTE'],
  ];
  for (const [input, code] of cases) assert.equal(errorCode(input), code, JSON.stringify(input));
});

test('keys sort by raw bytes, not by UTF-16 or locale', () => {
  // 0xc3 0xa9 ('é' in UTF-8) sorts after 'z'; 'B' (0x42) sorts before 'a' (0x61).
  const dict = new Map<string, BencodeValue>([
    [toBinaryString(bytes('é')), 1n],
    ['z', 2n],
    ['B', 3n],
    ['a', 4n],
    ['', 5n],
  ]);
  const encoded = encodeBencode(dict);
  assert.equal(toBinaryString(encoded), `d0:i5e1:Bi3e1:ai4e1:zi2e2:${toBinaryString(bytes('é'))}i1ee`);
  assert.deepEqual(decodeBencode(encoded), { ok: true, value: dict });
  // Keys that are not UTF-8 round-trip too.
  const binary = new Uint8Array([0x64, 0x31, 0x3a, 0xff, 0x30, 0x3a, 0x65]); // d1:\xff0:e
  const decoded = decodeBencode(binary);
  assert.ok(decoded.ok);
  assert.deepEqual(encodeBencode(decoded.value), binary);
  assert.equal(errorCode(new Uint8Array([0x64, 0x31, 0x3a, 0xff, 0x30, 0x3a, 0x31, 0x3a, 0x61, 0x30, 0x3a, 0x65])), 'ERR_BENCODE_UNSORTED_KEYS');
});

test('encode(decode(x)) is x for accepted inputs; strings are copies', () => {
  for (const input of ['de', 'le', 'i0e', '0:', 'd1:ad1:bl0:i-1eeee', 'lllleeee', 'd4:spaml1:a1:bee']) {
    const decoded = decodeText(input);
    assert.ok(decoded.ok, input);
    assert.equal(text(encodeBencode(decoded.value)), input);
  }
  const source = bytes('3:abc');
  const decoded = decodeBencode(source);
  source[2] = 0x7a;
  assert.deepEqual(decoded, { ok: true, value: bytes('abc') });
});

test('depth and size limits are enforced without deep recursion', () => {
  const deep = (n: number): string => 'l'.repeat(n) + 'e'.repeat(n);
  assert.ok(decodeText(deep(MAX_BENCODE_DEPTH)).ok);
  assert.equal(errorCode(deep(MAX_BENCODE_DEPTH + 1)), 'ERR_BENCODE_TOO_DEEP');
  assert.equal(errorCode(deep(100_000)), 'ERR_BENCODE_TOO_DEEP');
  assert.equal(errorCode('d1:a' + deep(MAX_BENCODE_DEPTH) + 'e'), 'ERR_BENCODE_TOO_DEEP');
  const limited = decodeBencode(bytes('5:hello'), { maxBytes: 6 });
  assert.equal(limited.ok ? undefined : limited.error.code, 'ERR_BENCODE_TOO_LARGE');
  assert.ok(decodeBencode(bytes('5:hello'), { maxBytes: 7 }).ok);
  assert.equal(decodeBencode(bytes('ll1:aee'), { maxDepth: 1 }).ok, false);
  assert.throws(() => decodeBencode(bytes('le'), { maxDepth: MAX_BENCODE_DEPTH + 1 }), RangeError);
});

test('encoding refuses what has no canonical bencode (programmer errors)', () => {
  assert.throws(() => encodeBencode(1 as unknown as BencodeValue), TypeError);
  assert.throws(() => encodeBencode('x' as unknown as BencodeValue), TypeError);
  assert.throws(() => encodeBencode(new Map([['\u0100', 1n]])), TypeError);
  const cyclic: BencodeValue[] = [];
  cyclic.push(cyclic);
  assert.throws(() => encodeBencode(cyclic), RangeError);
  assert.throws(() => decodeBencode('le' as unknown as Uint8Array), TypeError);
});

test('dictFromEntries stores text keys as UTF-8 and leaves out undefined', () => {
  const dict = dictFromEntries({ b: 1n, a: undefined, 'ü': bytes('x') });
  assert.deepEqual([...dict.keys()], ['b', toBinaryString(bytes('ü'))]);
  assert.equal(text(encodeBencode(dict)), 'd1:bi1e2:ü1:xe');
});
