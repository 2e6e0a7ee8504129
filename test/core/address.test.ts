import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  formatAddress,
  formatSiteMagnet,
  hasUrlForm,
  MAX_ADDRESS_CHARS,
  parseAddress,
  resolveReference,
  type SwarmAddress,
} from '../../src/core/address.js';
import { mutableTarget } from '../../src/core/bep44.js';
import { toBase32, toHex } from '../../src/core/bytes.js';
import { bytes, hex, readVectors } from './vectors.js';

const KEY = '8543d3e6115f0f98c944077a4493dcd543e49c739fd998550a1f614ab36ed63e';
const IH = 'c12fe1c06bba254a9dc9f519b335aa7c1367a88a';
const V2 = 'd4e6a0f8b0c2b1a3e5f7091b2d3c4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f';

function parsed(text: string): SwarmAddress {
  const result = parseAddress(text);
  if (!result.ok) throw new Error(`${text}: ${result.error.code} ${result.error.message}`);
  return result.value;
}

function code(text: string): string | undefined {
  const result = parseAddress(text);
  return result.ok ? undefined : result.error.code;
}

function assertFixedPoint(address: SwarmAddress): void {
  const text = formatAddress(address);
  assert.deepEqual(parsed(text), address, text);
  assert.equal(formatAddress(parsed(text)), text);
}

test('bittorrent:// addresses of sites and versions parse, normalize and format', () => {
  const site = parsed(`BitTorrent://${KEY.toUpperCase()}/Posts/Hello%20World.md#Top%20part`);
  assert.deepEqual(site, { kind: 'mutable', publicKey: hex(KEY), salt: new Uint8Array(0), path: 'Posts/Hello World.md', fragment: 'Top part' });
  assert.equal(formatAddress(site), `bittorrent://${KEY}/Posts/Hello%20World.md#Top%20part`);
  const version = parsed(`bittorrent://${IH}`);
  assert.deepEqual(version, { kind: 'immutable', infohash: hex(IH), path: '', fragment: '' });
  assert.equal(formatAddress(version), `bittorrent://${IH}`);
  assert.equal(parsed(`bittorrent://${IH}/`).path, '');
  assert.equal(parsed(`bittorrent://${KEY}/docs/`).path, 'docs', 'a trailing slash names the folder');
  assert.equal(parsed(`bittorrent://${KEY}/caf%C3%A9/%E2%9C%93.md`).path, 'café/✓.md');
  assert.equal(formatAddress(parsed(`bittorrent://${KEY}/café/a b.md`)), `bittorrent://${KEY}/caf%C3%A9/a%20b.md`);
  for (const text of [`bittorrent://${KEY}/Posts/Hello%20World.md#Top`, `bittorrent://${IH}/a/b.md`, `bittorrent://${KEY}`]) assertFixedPoint(parsed(text));
});

test('magnet links: btih in hex or base32, btmh, hybrid, and BEP 46 btpk with salt', () => {
  const base32 = toBase32(hex(IH));
  assert.deepEqual(parsed(`magnet:?xt=urn:btih:${base32}`), parsed(`magnet:?xt=urn:btih:${IH.toUpperCase()}`));
  assert.deepEqual(parsed(`magnet:?xt=urn:btih:${base32.toLowerCase()}&dn=Name&tr=udp%3A%2F%2Ft%3A1&tr=%zz`), { kind: 'immutable', infohash: hex(IH), path: '', fragment: '' });
  assert.equal(formatAddress(parsed(`MAGNET:?XT=URN:BTIH:${IH}`)), `bittorrent://${IH}`, 'a plain version becomes its bittorrent:// URL');
  const hybrid = parsed(`magnet:?xt=urn:btih:${IH}&xt=urn:btmh:1220${V2}`);
  assert.deepEqual(hybrid, { kind: 'immutable', infohash: hex(IH), infohashV2: hex(V2), path: '', fragment: '' });
  assert.equal(formatAddress(hybrid), `magnet:?xt=urn:btih:${IH}&xt=urn:btmh:1220${V2}`);
  const v2only = parsed(`magnet:?xt.1=urn:btmh:1220${V2.toUpperCase()}`);
  assert.equal(formatAddress(v2only), `magnet:?xt=urn:btmh:1220${V2}`);
  const unsalted = parsed(`magnet:?xs=urn:btpk:${KEY}`);
  assert.equal(formatAddress(unsalted), `bittorrent://${KEY}`);
  const salted = parsed(`magnet:?xs=urn:btpk:${KEY.toUpperCase()}&s=6E`);
  assert.deepEqual(salted, { kind: 'mutable', publicKey: hex(KEY), salt: bytes('n'), path: '', fragment: '' });
  assert.equal(formatAddress(salted), `magnet:?xs=urn:btpk:${KEY}&s=6e`);
  assert.equal(formatSiteMagnet(hex(KEY), bytes('n')), `magnet:?xs=urn:btpk:${KEY}&s=6e`);
  assert.equal(formatSiteMagnet(hex(KEY)), `magnet:?xs=urn:btpk:${KEY}`);
  for (const address of [hybrid, v2only, unsalted, salted]) assertFixedPoint(address);
});

test('the official BEP 46 vectors: magnet to target id', () => {
  const vectors = (readVectors('bep44-bep46.json') as { bep46: { public_key: string; salt_hex?: string; target: string }[] }).bep46;
  assert.equal(vectors.length, 2);
  for (const v of vectors) {
    const link = `magnet:?xs=urn:btpk:${v.public_key}${v.salt_hex === undefined ? '' : `&s=${v.salt_hex}`}`;
    const address = parsed(link);
    assert.ok(address.kind === 'mutable');
    assert.equal(toHex(mutableTarget(address.publicKey, address.salt)), v.target);
  }
});

test('everything else is rejected with a specific code', () => {
  const cases: [string, string][] = [
    ['', 'ERR_ADDRESS_EMPTY'],
    ['x'.repeat(MAX_ADDRESS_CHARS + 1), 'ERR_ADDRESS_TOO_LONG'],
    ['index.md', 'ERR_ADDRESS_SCHEME'],
    ['https://example.com/', 'ERR_ADDRESS_SCHEME'],
    ['javascript:alert(1)', 'ERR_ADDRESS_SCHEME'],
    [`bittorrent:${KEY}`, 'ERR_ADDRESS_SYNTAX'],
    [`bittorrent://${KEY.slice(1)}`, 'ERR_ADDRESS_HOST'],
    [`bittorrent://${KEY}0`, 'ERR_ADDRESS_HOST'],
    [`bittorrent://${IH.slice(2)}`, 'ERR_ADDRESS_HOST'],
    [`bittorrent://user@${IH}`, 'ERR_ADDRESS_HOST'],
    [`bittorrent://${IH}:80/`, 'ERR_ADDRESS_HOST'],
    [`bittorrent://${toBase32(hex(IH))}`, 'ERR_ADDRESS_HOST'],
    ['bittorrent://', 'ERR_ADDRESS_HOST'],
    [`bittorrent://${KEY}/a?b=c`, 'ERR_ADDRESS_QUERY'],
    [`bittorrent://${KEY}/a/../b`, 'ERR_PATH_DOT_SEGMENT'],
    [`bittorrent://${KEY}/a/%2e%2e/b`, 'ERR_PATH_DOT_SEGMENT'],
    [`bittorrent://${KEY}/a%2Fb`, 'ERR_ADDRESS_ENCODED_SEPARATOR'],
    [`bittorrent://${KEY}/a%zz`, 'ERR_ADDRESS_ENCODING'],
    [`bittorrent://${KEY}/a%ff`, 'ERR_ADDRESS_ENCODING'],
    [`bittorrent://${KEY}/a\ud800`, 'ERR_ADDRESS_ENCODING'],
    [`bittorrent://${KEY}/a%00`, 'ERR_PATH_CONTROL'],
    [`bittorrent://${KEY}/a%5Cb`, 'ERR_PATH_BACKSLASH'],
    [`bittorrent://${KEY}/a\nb`, 'ERR_ADDRESS_CONTROL'],
    [`bittorrent://${KEY}//x`, 'ERR_PATH_EMPTY_SEGMENT'],
    [`bittorrent://${KEY}/CON`, 'ERR_PATH_DEVICE_NAME'],
    [`bittorrent://${KEY}/a#%0a`, 'ERR_ADDRESS_CONTROL'],
    ['magnet:xt=urn:btih:' + IH, 'ERR_ADDRESS_SYNTAX'],
    ['magnet:?', 'ERR_MAGNET_NO_TOPIC'],
    ['magnet:?dn=x&tr=y', 'ERR_MAGNET_NO_TOPIC'],
    ['magnet:?xt', 'ERR_ADDRESS_SYNTAX'],
    [`magnet:?xt=urn:btih:${IH}#x`, 'ERR_ADDRESS_SYNTAX'],
    [`magnet:?xt=urn:btih:${IH.slice(1)}`, 'ERR_MAGNET_INFOHASH'],
    [`magnet:?xt=urn:btih:${toBase32(hex(IH)).slice(1)}`, 'ERR_MAGNET_INFOHASH'],
    [`magnet:?xt=urn:btmh:1114${V2}`, 'ERR_MAGNET_MULTIHASH'],
    [`magnet:?xt=urn:btmh:1220${V2.slice(2)}`, 'ERR_MAGNET_MULTIHASH'],
    [`magnet:?xt=urn:btpk:${KEY}`, 'ERR_MAGNET_XT_XS_CONFUSION'],
    [`magnet:?xs=urn:btih:${IH}`, 'ERR_MAGNET_XT_XS_CONFUSION'],
    [`magnet:?xs=urn:btpk:${KEY.slice(2)}`, 'ERR_MAGNET_PUBLIC_KEY'],
    [`magnet:?xs=urn:btpk:${KEY}&s=zz`, 'ERR_MAGNET_SALT'],
    [`magnet:?xs=urn:btpk:${KEY}&s=`, 'ERR_MAGNET_SALT'],
    [`magnet:?xs=urn:btpk:${KEY}&s=abc`, 'ERR_MAGNET_SALT'],
    [`magnet:?xs=urn:btpk:${KEY}&s=${'ab'.repeat(65)}`, 'ERR_MAGNET_SALT_TOO_LONG'],
    [`magnet:?xt=urn:btih:${IH}&s=6e`, 'ERR_MAGNET_SALT_WITHOUT_KEY'],
    [`magnet:?xs=urn:btpk:${KEY}&xs=urn:btpk:${KEY}`, 'ERR_MAGNET_DUPLICATE'],
    [`magnet:?xt=urn:btih:${IH}&xt=urn:btih:${IH}`, 'ERR_MAGNET_DUPLICATE'],
    [`magnet:?xs=urn:btpk:${KEY}&s=6e&s=6f`, 'ERR_MAGNET_DUPLICATE'],
    [`magnet:?xs=urn:btpk:${KEY}&xt=urn:btih:${IH}`, 'ERR_MAGNET_AMBIGUOUS'],
    ['magnet:?xt=urn:sha1:YNCKHTQCWBTRNJIV4WNAE52SJUQCZO5C', 'ERR_MAGNET_TOPIC'],
    [`magnet:?xt=urn:btih:%zz${IH}`, 'ERR_ADDRESS_ENCODING'],
  ];
  for (const [text, expected] of cases) assert.equal(code(text), expected, JSON.stringify(text.slice(0, 90)));
  assert.ok(parseAddress(`magnet:?s=${'ab'.repeat(64)}&xs=urn:btpk:${KEY}`).ok, 'a 64-byte salt is the limit, not beyond it');
  assert.throws(() => parseAddress(42 as unknown as string), TypeError);
});

test('relative links resolve inside the same site and never above it', () => {
  const base = parsed(`bittorrent://${KEY}/posts/2024/a.md#intro`);
  const resolve = (reference: string): string => {
    const result = resolveReference(base, reference);
    return result.ok ? formatAddress(result.value) : result.error.code;
  };
  const site = `bittorrent://${KEY}`;
  assert.equal(resolve('b.md'), `${site}/posts/2024/b.md`);
  assert.equal(resolve('./b.md#x'), `${site}/posts/2024/b.md#x`);
  assert.equal(resolve('../x.md'), `${site}/posts/x.md`);
  assert.equal(resolve('../../x.md'), `${site}/x.md`);
  assert.equal(resolve('/about.md'), `${site}/about.md`);
  assert.equal(resolve('/'), site);
  assert.equal(resolve('..'), `${site}/posts`);
  assert.equal(resolve('sub/'), `${site}/posts/2024/sub`);
  assert.equal(resolve('#sec'), `${site}/posts/2024/a.md#sec`);
  assert.equal(resolve('img%20one.png'), `${site}/posts/2024/img%20one.png`);
  assert.equal(resolve(`bittorrent://${IH}/z.md`), `bittorrent://${IH}/z.md`);
  assert.equal(resolve('../../../x.md'), 'ERR_ADDRESS_ESCAPES_SITE');
  assert.equal(resolve('/../x.md'), 'ERR_ADDRESS_ESCAPES_SITE');
  assert.equal(resolve('//evil.example/x'), 'ERR_ADDRESS_NETWORK_PATH');
  assert.equal(resolve('x?y=1'), 'ERR_ADDRESS_QUERY');
  assert.equal(resolve('javascript:alert(1)'), 'ERR_ADDRESS_SCHEME');
  assert.equal(resolve('a//b'), 'ERR_PATH_EMPTY_SEGMENT');
  assert.equal(resolve('a\\b'), 'ERR_PATH_BACKSLASH');
  assert.equal(resolve('CON.md'), 'ERR_PATH_DEVICE_NAME');
  assert.equal(resolve('a%2Fb'), 'ERR_ADDRESS_ENCODED_SEPARATOR');
  assert.equal(resolve(''), 'ERR_ADDRESS_EMPTY');

  const version = parsed(`bittorrent://${IH}/index.md`);
  const inVersion = resolveReference(version, 'img/a.png');
  assert.ok(inVersion.ok);
  assert.deepEqual(inVersion.value, { kind: 'immutable', infohash: hex(IH), path: 'img/a.png', fragment: '' });
  assert.throws(() => resolveReference({} as SwarmAddress, 'x'), TypeError);
});

test('addresses without a URL form are reported, not mangled', () => {
  const salted = parsed(`magnet:?xs=urn:btpk:${KEY}&s=6e`);
  const page = resolveReference(salted, 'a.md');
  assert.ok(page.ok);
  assert.equal(hasUrlForm(page.value), false);
  assert.throws(() => formatAddress(page.value), RangeError);
  const v2 = parsed(`magnet:?xt=urn:btmh:1220${V2}`);
  const inV2 = resolveReference(v2, 'a.md');
  assert.ok(inV2.ok && !hasUrlForm(inV2.value));
  assert.throws(() => formatAddress(inV2.value), RangeError);
  const hybridPage = resolveReference(parsed(`magnet:?xt=urn:btih:${IH}&xt=urn:btmh:1220${V2}`), 'a.md');
  assert.ok(hybridPage.ok);
  assert.equal(formatAddress(hybridPage.value), `bittorrent://${IH}/a.md`);
  assert.throws(() => formatSiteMagnet(hex(KEY), new Uint8Array(65)), RangeError);
});
