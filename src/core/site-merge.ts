/**
 * Merging the versions an author's slots point at (publish-rules.ts) into one site: what
 * a reader shows, and what a device publishes to the unsalted slot so that no device's
 * posts are lost. Deterministic: every reader merging the same manifests, in any order,
 * gets the same site.
 *
 * Rules: the union of the items, by id. When two items want one path (or paths that
 * cannot coexist, see site-path.ts `PathSet`), the newer item keeps it (`createdMs`, then
 * the lower id) and the other is reported. When one item is at different paths, the
 * newest manifest's path wins and the move is reported. The title, the device list's
 * order and the rest come from the newest manifest (`createdMs`, then the lower signature).
 * A union cannot express a deletion: removing an item for good needs a tombstone, which
 * is not part of format 1.
 */
import { bytesEqual, compareBytes, toHex, utf8 } from './bytes.js';
import type { ManifestEntry, SiteManifest } from './manifest.js';
import { PathSet } from './site-path.js';

/** Something the merge had to decide, reported so that an author can fix it. */
export type MergeConflict =
  /** Two items wanted one path (or clashing paths): `kept` has it, `dropped` is left out. */
  | { readonly kind: 'path'; readonly path: string; readonly kept: Uint8Array; readonly dropped: Uint8Array; readonly droppedPath: string }
  /** One item is at different paths in different versions: `path` is kept, `otherPath` dropped. */
  | { readonly kind: 'moved'; readonly id: Uint8Array; readonly path: string; readonly otherPath: string };

/** The merged site. */
export interface MergedSite {
  readonly title: string;
  readonly author: Uint8Array;
  /** Sorted by path, like a manifest's. */
  readonly items: readonly ManifestEntry[];
  /** The union of the device salts, sorted. */
  readonly devices: readonly Uint8Array[];
  readonly conflicts: readonly MergeConflict[];
}

/** Newest manifest first: by `createdMs`, then by the lower signature (unique per manifest). */
function newerManifestFirst(a: SiteManifest, b: SiteManifest): number {
  return b.createdMs - a.createdMs || compareBytes(a.signature, b.signature);
}

/**
 * Merges verified manifests of one author (RangeError for several authors or none).
 * The result lists entries only; fetch and check the items with manifest.ts
 * `checkManifestEntry` as usual.
 */
export function mergeSiteVersions(manifests: readonly SiteManifest[]): MergedSite {
  const ordered = [...manifests].sort(newerManifestFirst);
  const newest = ordered[0];
  if (newest === undefined) throw new RangeError('mergeSiteVersions needs at least one manifest');
  if (!ordered.every((manifest) => bytesEqual(manifest.author, newest.author))) {
    throw new RangeError('mergeSiteVersions merges the versions of one author');
  }
  // Candidates by priority: newer item first, then lower id, then the newer manifest's entry.
  const candidates = ordered.flatMap((manifest, rank) => manifest.items.map((entry) => ({ entry, rank })));
  candidates.sort((a, b) => b.entry.createdMs - a.entry.createdMs || compareBytes(a.entry.id, b.entry.id) || a.rank - b.rank);
  const paths = new PathSet();
  const kept = new Map<string, ManifestEntry>();
  const keptByPath = new Map<string, ManifestEntry>();
  const conflicts: MergeConflict[] = [];
  const reported = new Set<string>();
  for (const { entry } of candidates) {
    const id = toHex(entry.id);
    const already = kept.get(id);
    if (already !== undefined) {
      const key = `moved ${id} ${entry.path}`;
      if (already.path !== entry.path && !reported.has(key)) {
        reported.add(key);
        conflicts.push({ kind: 'moved', id: entry.id, path: already.path, otherPath: entry.path });
      }
      continue;
    }
    const clash = paths.add(entry.path);
    if (clash !== undefined) {
      const key = `path ${id} ${entry.path}`;
      const holder = keptByPath.get(clash);
      if (holder !== undefined && !reported.has(key)) {
        reported.add(key);
        conflicts.push({ kind: 'path', path: clash, kept: holder.id, dropped: entry.id, droppedPath: entry.path });
      }
      continue;
    }
    kept.set(id, entry);
    keptByPath.set(entry.path, entry);
  }
  const devices = new Map<string, Uint8Array>();
  for (const manifest of ordered) for (const salt of manifest.devices) devices.set(toHex(salt), salt);
  return {
    title: newest.title,
    author: newest.author,
    items: [...kept.values()].sort((a, b) => compareBytes(utf8(a.path), utf8(b.path))),
    devices: [...devices.values()].sort(compareBytes),
    conflicts,
  };
}
