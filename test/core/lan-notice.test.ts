import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_SEQ } from '../../src/core/bep44.js';
import { utf8 } from '../../src/core/bytes.js';
import {
  decodeLanNotice,
  encodeLanNotice,
  MAX_NOTICE_BYTES,
  MAX_NOTICE_SITES,
  MAX_NOTICE_TITLE_BYTES,
  MAX_TXT_STRING_BYTES,
  MIN_NOTICE_BYTES,
  noticeKey,
  noticeTitle,
  type NoticeSite,
} from '../../src/core/lan-notice.js';

const KEY_A = 'a'.repeat(64);
const KEY_B = '0123456789abcdef'.repeat(4);

function keyOf(index: number): string {
  return index.toString(16).padStart(64, 'c');
}

function code(txt: unknown): string | undefined {
  const result = decodeLanNotice(txt);
  return result.ok ? undefined : result.error.code;
}

/** A TXT record as mDNS delivers it: one byte string per attribute. */
function record(...strings: string[]): Uint8Array[] {
  return strings.map(utf8);
}

const SITE = `${KEY_A}:5`;

test('a notice round-trips through its TXT strings, as bytes and as text', () => {
  const sites: NoticeSite[] = [
    { key: KEY_A, seq: 7n, title: 'Village news' },
    { key: KEY_B, seq: MAX_SEQ },
    { key: keyOf(3), seq: 2n ** 53n + 1n, title: 'Ünïcödé: a title with "=" and ":" — fine' },
  ];
  const encoded = encodeLanNotice({ port: 6881, sites });
  assert.deepEqual(encoded.strings.slice(0, 3), ['txtvers=1', 'port=6881', 'n=3']);
  assert.equal(encoded.strings[3], `s0=${KEY_A}:7:Village news`);
  assert.equal(encoded.strings[4], `s1=${KEY_B}:9223372036854775807`);
  assert.deepEqual(encoded.omitted, []);
  assert.deepEqual(encoded.untitled, []);
  assert.equal(encoded.bytes, encoded.strings.reduce((sum, s) => sum + 1 + utf8(s).length, 0));
  assert.deepEqual(encoded.strings, encoded.attributes.map(([k, v]) => `${k}=${v}`));
  const expected = { ok: true, value: { port: 6881, sites, carried: 3 } };
  assert.deepEqual(decodeLanNotice(encoded.strings.map(utf8)), expected);
  assert.deepEqual(decodeLanNotice(encoded.strings.map((s) => Buffer.from(s))), expected);
  assert.deepEqual(decodeLanNotice([...encoded.strings]), expected);
});

test('when sites do not fit, the first ones are kept, titles go before sites, and what was left out is said', () => {
  const sites = Array.from({ length: 40 }, (_, i): NoticeSite => ({ key: keyOf(i), seq: MAX_SEQ - BigInt(i), title: `A long title for site number ${i}, long enough to be cut somewhere` }));
  const encoded = encodeLanNotice({ port: 1, sites });
  assert.ok(encoded.bytes <= MAX_NOTICE_BYTES, `${encoded.bytes} bytes`);
  for (const s of encoded.strings) assert.ok(utf8(s).length <= MAX_TXT_STRING_BYTES);
  const decoded = decodeLanNotice(encoded.strings.map(utf8));
  assert.ok(decoded.ok);
  const announced = decoded.value.sites.map((site) => site.key);
  assert.ok(announced.length >= 12, `${announced.length} sites fit`);
  assert.deepEqual(announced, sites.slice(0, announced.length).map((site) => site.key), 'the caller order is kept');
  assert.deepEqual(encoded.omitted, sites.slice(announced.length).map((site) => site.key));
  assert.equal(decoded.value.carried, 40);
  const titled = decoded.value.sites.filter((site) => site.title !== undefined).length;
  assert.deepEqual(encoded.untitled, announced.slice(titled));

  // Twelve sites fit; titles are added in order while they fit, the rest go untitled.
  const twelve = encodeLanNotice({ port: 1, sites: sites.slice(0, 12) });
  const read = decodeLanNotice(twelve.strings);
  assert.ok(read.ok);
  assert.deepEqual(twelve.omitted, []);
  const withTitle = read.value.sites.filter((site) => site.title !== undefined).length;
  assert.ok(withTitle >= 1 && withTitle < 12, `${withTitle} titles`);
  assert.deepEqual(read.value.sites.slice(0, withTitle).map((site) => site.title), sites.slice(0, withTitle).map((site) => noticeTitle(site.title ?? '')));
  assert.deepEqual(twelve.untitled, sites.slice(withTitle, 12).map((site) => site.key));
  assert.ok(twelve.bytes <= MAX_NOTICE_BYTES);
});

test('a smaller budget announces fewer sites', () => {
  const sites = Array.from({ length: 20 }, (_, i): NoticeSite => ({ key: keyOf(i), seq: BigInt(i) }));
  const small = encodeLanNotice({ port: 9, sites }, 500);
  assert.ok(small.bytes <= 500);
  assert.equal(small.attributes.length - 3 + small.omitted.length, 20);
  assert.ok(small.omitted.length > encodeLanNotice({ port: 9, sites }).omitted.length);
  const header = encodeLanNotice({ port: 9, sites }, MIN_NOTICE_BYTES);
  assert.deepEqual(header.strings, ['txtvers=1', 'port=9', 'n=20']);
  assert.throws(() => encodeLanNotice({ port: 9, sites }, MIN_NOTICE_BYTES - 1), RangeError);
  assert.throws(() => encodeLanNotice({ port: 9, sites }, MAX_NOTICE_BYTES + 1), RangeError);
});

test(`at most ${MAX_NOTICE_SITES} sites are announced, even when more would fit`, () => {
  // Not reachable with 64-hex keys in 1300 bytes today; the cap holds if the budget grows.
  const sites = Array.from({ length: 30 }, (_, i): NoticeSite => ({ key: keyOf(i), seq: 0n }));
  const encoded = encodeLanNotice({ port: 65535, sites });
  const decoded = decodeLanNotice(encoded.strings);
  assert.ok(decoded.ok);
  assert.ok(decoded.value.sites.length <= MAX_NOTICE_SITES);
  assert.equal(decoded.value.sites.length + encoded.omitted.length, 30);
});

test('titles are made safe to announce: controls become spaces, lone surrogates U+FFFD, cut at a character', () => {
  assert.equal(noticeTitle('  a\u0000b\u001bc\u007fd\u0085e\n '), 'a b c d e');
  assert.equal(noticeTitle('x\ud800y'), 'x\ufffdy');
  assert.equal(noticeTitle('\u0001\u0002'), '');
  const emoji = '😀'.repeat(20); // 4 bytes each
  assert.equal(noticeTitle(emoji), '😀'.repeat(MAX_NOTICE_TITLE_BYTES / 4));
  assert.equal(noticeTitle(`${'é'.repeat(23)}xé`), `${'é'.repeat(23)}x`, 'never half a character');
  const encoded = encodeLanNotice({ port: 80, sites: [{ key: KEY_A, seq: 1n, title: '\u0007' }] });
  assert.equal(encoded.strings[3], `s0=${KEY_A}:1`, 'a title with nothing left is left out');
});

test('the encoder refuses what no peer would accept (programmer errors)', () => {
  assert.throws(() => encodeLanNotice({ port: 0, sites: [] }), RangeError);
  assert.throws(() => encodeLanNotice({ port: 65536, sites: [] }), RangeError);
  assert.throws(() => encodeLanNotice({ port: 1.5, sites: [] }), RangeError);
  assert.throws(() => encodeLanNotice({ port: 1, sites: [{ key: KEY_A.toUpperCase(), seq: 1n }] }), TypeError);
  assert.throws(() => encodeLanNotice({ port: 1, sites: [{ key: KEY_A, seq: 1 as unknown as bigint }] }), TypeError);
  assert.throws(() => encodeLanNotice({ port: 1, sites: [{ key: KEY_A, seq: -1n }] }), RangeError);
  assert.throws(() => encodeLanNotice({ port: 1, sites: [{ key: KEY_A, seq: MAX_SEQ + 1n }] }), RangeError);
  assert.throws(() => encodeLanNotice({ port: 1, sites: [{ key: KEY_A, seq: 1n }, { key: KEY_A, seq: 2n }] }), /twice/);
});

test('a site may carry the infohash of its version: an unsigned hint, with or without a title', () => {
  const infohash = '0f'.repeat(20);
  const sites: NoticeSite[] = [{ key: KEY_A, seq: 7n, infohash, title: 'News: 1/2' }, { key: KEY_B, seq: 0n, infohash }];
  const encoded = encodeLanNotice({ port: 6881, sites });
  assert.equal(encoded.strings[3], `s0=${KEY_A}:7/${infohash}:News: 1/2`);
  assert.equal(encoded.strings[4], `s1=${KEY_B}:0/${infohash}`);
  assert.deepEqual(decodeLanNotice(encoded.strings), { ok: true, value: { port: 6881, sites, carried: 2 } });
  assert.throws(() => encodeLanNotice({ port: 1, sites: [{ key: KEY_A, seq: 1n, infohash: infohash.toUpperCase() }] }), TypeError);
  assert.throws(() => encodeLanNotice({ port: 1, sites: [{ key: KEY_A, seq: 1n, infohash: 'ab' }] }), TypeError);
  for (const bad of [`${KEY_A}:1/`, `${KEY_A}:1/${infohash}0`, `${KEY_A}:1/${infohash.toUpperCase()}`, `${KEY_A}:1/${infohash.slice(1)}:t`, `${KEY_A}:/${infohash}`, `${KEY_A}:1/${infohash}/${infohash}`]) {
    assert.equal(code(record('txtvers=1', 'port=1', `s0=${bad}`)), 'ERR_LAN_NOTICE_SITE', bad);
  }
});

test('noticeKey spells a key as notices do', () => {
  assert.equal(noticeKey(new Uint8Array(32).fill(0xab)), 'ab'.repeat(32));
  assert.equal(noticeKey(new Uint8Array(31)), undefined);
  assert.equal(noticeKey(KEY_B), KEY_B);
  assert.equal(noticeKey(KEY_B.toUpperCase()), undefined);
});

test('attributes: keys are case-insensitive, the first of a repeated key counts, unknown keys are ignored', () => {
  const result = decodeLanNotice(record('TXTVERS=1', 'Port=99', 'port=100', `s0=${KEY_A}:1`, `S0=${KEY_B}:2`, 'hello=world', 'flag', '', '=x', `\u00ff=1`, `s1=${KEY_B}:3`));
  assert.deepEqual(result, { ok: true, value: { port: 99, sites: [{ key: KEY_A, seq: 1n }, { key: KEY_B, seq: 3n }], carried: 2 } });
  assert.deepEqual(decodeLanNotice(record('txtvers=1', 'port=1')), { ok: true, value: { port: 1, sites: [], carried: 0 } });
});

function describe(txt: unknown): string {
  const text = JSON.stringify(txt, (_, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v)) as string | undefined;
  return (text ?? String(txt)).slice(0, 200);
}

test('malformed notices are rejected with a code, never thrown', () => {
  const cases: [unknown, string][] = [
    [undefined, 'ERR_LAN_NOTICE_TYPE'],
    ['txtvers=1', 'ERR_LAN_NOTICE_TYPE'],
    [{ txtvers: '1', port: '1' }, 'ERR_LAN_NOTICE_TYPE'],
    [[1, 2], 'ERR_LAN_NOTICE_TYPE'],
    [[null], 'ERR_LAN_NOTICE_TYPE'],
    [['txtvers=1', 'port=1', 'x\udc00'], 'ERR_LAN_NOTICE_TYPE'],
    [[new Array(3)], 'ERR_LAN_NOTICE_TYPE'],
    [new Array(3), 'ERR_LAN_NOTICE_TYPE'],
    [record('txtvers=1', 'port=1', `x=${'y'.repeat(254)}`), 'ERR_LAN_NOTICE_TOO_LARGE'],
    [[...record('txtvers=1', 'port=1'), ...Array.from({ length: 6 }, () => utf8(`x=${'y'.repeat(250)}`))], 'ERR_LAN_NOTICE_TOO_LARGE'],
    [new Array(MAX_NOTICE_BYTES + 1).fill(new Uint8Array(0)), 'ERR_LAN_NOTICE_TOO_LARGE'],
    [{ length: 1e9, 0: 'txtvers=1' }, 'ERR_LAN_NOTICE_TYPE'],
    [record('port=1'), 'ERR_LAN_NOTICE_VERSION'],
    [record('txtvers=2', 'port=1'), 'ERR_LAN_NOTICE_VERSION'],
    [record('txtvers=01', 'port=1'), 'ERR_LAN_NOTICE_VERSION'],
    [record('txtvers', 'port=1'), 'ERR_LAN_NOTICE_VERSION'],
    [record('txtvers=1'), 'ERR_LAN_NOTICE_PORT'],
    [record('txtvers=1', 'port=0'), 'ERR_LAN_NOTICE_PORT'],
    [record('txtvers=1', 'port=65536'), 'ERR_LAN_NOTICE_PORT'],
    [record('txtvers=1', 'port=0080'), 'ERR_LAN_NOTICE_PORT'],
    [record('txtvers=1', 'port=-1'), 'ERR_LAN_NOTICE_PORT'],
    [record('txtvers=1', 'port= 1'), 'ERR_LAN_NOTICE_PORT'],
    [record('txtvers=1', 'port'), 'ERR_LAN_NOTICE_PORT'],
    [record('txtvers=1', 'port=1', `s0=${KEY_A.toUpperCase()}:1`), 'ERR_LAN_NOTICE_SITE'],
    [record('txtvers=1', 'port=1', `s0=${KEY_A.slice(2)}:1`), 'ERR_LAN_NOTICE_SITE'],
    [record('txtvers=1', 'port=1', `s0=${KEY_A}g:1`), 'ERR_LAN_NOTICE_SITE'],
    [record('txtvers=1', 'port=1', `s0=${KEY_A}`), 'ERR_LAN_NOTICE_SITE'],
    [record('txtvers=1', 'port=1', `s0=${KEY_A}:`), 'ERR_LAN_NOTICE_SITE'],
    [record('txtvers=1', 'port=1', `s0=${KEY_A}:01`), 'ERR_LAN_NOTICE_SITE'],
    [record('txtvers=1', 'port=1', `s0=${KEY_A}:-1`), 'ERR_LAN_NOTICE_SITE'],
    [record('txtvers=1', 'port=1', `s0=${KEY_A}:9223372036854775808`), 'ERR_LAN_NOTICE_SITE'],
    [record('txtvers=1', 'port=1', `s0=${KEY_A}:${'9'.repeat(150)}`), 'ERR_LAN_NOTICE_SITE'],
    [record('txtvers=1', 'port=1', `s0=${KEY_A}:1e3`), 'ERR_LAN_NOTICE_SITE'],
    [record('txtvers=1', 'port=1', `s0=${KEY_A}:1:`), 'ERR_LAN_NOTICE_SITE'],
    [record('txtvers=1', 'port=1', `s0=${KEY_A}:1:bell\u0007`), 'ERR_LAN_NOTICE_SITE'],
    [record('txtvers=1', 'port=1', `s0=${KEY_A}:1:${'t'.repeat(MAX_NOTICE_TITLE_BYTES + 1)}`), 'ERR_LAN_NOTICE_SITE'],
    [[...record('txtvers=1', 'port=1'), Uint8Array.from([...utf8(`s0=${KEY_A}:1:`), 0xff, 0xfe])], 'ERR_LAN_NOTICE_SITE'],
    [record('txtvers=1', 'port=1', 's0'), 'ERR_LAN_NOTICE_SITE'],
    [record('txtvers=1', 'port=1', SITE, `s1=${KEY_A}:6`).map((s, i) => (i === 2 ? utf8(`s0=${KEY_A}:5`) : s)), 'ERR_LAN_NOTICE_DUPLICATE_SITE'],
    [record('txtvers=1', 'port=1', ...Array.from({ length: MAX_NOTICE_SITES + 1 }, (_, i) => `s${i}=${keyOf(i)}:1`)), 'ERR_LAN_NOTICE_TOO_LARGE'],
    [record('txtvers=1', 'port=1', 'n=x'), 'ERR_LAN_NOTICE_COUNT'],
    [record('txtvers=1', 'port=1', 'n=1000001'), 'ERR_LAN_NOTICE_COUNT'],
    [record('txtvers=1', 'port=1', 'n=1', `s0=${KEY_A}:1`, `s1=${KEY_B}:1`), 'ERR_LAN_NOTICE_COUNT'],
    [record('txtvers=1', 'port=1', `n=${'1'.repeat(400)}`.slice(0, 250)), 'ERR_LAN_NOTICE_COUNT'],
  ];
  for (const [txt, expected] of cases) assert.equal(code(txt), expected, describe(txt));
});
