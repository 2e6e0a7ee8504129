/**
 * Many distinct, valid items quickly, for the store benchmarks. core's `createItem` signs
 * with pure-JS ed25519 and verifies its result (~4 ms an item here); this signs with
 * node:crypto's native Ed25519 from the same seed (RFC 8032 signatures are deterministic,
 * so the bytes are the ones core would make) and computes the id exactly as core checks
 * it: SHA-256 of the canonical encoding without `id` and `sig`. Every item still goes
 * through core's verification before the store takes it. Texts are drawn from a
 * 20,000-word synthetic language with Zipf frequencies, as words are in natural text.
 */
import crypto from 'node:crypto';
import { decodeBencode, encodeBencode, type BencodeDict } from '../../src/core/bencode.js';
import { binaryFromText } from '../../src/core/bytes.js';
import { sha256 } from '../../src/core/hash.js';
import { Identity } from '../../src/core/identity.js';
import { encodeItem, type Item } from '../../src/core/item.js';

/** Distinct words of the generated language. */
export const VOCABULARY_SIZE = 20_000;
const SYLLABLES = 'ka lo mi ne ru sa ti vo be da fi go hu je ko la mo nu pe ri so tu va we xi yo zu an el in on'.split(' ');

/** The generated vocabulary, most frequent first: made of syllables, all distinct. */
export const VOCABULARY: readonly string[] = (() => {
  const words: string[] = [];
  const n = SYLLABLES.length;
  for (let i = 0; words.length < VOCABULARY_SIZE; i++) {
    const a = SYLLABLES[i % n] ?? '';
    const b = SYLLABLES[Math.floor(i / n) % n] ?? '';
    const c = i >= n * n ? (SYLLABLES[Math.floor(i / (n * n)) % n] ?? '') : '';
    words.push(`${a}${b}${c}`);
  }
  return words;
})();

/** Cumulative Zipf weights (exponent 1, like word frequencies in natural text). */
const ZIPF_CUMULATIVE: readonly number[] = (() => {
  const out: number[] = [];
  let sum = 0;
  for (let rank = 1; rank <= VOCABULARY_SIZE; rank++) out.push((sum += 1 / rank));
  return out;
})();

/** A word drawn with its Zipf frequency, from a uniform number in [0, 1). */
export function zipfWord(uniform: number): string {
  const target = uniform * (ZIPF_CUMULATIVE.at(-1) ?? 1);
  let low = 0;
  let high = ZIPF_CUMULATIVE.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((ZIPF_CUMULATIVE[mid] ?? 0) < target) low = mid + 1;
    else high = mid;
  }
  return VOCABULARY[low] ?? 'ka';
}

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** `count` items by `seedByte`'s identity, with bodies of ~`words` words, deterministic for `salt`. */
export function generateItems(count: number, words: number, seedByte: number, salt = 0): Uint8Array[] {
  const seed = new Uint8Array(32).fill(seedByte);
  const author = Identity.fromSeed(seed).publicKey;
  const key = crypto.createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  let state = (seedByte * 7919 + salt * 104_729 + 1) >>> 0;
  const next = (): number => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state;
  };
  const word = (): string => zipfWord(next() / 4294967296);
  const out: Uint8Array[] = [];
  for (let n = 0; n < count; n++) {
    const body = Array.from({ length: words }, word).join(' ');
    const draft: Item = {
      id: new Uint8Array(32),
      title: `${word()} ${word()} ${salt}-${n}`,
      mime: 'text/markdown',
      body: { kind: 'text', text: `${body}\n` },
      related: [],
      meta: new Map(),
      author,
      createdMs: 1_700_000_000_000 + n,
      signature: new Uint8Array(64),
    };
    const decoded = decodeBencode(encodeItem(draft));
    if (!decoded.ok) throw new Error(`a generated item does not encode: ${decoded.error.message}`);
    const dict = new Map(decoded.value as BencodeDict);
    dict.delete(binaryFromText('id'));
    dict.delete(binaryFromText('sig'));
    const id = sha256(encodeBencode(dict));
    const signature = new Uint8Array(crypto.sign(null, id, key));
    out.push(encodeItem({ ...draft, id, signature }));
  }
  return out;
}
