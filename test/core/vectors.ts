/** Reads the committed test vectors of test/vectors/ (official ones and swarmpress's own). */
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/process.js';

export const VECTORS_DIR = path.join(REPO_ROOT, 'test', 'vectors');

/** The parsed JSON of `test/vectors/<name>`. */
export function readVectors(name: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(VECTORS_DIR, name), 'utf8'));
}

/** Bytes of a hex string that a vector file holds; throws on malformed hex (a broken vector file). */
export function hex(text: string): Uint8Array {
  if (!/^(?:[0-9a-f]{2})*$/.test(text)) throw new Error(`bad hex in a vector: ${text.slice(0, 20)}`);
  return Uint8Array.from(text.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
}

/** Bytes of ASCII/UTF-8 text. */
export function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
