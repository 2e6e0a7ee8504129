/**
 * A published block list: the authors and sites a person blocks, carried in their site so
 * that others can subscribe to it. It is a file item of the site
 * at {@link BLOCK_LIST_PATH} (inside `.swarmpress/`, so no folder can publish a page there
 * and readers never show it as one), of type {@link BLOCK_LIST_MIME}; the item's SHA-256
 * and the manifest's signature cover it like any item. Its body is UTF-8 JSON:
 *
 * ```json
 * {"blocks":[{"kind":"author","key":"<64 hex>"},{"kind":"site","key":"<64 hex>"}]}
 * ```
 *
 * The body comes from the swarm, so it is hostile: {@link parseBlockList} caps its size
 * and entry count and returns a Result naming the first problem; it never throws on input.
 * Pure: no I/O.
 */
import { decodeUtf8, fromHex, toHex, utf8 } from './bytes.js';
import { fail, ok, type Result } from './result.js';

/** Where a site carries its block list. */
export const BLOCK_LIST_PATH = '.swarmpress/blocks.json';
/** The media type of a block list item. */
export const BLOCK_LIST_MIME = 'application/vnd.swarmpress.blocks+json';
/** Most entries a list may hold (one entry is ~90 bytes of JSON: 10,000 fit in {@link MAX_BLOCK_LIST_BYTES}). */
export const MAX_BLOCK_LIST_ENTRIES = 10_000;
/** Largest block list body read, in bytes. */
export const MAX_BLOCK_LIST_BYTES = 1024 * 1024;

/** One blocked author or site. */
export interface BlockListEntry {
  readonly kind: 'author' | 'site';
  readonly key: Uint8Array;
}

export type BlockListErrorCode = 'ERR_BLOCK_LIST_TOO_LARGE' | 'ERR_BLOCK_LIST_ENCODING' | 'ERR_BLOCK_LIST_JSON' | 'ERR_BLOCK_LIST_SHAPE' | 'ERR_BLOCK_LIST_TOO_MANY';

/** Whether `sitePath` is the block list's path (site paths are compared without case, like manifest.ts). */
export function isBlockListPath(sitePath: string): boolean {
  return sitePath.toLowerCase() === BLOCK_LIST_PATH;
}

/**
 * Reads a block list body. Duplicate entries are kept once; the order is the list's.
 * A list that breaks any rule is refused whole, with the first problem found.
 */
export function parseBlockList(bytes: Uint8Array): Result<BlockListEntry[], BlockListErrorCode> {
  if (bytes.length > MAX_BLOCK_LIST_BYTES) return fail('ERR_BLOCK_LIST_TOO_LARGE', `the block list is ${bytes.length} bytes, more than the ${MAX_BLOCK_LIST_BYTES} read`);
  const text = decodeUtf8(bytes);
  if (text === undefined) return fail('ERR_BLOCK_LIST_ENCODING', 'the block list is not UTF-8 text');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return fail('ERR_BLOCK_LIST_JSON', `the block list is not JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('ERR_BLOCK_LIST_SHAPE', 'the block list is not a JSON object');
  const blocks = (value as Record<string, unknown>)['blocks'];
  if (!Array.isArray(blocks)) return fail('ERR_BLOCK_LIST_SHAPE', "the block list has no 'blocks' array");
  if (blocks.length > MAX_BLOCK_LIST_ENTRIES) return fail('ERR_BLOCK_LIST_TOO_MANY', `the block list has ${blocks.length} entries, more than the ${MAX_BLOCK_LIST_ENTRIES} taken`);
  const seen = new Set<string>();
  const entries: BlockListEntry[] = [];
  for (const [index, entry] of blocks.entries()) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return fail('ERR_BLOCK_LIST_SHAPE', `blocks[${index}] is not an object`);
    const { kind, key } = entry as Record<string, unknown>;
    if (kind !== 'author' && kind !== 'site') return fail('ERR_BLOCK_LIST_SHAPE', `blocks[${index}].kind must be "author" or "site"`);
    const bytesOfKey = typeof key === 'string' && /^[0-9a-f]{64}$/.test(key) ? fromHex(key, 32) : undefined;
    if (bytesOfKey === undefined) return fail('ERR_BLOCK_LIST_SHAPE', `blocks[${index}].key must be 64 lower-case hex digits`);
    const id = `${kind}:${key as string}`;
    if (seen.has(id)) continue;
    seen.add(id);
    entries.push({ kind, key: bytesOfKey });
  }
  return ok(entries);
}

/** The body of a block list, in a canonical form (sorted, no duplicates): equal lists give equal bytes. */
export function encodeBlockList(entries: readonly BlockListEntry[]): Uint8Array {
  if (entries.length > MAX_BLOCK_LIST_ENTRIES) throw new RangeError(`a block list holds at most ${MAX_BLOCK_LIST_ENTRIES} entries`);
  const lines = [...new Set(entries.map((entry) => {
    const kind: unknown = entry.kind;
    if (kind !== 'author' && kind !== 'site') throw new RangeError("kind must be 'author' or 'site'");
    if (!(entry.key instanceof Uint8Array) || entry.key.length !== 32) throw new RangeError('key must be 32 bytes');
    return JSON.stringify({ kind: entry.kind, key: toHex(entry.key) });
  }))].sort();
  return utf8(`{"blocks":[${lines.length === 0 ? '' : `\n${lines.join(',\n')}\n`}]}\n`);
}
