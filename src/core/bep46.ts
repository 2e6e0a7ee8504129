/**
 * BEP 46 ("Updating the contents of torrents through the DHT"): the value a site's
 * mutable record carries, `{ih: <20-byte v1 infohash>}`. The `magnet:?xs=urn:btpk:`
 * links of BEP 46 are parsed and formatted with every other address in address.ts.
 */
import { decodeBencode, dictFromEntries, encodeBencode, type BencodeDict } from './bencode.js';
import { binaryFromText } from './bytes.js';
import { SHA1_BYTES } from './hash.js';
import { fail, ok, type Result } from './result.js';

/** Bytes in a BitTorrent v1 infohash (BEP 3: SHA-1 of the info dictionary); BEP 46 points at one. */
export const INFOHASH_BYTES = SHA1_BYTES;

/** Why a record value is not a BEP 46 pointer. */
export type PointerErrorCode = 'ERR_POINTER_NOT_CANONICAL' | 'ERR_POINTER_NOT_DICT' | 'ERR_POINTER_NO_INFOHASH' | 'ERR_POINTER_BAD_INFOHASH';

/** The bencoded BEP 46 value `{ih: infohash}` pointing at one version of a site. */
export function encodeSitePointer(infohash: Uint8Array): Uint8Array {
  if (!(infohash instanceof Uint8Array) || infohash.length !== INFOHASH_BYTES) throw new RangeError(`infohash must be ${INFOHASH_BYTES} bytes`);
  return encodeBencode(dictFromEntries({ ih: infohash.slice() }));
}

/**
 * The infohash a record value points at. Other keys next to `ih` are ignored (BEP 46
 * defines only `ih`; a later extension may add some). Never throws.
 */
export function decodeSitePointer(value: Uint8Array): Result<Uint8Array, PointerErrorCode> {
  const decoded = decodeBencode(value);
  if (!decoded.ok) return fail('ERR_POINTER_NOT_CANONICAL', `the value is not canonical bencode: ${decoded.error.message}`);
  if (!(decoded.value instanceof Map)) return fail('ERR_POINTER_NOT_DICT', 'the value is not a dictionary');
  const infohash = (decoded.value as BencodeDict).get(binaryFromText('ih'));
  if (infohash === undefined) return fail('ERR_POINTER_NO_INFOHASH', "the value has no 'ih'");
  if (!(infohash instanceof Uint8Array) || infohash.length !== INFOHASH_BYTES) {
    return fail('ERR_POINTER_BAD_INFOHASH', `'ih' is not a ${INFOHASH_BYTES}-byte string`);
  }
  return ok(infohash);
}
