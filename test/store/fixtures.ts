/** Items, site versions and records for the store tests, signed with fixed test keys. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { signRecord, type MutableRecord } from '../../src/core/bep44.js';
import { encodeSitePointer } from '../../src/core/bep46.js';
import { toHex } from '../../src/core/bytes.js';
import { Identity } from '../../src/core/identity.js';
import { createItem, encodeItem, type Item, type ItemDraft } from '../../src/core/item.js';
import { createManifest, encodeManifest, itemFilePath, MANIFEST_PATH } from '../../src/core/manifest.js';
import { contentFolder } from '../../src/store/rebuild.js';

/** A test identity from one repeated byte. */
export function testIdentity(byte: number): Identity {
  return Identity.fromSeed(new Uint8Array(32).fill(byte));
}

/** A signed item and its encoding. */
export interface MadeItem {
  readonly item: Item;
  readonly bytes: Uint8Array;
}

/** Signs an item from `draft` (default: a Markdown post titled `title`). */
export function makeItem(identity: Identity, title: string, createdMs: number, draft: Partial<ItemDraft> = {}): MadeItem {
  const made = createItem({ title, body: { kind: 'text', text: `# ${title}\n\nThe body of ${title}.\n` }, ...draft }, identity, createdMs);
  if (!made.ok) throw new Error(`test item: ${made.error.code}: ${made.error.message}`);
  return { item: made.value, bytes: encodeItem(made.value) };
}

/** A site version written to `<dataDir>/content/<infohash>/` like net would save it. */
export interface MadeVersion {
  readonly infohash: Uint8Array;
  readonly manifest: Uint8Array;
  readonly folder: string;
  readonly lookupItem: (id: Uint8Array) => Uint8Array | undefined;
}

/** Writes a version of `identity`'s site holding `items` (at `posts/<n>.md`) and returns it; the infohash is random (no torrent is made). */
export function writeVersion(dataDir: string, identity: Identity, items: readonly MadeItem[], createdMs: number, previous?: Uint8Array, title = 'A site'): MadeVersion {
  const manifest = createManifest(
    { title, items: items.map((made, index) => ({ item: made.item, path: `posts/${index}-${toHex(made.item.id).slice(0, 8)}.md` })), ...(previous === undefined ? {} : { previous }) },
    identity,
    createdMs,
  );
  if (!manifest.ok) throw new Error(`test manifest: ${manifest.error.code}: ${manifest.error.message}`);
  const infohash = new Uint8Array(crypto.randomBytes(20));
  const folder = contentFolder(dataDir, infohash);
  const bytes = encodeManifest(manifest.value);
  const files = new Map<string, Uint8Array>([[MANIFEST_PATH, bytes], ...items.map((made) => [itemFilePath(made.item.id), made.bytes] as const)]);
  for (const [rel, content] of files) {
    fs.mkdirSync(path.dirname(path.join(folder, rel)), { recursive: true });
    fs.writeFileSync(path.join(folder, rel), content);
  }
  const byId = new Map(items.map((made) => [toHex(made.item.id), made.bytes]));
  return { infohash, manifest: bytes, folder, lookupItem: (id) => byId.get(toHex(id)) };
}

/** A BEP 46 record of `identity`'s slot pointing at `infohash`. */
export function siteRecord(identity: Identity, seq: bigint, infohash: Uint8Array, salt = new Uint8Array(0)): MutableRecord {
  return signRecord(identity, { salt, seq, value: encodeSitePointer(infohash) });
}
