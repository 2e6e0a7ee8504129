import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspect } from 'node:util';
import { concatBytes, toHex } from '../../src/core/bytes.js';
import { sha256 } from '../../src/core/hash.js';
import {
  formatKeyFile,
  generateIdentity,
  Identity,
  isValidPublicKey,
  MAX_KEY_FILE_BYTES,
  parseKeyFile,
  verifySignature,
} from '../../src/core/identity.js';
import { bytes, hex } from './vectors.js';

// RFC 8032 section 7.1, TEST 1 and TEST 2.
const RFC8032 = [
  {
    seed: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    seed: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    publicKey: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
];

const SEED = new Uint8Array(32).fill(7);

function code(result: ReturnType<typeof parseKeyFile>): string | undefined {
  return result.ok ? undefined : result.error.code;
}

test('keys and signatures match RFC 8032 test vectors', () => {
  for (const vector of RFC8032) {
    const identity = Identity.fromSeed(hex(vector.seed));
    assert.equal(toHex(identity.publicKey), vector.publicKey);
    assert.equal(toHex(identity.sign(hex(vector.message))), vector.signature);
    assert.ok(verifySignature(hex(vector.publicKey), hex(vector.message), hex(vector.signature)));
    assert.ok(isValidPublicKey(hex(vector.publicKey)));
  }
});

test('generateIdentity turns the caller\'s random bytes into the seed; wrong sizes are programmer errors', () => {
  assert.equal(toHex(generateIdentity(SEED).publicKey), toHex(Identity.fromSeed(SEED).publicKey));
  assert.throws(() => generateIdentity(new Uint8Array(31)), RangeError);
  assert.throws(() => Identity.fromSeed('x'.repeat(32) as unknown as Uint8Array), TypeError);
  const identity = Identity.fromSeed(SEED);
  identity.publicKey.fill(0);
  assert.notEqual(toHex(identity.publicKey), '00'.repeat(32), 'publicKey hands out copies');
});

test('verification is strict and never throws for byte arrays', () => {
  const identity = Identity.fromSeed(SEED);
  const signature = identity.sign(bytes('hello'));
  assert.ok(verifySignature(identity.publicKey, bytes('hello'), signature));
  assert.equal(verifySignature(identity.publicKey, bytes('hellO'), signature), false);
  assert.equal(verifySignature(identity.publicKey.subarray(1), bytes('hello'), signature), false);
  assert.equal(verifySignature(identity.publicKey, bytes('hello'), signature.subarray(1)), false);
  assert.equal(verifySignature(new Uint8Array(32).fill(0xff), bytes('hello'), signature), false);
  // S + L (the group order) is the same scalar mod L: a malleated signature that RFC 8032 rejects.
  const L = 2n ** 252n + 27742317777372353535851937790883648493n;
  let s = 0n;
  for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(signature[i] ?? 0);
  const malleated = signature.slice();
  let t = s + L;
  for (let i = 32; i < 64; i++) {
    malleated[i] = Number(t & 0xffn);
    t >>= 8n;
  }
  assert.equal(verifySignature(identity.publicKey, bytes('hello'), malleated), false);
  // The identity point (a small-order key) verifies nothing.
  const identityPoint = new Uint8Array(32);
  identityPoint[0] = 1;
  assert.equal(isValidPublicKey(identityPoint), false);
  assert.equal(isValidPublicKey(new Uint8Array(31)), false);
  assert.throws(() => verifySignature('k' as unknown as Uint8Array, bytes('x'), signature), TypeError);
});

test('the secret seed is not printed or serialized', () => {
  const identity = Identity.fromSeed(SEED);
  const seedHex = toHex(SEED);
  assert.equal(JSON.stringify(identity), JSON.stringify({ publicKey: toHex(identity.publicKey) }));
  assert.ok(!inspect(identity, { showHidden: true, depth: 5 }).includes('7, 7, 7'));
  assert.ok(!JSON.stringify(identity).includes(seedHex));
  assert.deepEqual(Object.keys(identity), []);
});

test('the key file round-trips, also as a backup through Windows line ends and upper case', () => {
  const identity = Identity.fromSeed(SEED);
  const file = formatKeyFile(identity);
  assert.match(file, /^# swarmpress identity\..*\nswarmpress-identity: 1\npublic-key: [0-9a-f]{64}\nsecret-seed: [0-9a-f]{64}\nchecksum: [0-9a-f]{16}\n$/);
  for (const variant of [file, file.replaceAll('\n', '\r\n'), file.toUpperCase().replace('SWARMPRESS-IDENTITY', 'swarmpress-identity').replace('PUBLIC-KEY', 'public-key').replace('SECRET-SEED', 'secret-seed').replace('CHECKSUM', 'checksum'), `\n${file}\n\n# a note\n`]) {
    const parsed = parseKeyFile(bytes(variant));
    assert.ok(parsed.ok, JSON.stringify(parsed));
    assert.deepEqual(parsed.value.publicKey, identity.publicKey);
    assert.deepEqual(parsed.value.sign(bytes('m')), identity.sign(bytes('m')));
  }
});

test('a missing, empty, truncated or corrupted key file is an error, never a new identity', () => {
  const file = formatKeyFile(Identity.fromSeed(SEED));
  assert.equal(code(parseKeyFile(undefined)), 'ERR_KEY_FILE_MISSING');
  assert.equal(code(parseKeyFile(new Uint8Array(0))), 'ERR_KEY_FILE_EMPTY');
  assert.equal(code(parseKeyFile(bytes('\n \r\n'))), 'ERR_KEY_FILE_EMPTY');
  assert.equal(code(parseKeyFile(new Uint8Array([0xff, 0xfe]))), 'ERR_KEY_FILE_NOT_TEXT');
  assert.equal(code(parseKeyFile(new Uint8Array(MAX_KEY_FILE_BYTES + 1).fill(0x23))), 'ERR_KEY_FILE_TOO_LARGE');
  assert.equal(code(parseKeyFile(bytes(file.replace('swarmpress-identity: 1', 'swarmpress-identity: 2')))), 'ERR_KEY_FILE_VERSION');
  assert.equal(code(parseKeyFile(bytes('hello: world\n'))), 'ERR_KEY_FILE_FORMAT');
  assert.equal(code(parseKeyFile(bytes(file.replace(/checksum: .*\n/, '')))), 'ERR_KEY_FILE_FORMAT');
  assert.equal(code(parseKeyFile(bytes(file + 'secret-seed: 00\n'))), 'ERR_KEY_FILE_FORMAT');
  // Every truncation that loses content fails.
  const content = file.trimEnd();
  for (let length = 0; length < content.length; length++) {
    assert.equal(parseKeyFile(bytes(content.slice(0, length))).ok, false, `truncated to ${length}`);
  }
  // Every hex digit of every value changed to another digit is caught by the checksum.
  let checked = 0;
  for (const name of ['public-key: ', 'secret-seed: ', 'checksum: ']) {
    const start = file.indexOf(name) + name.length;
    for (let i = start; file[i] !== '\n'; i++) {
      const other = file[i] === '0' ? '1' : '0';
      const corrupted = file.slice(0, i) + other + file.slice(i + 1);
      assert.equal(code(parseKeyFile(bytes(corrupted))), 'ERR_KEY_FILE_CHECKSUM', `${name}digit ${i - start}`);
      checked++;
    }
  }
  assert.equal(checked, 64 + 64 + 16);
});

test('a seed that does not belong to the public key is reported even with a matching checksum', () => {
  const a = Identity.fromSeed(SEED);
  const b = Identity.fromSeed(new Uint8Array(32).fill(9));
  const checksum = sha256(concatBytes(bytes('swarmpress-identity 1\n'), b.publicKey, SEED)).slice(0, 8);
  const forged = `swarmpress-identity: 1\npublic-key: ${toHex(b.publicKey)}\nsecret-seed: ${toHex(SEED)}\nchecksum: ${toHex(checksum)}\n`;
  assert.equal(code(parseKeyFile(bytes(forged))), 'ERR_KEY_FILE_KEY_MISMATCH');
  assert.notDeepEqual(a.publicKey, b.publicKey);
});
