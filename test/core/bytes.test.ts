import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  binaryFromText,
  compareBytes,
  concatBytes,
  decodeUtf8,
  fromBase32,
  fromBinaryString,
  fromHex,
  isWellFormedText,
  textFromBinary,
  toBase32,
  toBinaryString,
  toHex,
} from '../../src/core/bytes.js';
import { bytes } from './vectors.js';

test('hex: lower case out, either case in, exact lengths', () => {
  assert.equal(toHex(new Uint8Array([0, 1, 0xab, 0xff])), '0001abff');
  assert.deepEqual(fromHex('0001ABff'), new Uint8Array([0, 1, 0xab, 0xff]));
  assert.deepEqual(fromHex(''), new Uint8Array(0));
  for (const bad of ['0', 'g0', '0x00', ' 00', '00 ']) assert.equal(fromHex(bad), undefined, bad);
  assert.equal(fromHex('0011', 3), undefined);
  assert.deepEqual(fromHex('001122', 3), new Uint8Array([0, 0x11, 0x22]));
});

test('base32 (RFC 4648 test vectors, unpadded) and its one spelling per value', () => {
  const vectors: [string, string][] = [['', ''], ['f', 'MY'], ['fo', 'MZXQ'], ['foo', 'MZXW6'], ['foob', 'MZXW6YQ'], ['fooba', 'MZXW6YTB'], ['foobar', 'MZXW6YTBOI']];
  for (const [plain, encoded] of vectors) {
    assert.equal(toBase32(bytes(plain)), encoded);
    assert.deepEqual(fromBase32(encoded), bytes(plain));
    assert.deepEqual(fromBase32(encoded.toLowerCase()), bytes(plain));
  }
  assert.equal(fromBase32('MZ'), undefined, 'non-zero trailing bits');
  assert.equal(fromBase32('M'), undefined, 'a dangling character');
  assert.equal(fromBase32('MY======'), undefined, 'padding is not accepted');
  assert.equal(fromBase32('M1'), undefined, '1 is not in the alphabet');
});

test('byte order is memcmp order; concat joins', () => {
  assert.ok(compareBytes(bytes('a'), bytes('b')) < 0);
  assert.ok(compareBytes(bytes('ab'), bytes('a')) > 0);
  assert.ok(compareBytes(new Uint8Array([0x7f]), new Uint8Array([0x80])) < 0);
  assert.equal(compareBytes(bytes('xy'), bytes('xy')), 0);
  assert.deepEqual(concatBytes(bytes('ab'), new Uint8Array(0), bytes('c')), bytes('abc'));
});

test('UTF-8 decoding is strict; binary strings carry any bytes', () => {
  assert.equal(decodeUtf8(bytes('grüße')), 'grüße');
  assert.equal(decodeUtf8(new Uint8Array([0xc3])), undefined);
  assert.equal(decodeUtf8(new Uint8Array([0xed, 0xa0, 0x80])), undefined, 'an encoded surrogate');
  assert.equal(decodeUtf8(new Uint8Array([0xc0, 0xaf])), undefined, 'an overlong form');
  assert.equal(decodeUtf8(new Uint8Array([0xef, 0xbb, 0xbf, 0x61])), '\ufeffa', 'a BOM is kept');
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  assert.deepEqual(fromBinaryString(toBinaryString(all)), all);
  assert.equal(fromBinaryString('\u0100'), undefined);
  assert.equal(textFromBinary(binaryFromText('ключ')), 'ключ');
  assert.equal(textFromBinary('\u00ff'), undefined);
  const long = new Uint8Array(100_000).fill(0x41);
  assert.equal(toBinaryString(long).length, 100_000);
});

test('lone surrogates are detected', () => {
  assert.ok(isWellFormedText('a😀b'));
  assert.equal(isWellFormedText('a\ud800b'), false);
  assert.equal(isWellFormedText('\udc00'), false);
  assert.equal(isWellFormedText('x\ud83d'), false);
});
