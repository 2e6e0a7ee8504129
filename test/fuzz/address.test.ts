import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatAddress, hasUrlForm, parseAddress, resolveReference, type SwarmAddress } from '../../src/core/address.js';
import { toBase32 } from '../../src/core/bytes.js';
import { formatKeyFile, Identity, parseKeyFile } from '../../src/core/identity.js';
import { classifyLink } from '../../src/core/link.js';
import { checkSitePath } from '../../src/core/site-path.js';
import { bounded, fuzz, mutate, mutations } from './fuzz.js';

const KEY = '8543d3e6115f0f98c944077a4493dcd543e49c739fd998550a1f614ab36ed63e';
const IH = 'c12fe1c06bba254a9dc9f519b335aa7c1367a88a';
const TOKENS = [
  'bittorrent://', 'BitTorrent://', 'magnet:?', 'magnet:', 'xt=urn:btih:', 'xt=urn:btmh:1220', 'xs=urn:btpk:', 'XS=URN:BTPK:', 'xt.1=', 's=', 'dn=x', 'tr=',
  '&', '=', '/', '//', '.', '..', '%', '%2F', '%2e', '%00', '%C3%A9', '%ff', '#', '?', '\\', ':', ' ', '\u0000', '\n', 'é', '😀', '\ud800',
  KEY, KEY.toUpperCase(), IH, toBase32(Uint8Array.from(IH.match(/../g) ?? [], (h) => Number.parseInt(h, 16))), KEY + KEY, '6e', 'ab'.repeat(65),
  'CON', 'index.md', 'a', 'A', 'x.', 'C:', 'javascript:', 'http://', '~', '-', '_',
];
const addressText = fc.array(fc.oneof({ arbitrary: fc.constantFrom(...TOKENS), weight: 6 }, { arbitrary: fc.string({ unit: 'binary', maxLength: 4 }), weight: 1 }), { maxLength: 10 }).map((parts) => parts.join(''));

function assertFixedPoint(address: SwarmAddress): void {
  if (!hasUrlForm(address)) {
    assert.throws(() => formatAddress(address), RangeError);
    return;
  }
  const text = formatAddress(address);
  const again = parseAddress(text);
  assert.ok(again.ok, `${text}: ${again.ok ? '' : again.error.message}`);
  assert.deepEqual(again.value, address);
  assert.equal(formatAddress(again.value), text);
  if (address.path !== '') assert.ok(checkSitePath(address.path).ok);
}

const BASES: SwarmAddress[] = [`bittorrent://${KEY}/posts/2024/a.md`, `bittorrent://${IH}`, `magnet:?xs=urn:btpk:${KEY}&s=6e`].map((text) => {
  const parsed = parseAddress(text);
  if (!parsed.ok) throw new Error(text);
  return parsed.value;
});

test('address-like strings never throw; accepted addresses are a fixed point of format and parse', () => {
  fuzz(
    fc.property(addressText, (text) => {
      const parsed = bounded('parseAddress', () => parseAddress(text));
      if (parsed.ok) {
        assert.ok(hasUrlForm(parsed.value), 'every parsed address can be written back');
        assertFixedPoint(parsed.value);
      } else {
        assert.match(parsed.error.code, /^ERR_(ADDRESS|MAGNET|PATH)_[A-Z0-9_]+$/);
      }
      const link = bounded('classifyLink', () => classifyLink(text));
      if (link.kind === 'swarm') assert.equal(formatAddress(link.address), link.href);
    }),
    20_000,
    3000,
  );
});

test('relative links never throw and never leave the site', () => {
  fuzz(
    fc.property(fc.constantFrom(...BASES), addressText, (base, reference) => {
      const resolved = bounded('resolveReference', () => resolveReference(base, reference));
      if (!resolved.ok) return;
      const address = resolved.value;
      if (address.path !== '') {
        assert.ok(checkSitePath(address.path).ok, address.path);
        assert.ok(!address.path.split('/').includes('..'));
      }
      assertFixedPoint(address);
    }),
    10_000,
    2500,
  );
});

test('site paths: never throw; accepted ones are relative, dot-free and printable', () => {
  fuzz(
    fc.property(addressText, (path) => {
      const checked = bounded('checkSitePath', () => checkSitePath(path));
      if (!checked.ok) return;
      assert.ok(!path.startsWith('/') && !path.includes('\\') && !path.includes('\u0000'));
      assert.ok(path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..'));
    }),
    10_000,
    2000,
  );
});

test('a corrupted key file is never accepted as another identity', () => {
  const identity = Identity.fromSeed(new Uint8Array(32).fill(0x5a));
  const file = new TextEncoder().encode(formatKeyFile(identity));
  fuzz(
    fc.property(fc.oneof(mutations.map((edits) => mutate(file, edits)), fc.uint8Array({ maxLength: 400 })), (bytes) => {
      const parsed = bounded('parseKeyFile', () => parseKeyFile(bytes));
      if (parsed.ok) assert.deepEqual(parsed.value.publicKey, identity.publicKey);
      else assert.match(parsed.error.code, /^ERR_KEY_FILE_[A-Z_]+$/);
    }),
    3000,
    2000,
  );
});
