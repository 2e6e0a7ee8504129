import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decodeBencode, encodeBencode, MAX_BENCODE_DEPTH } from '../../src/core/bencode.js';
import { decodeSitePointer } from '../../src/core/bep46.js';
import { bencodeishBytes, bencodeValue, bounded, fuzz, mutate, mutations } from './fuzz.js';

function roundTripsIfAccepted(input: Uint8Array): void {
  const result = bounded('decodeBencode', () => decodeBencode(input));
  if (result.ok) assert.deepEqual(encodeBencode(result.value), input);
  else assert.match(result.error.code, /^ERR_BENCODE_[A-Z_]+$/);
}

test('every value encodes to bytes that decode to it, and re-encode identically', () => {
  fuzz(
    fc.property(bencodeValue, (value) => {
      const encoded = encodeBencode(value);
      const decoded = decodeBencode(encoded);
      assert.ok(decoded.ok);
      assert.deepEqual(decoded.value, value);
      assert.deepEqual(encodeBencode(decoded.value), encoded);
    }),
    3000,
    2500,
  );
});

test('random bytes never throw; whatever is accepted round-trips exactly', () => {
  fuzz(fc.property(fc.oneof(bencodeishBytes, fc.uint8Array({ maxLength: 64 })), roundTripsIfAccepted), 20_000, 2000);
});

test('mutated encodings never throw; whatever is accepted round-trips exactly', () => {
  fuzz(
    fc.property(bencodeValue, mutations, (value, edits) => {
      const mutated = mutate(encodeBencode(value), edits);
      roundTripsIfAccepted(mutated);
      bounded('decodeSitePointer', () => decodeSitePointer(mutated));
    }),
    10_000,
    2500,
  );
});

test('pathological inputs finish quickly', () => {
  const big = (text: string): Uint8Array => new TextEncoder().encode(text);
  const n = 1_000_000;
  for (const [name, input] of [
    ['deep lists', big('l'.repeat(n))],
    ['deep dictionaries', big('d1:a'.repeat(n / 4))],
    ['a long integer', big(`i${'1'.repeat(n)}e`)],
    ['a long length', big(`${'1'.repeat(n)}:`)],
    ['many small items', big(`l${'i1e'.repeat(n / 3)}e`)],
    ['many keys', big(`d${Array.from({ length: 50_000 }, (_, i) => `6:k${String(i).padStart(5, '0')}0:`).join('')}e`)],
  ] as const) {
    const result = bounded(name, () => decodeBencode(input));
    if (name === 'deep lists' || name === 'deep dictionaries') assert.equal(result.ok ? '' : result.error.code, 'ERR_BENCODE_TOO_DEEP');
  }
  assert.ok(decodeBencode(big('l'.repeat(MAX_BENCODE_DEPTH) + 'e'.repeat(MAX_BENCODE_DEPTH))).ok);
});
