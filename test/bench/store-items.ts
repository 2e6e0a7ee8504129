/**
 * Many distinct, valid items quickly, for the store benchmarks. core's `createItem` signs
 * with pure-JS ed25519 and verifies its result (~4 ms an item here); this signs with
 * node:crypto's native Ed25519 from the same seed (RFC 8032 signatures are deterministic,
 * so the bytes are the ones core would make) and computes the id exactly as core checks
 * it: SHA-256 of the canonical encoding without `id` and `sig`. Every item still goes
 * through core's verification before the store takes it.
 */
import crypto from 'node:crypto';
import { decodeBencode, encodeBencode, type BencodeDict } from '../../src/core/bencode.js';
import { binaryFromText } from '../../src/core/bytes.js';
import { sha256 } from '../../src/core/hash.js';
import { Identity } from '../../src/core/identity.js';
import { encodeItem, type Item } from '../../src/core/item.js';

/** Words of the generated texts: searches pick from them. */
export const WORDS = (
  'swarm torrent garden winter bicycle river mountain coffee library harvest lantern orchard ' +
  'market festival harbour meadow village thunder valley compass journey kitchen blanket ' +
  'window letter autumn spring summer forest island bridge candle violin painting pottery ' +
  'recipe bread cheese apple pepper tomato potato walnut honey salmon pasta noodle soup ' +
  'engine rocket planet comet galaxy signal network router server cable battery sensor'
).split(' ');

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
  const word = (): string => WORDS[next() % WORDS.length] ?? 'swarm';
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
