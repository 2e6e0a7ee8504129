/**
 * BEP 44 signing for tests of the DHT binding, straight from the spec with
 * @noble/ed25519 (the production code signs in src/core).
 */
import * as ed from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
import type { SignedRecord } from '../../src/net/session.js';

ed.hashes.sha512 = sha512;

export interface TestKey {
  readonly secret: Uint8Array;
  readonly publicKey: string;
}

export function makeKey(seedByte: number): TestKey {
  const secret = new Uint8Array(32).fill(seedByte);
  return { secret, publicKey: Buffer.from(ed.getPublicKey(secret)).toString('hex') };
}

/** `value` is the bencoded v. */
export function signRecord(key: TestKey, seq: bigint, value: Buffer, salt = Buffer.alloc(0), cas?: bigint): SignedRecord {
  const parts: Buffer[] = [];
  if (salt.length > 0) parts.push(Buffer.from(`4:salt${salt.length}:`), salt);
  parts.push(Buffer.from(`3:seqi${seq}e1:v`), value);
  const signature = Buffer.from(ed.sign(Buffer.concat(parts), key.secret)).toString('hex');
  return { publicKey: key.publicKey, salt, seq, value, signature, ...(cas === undefined ? {} : { cas }) };
}

/** The bencoding of a byte string. */
export function bstring(text: string): Buffer {
  return Buffer.from(`${Buffer.byteLength(text)}:${text}`);
}
