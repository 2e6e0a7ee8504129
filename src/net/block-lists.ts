/**
 * Block lists between nodes (core/block-list.ts has the format):
 * - {@link ownBlockListFile}: the file a publishing node adds to its sites when the person
 *   chose to publish their blocks (settings-file.ts `publishBlockList`);
 * - {@link readBlockListOf}: the entries of the block list a stored site carries, read
 *   from the version its newest record names (else its newest stored version) with every check a hostile list calls for (the item's
 *   type, size and SHA-256, then core's parser), and stripped of the user's own keys (a
 *   list never blocks the user's own sites or self).
 *
 * SiteNode applies the result (store.setBlockListEntries) whenever a new version of a
 * subscribed list's site is stored. Reads only the disk and the store.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { decodeSitePointer } from '../core/bep46.js';
import { BLOCK_LIST_MIME, BLOCK_LIST_PATH, encodeBlockList, MAX_BLOCK_LIST_BYTES, parseBlockList, type BlockListEntry } from '../core/block-list.js';
import { bytesEqual, toHex } from '../core/bytes.js';
import { fail, ok, type Result } from '../core/result.js';
import type { GeneratedFile } from '../store/site-build.js';
import type { Store } from '../store/store.js';

/** The block list file of the user's own blocks (not those of lists they subscribe to). */
export function ownBlockListFile(store: Store): GeneratedFile {
  const own = store.blocks().filter((entry) => entry.listKey === undefined);
  return { path: BLOCK_LIST_PATH, title: 'Block list', mime: BLOCK_LIST_MIME, bytes: encodeBlockList(own) };
}

/** What a subscribed list's newest stored version says. */
export interface BlockListRead {
  /** The entries to apply. */
  readonly entries: readonly BlockListEntry[];
  /** Entries left out because they name the user's own key or sites. */
  readonly refused: readonly BlockListEntry[];
  /** True when the site carries no block list (then `entries` is empty). */
  readonly absent: boolean;
  /** The version read (v1 infohash, hex). */
  readonly infohash: string;
}

export type BlockListReadCode = 'ERR_BLOCK_LIST_NOT_STORED' | 'ERR_BLOCK_LIST_ITEM' | 'ERR_BLOCK_LIST_TOO_LARGE' | 'ERR_BLOCK_LIST_ENCODING' | 'ERR_BLOCK_LIST_JSON' | 'ERR_BLOCK_LIST_SHAPE' | 'ERR_BLOCK_LIST_TOO_MANY';

/**
 * Reads the block list of the newest stored version of site `listKey`. `ownKeys`: the
 * user's author key and own site keys, which no list may block. Never throws for what a
 * peer published: a bad list is a failed Result naming the problem.
 */
export function readBlockListOf(store: Store, listKey: Uint8Array, ownKeys: readonly Uint8Array[]): Result<BlockListRead, BlockListReadCode> {
  // The version the newest signed record names (a manifest's own time is the author's word),
  // else the newest stored.
  const record = store.latestRecord(listKey);
  const pointer = record === undefined ? undefined : decodeSitePointer(record.value);
  const named = pointer?.ok === true ? store.version(pointer.value) : undefined;
  const version = named ?? store.latestVersion(listKey);
  const root = version === undefined ? undefined : store.versionRoot(version.infohash);
  const manifest = version === undefined ? undefined : store.manifest(version.infohash)?.manifest;
  if (version === undefined || root === undefined || manifest === undefined) return fail('ERR_BLOCK_LIST_NOT_STORED', 'no version of the list\'s site is stored yet');
  const infohash = toHex(version.infohash);
  const listed = manifest.items.find((entry) => entry.path === BLOCK_LIST_PATH);
  if (listed === undefined) return ok({ entries: [], refused: [], absent: true, infohash });
  const item = store.item(listed.id);
  if (item === undefined || item.mime !== BLOCK_LIST_MIME || item.body.kind !== 'file' || item.body.path !== BLOCK_LIST_PATH) {
    return fail('ERR_BLOCK_LIST_ITEM', `${BLOCK_LIST_PATH} is not a ${BLOCK_LIST_MIME} file item`);
  }
  const file = path.join(root, ...BLOCK_LIST_PATH.split('/'));
  let bytes: Buffer;
  try {
    const size = fs.statSync(file).size;
    if (size > MAX_BLOCK_LIST_BYTES) return fail('ERR_BLOCK_LIST_TOO_LARGE', `the block list is ${size} bytes, more than the ${MAX_BLOCK_LIST_BYTES} read`);
    bytes = fs.readFileSync(file);
  } catch (error) {
    return fail('ERR_BLOCK_LIST_ITEM', `the block list file cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (!bytesEqual(new Uint8Array(crypto.createHash('sha256').update(bytes).digest()), item.body.sha256)) {
    return fail('ERR_BLOCK_LIST_ITEM', 'the block list file does not match the SHA-256 its item names');
  }
  const parsed = parseBlockList(bytes);
  if (!parsed.ok) return parsed;
  const isOwn = (key: Uint8Array): boolean => ownKeys.some((own) => bytesEqual(own, key));
  return ok({ entries: parsed.value.filter((entry) => !isOwn(entry.key)), refused: parsed.value.filter((entry) => isOwn(entry.key)), absent: false, infohash });
}
