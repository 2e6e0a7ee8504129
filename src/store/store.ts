/**
 * The local store: one SQLite index (better-sqlite3, FACTS.md) in the data folder, plus
 * drafts as files (drafts.ts). It holds sites and their slots, versions (the hash chain
 * of manifests), items with their links, follows and blocks, peers seen, and the outbox
 * of publishes not confirmed yet; it searches items (FTS5), keeps the cache within its
 * budget (cache.ts) and rebuilds itself from the content on disk (rebuild.ts).
 *
 * Everything from a peer or the disk is verified with core before it is written; a
 * rejected item or record is counted (`rejections()`) and its error returned.
 *
 * The data folder (0700):
 * - `index.sqlite` (+ `-wal`, `-shm`): this index; `damaged/`: damaged copies moved aside;
 * - `content/<40-hex infohash>/`: each site version as its torrent is saved (net saves
 *   there, see rebuild.ts `contentFolder`); the index can be rebuilt from it;
 * - `drafts/<id>.draft`: drafts (drafts.ts); `keys/identity.key`: the identity (identity-file.ts);
 * - `decisions.json` and `records/`: the user's decisions and the newest records that
 *   matter, kept beside the index so that losing it loses neither (kept-state.ts).
 *
 * Threading and ownership: synchronous, on the thread that opened it; whoever calls
 * {@link Store.open} calls {@link Store.close} (idempotent). Every write is one
 * transaction, durable when the call returns (WAL, synchronous=FULL). Failures throw
 * {@link StoreError} with a clear message; misuse throws TypeError/RangeError.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { MutableRecord, RecordErrorCode } from '../core/bep44.js';
import type { PointerErrorCode } from '../core/bep46.js';
import type { Item, ItemErrorCode } from '../core/item.js';
import type { ManifestErrorCode, SiteManifest } from '../core/manifest.js';
import type { ReplyNotice } from '../core/reply-notice.js';
import { fail, ok, type Problem, type Result } from '../core/result.js';
import { evict, siteUsedBytes, usedBytes, type EvictionReport } from './cache.js';
import { lostIndex, moveDamaged, openDataDir } from './damaged.js';
import { closeIndexDatabase, openIndexDatabase, opensWithoutCheck, schemaVersion, wasCheckedOnOpen, Statements, type DatabaseOptions } from './database.js';
import { Drafts } from './drafts.js';
import { bytesOf, insertItem, isVerifiedItem, ITEM_COLUMNS, itemFromRow, verifyItem, verifyVersion, type ItemRow, type VerifiedItem } from './items.js';
import { contentFolder, rebuildIndex, siteRoot, verifyFolder, type FolderErrorCode, type RebuildReport } from './rebuild.js';
import { salvage, type SalvageReport } from './salvage.js';
import { siteFromRow, type SiteInfo, type SiteRow } from './sites.js';
import { search, type SearchHit } from './search.js';
import * as social from './social.js';
import * as notices from './reply-notices.js';
import * as slots from './slots.js';
import type { Database } from './sqlite.js';
import { StoreError, toStoreError } from './store-error.js';
import { syncDir } from './atomic-file.js';
import { hasKeptDecisions, isKeptSlot, keepAll, keepRecordsNaming, keepDecisions, keepRecord, keptSeq, restoreKept, type RestoreReport } from './kept-state.js';

export { DAMAGED_FOLDER } from './damaged.js';
export type { SiteInfo } from './sites.js';
import { insertVersion, itemPlaces, latestVersion, requireInfohash, siteVersions, versionChain, versionInfo, versionItemIds, versionItemPath, versionManifest, versionPage, type ManifestCache, type SiteVersion, type VersionInfo } from './versions.js';

/** The index database's file name inside the data folder. */
export const INDEX_FILE = 'index.sqlite';
/** Default cache budget: 2 GiB of content. */
export const DEFAULT_CACHE_BUDGET_BYTES = 2 * 1024 ** 3;

/** Options of {@link Store.open}. */
export interface StoreOptions extends DatabaseOptions {
  readonly dataDir: string;
  /** The clock, in milliseconds since the epoch (tests pass their own). */
  readonly now?: () => number;
  /** Bytes of content to keep before {@link Store.evict} removes any (default {@link DEFAULT_CACHE_BUDGET_BYTES}). */
  readonly cacheBudgetBytes?: number;
  /** What to do with a damaged database: move it aside and rebuild (default), or throw `ERR_STORE_CORRUPT`. */
  readonly onCorrupt?: 'recover' | 'throw';
}

/** How the store recovered from a damaged, missing or empty database when it opened; tell the user. */
export interface Recovery {
  /** Why the database was rebuilt (damaged, missing or empty). */
  readonly reason: string;
  /** Where the damaged files were moved (absent when there was no file, or an empty one). */
  readonly movedTo?: string;
  readonly rebuilt: RebuildReport;
  /** What could still be read from the damaged file (follows, blocks, own sites, outbox, …). */
  readonly salvaged: SalvageReport;
  /** What the files kept beside the index gave back (kept-state.ts). */
  readonly restored: RestoreReport;
}

/** One line for the user on what a {@link Recovery} did. */
export function describeRecovery(recovery: Recovery): string {
  const { rebuilt, restored } = recovery;
  const failed = rebuilt.failed.length === 0 ? '' : `, ${rebuilt.failed.length} folder${rebuilt.failed.length === 1 ? '' : 's'} failed verification`;
  const moved = recovery.movedTo === undefined ? '' : `; the damaged file is kept in ${recovery.movedTo}`;
  return `${recovery.reason}: rebuilt from content/ (${rebuilt.versionsAdded} version${rebuilt.versionsAdded === 1 ? '' : 's'}${failed}), ${restored.decisions} decision${restored.decisions === 1 ? '' : 's'} and ${restored.records} record${restored.records === 1 ? '' : 's'} restored from the files kept beside it${moved}`;
}

/** What {@link Store.addItems} did. */
export interface AddItemsReport {
  readonly added: number;
  readonly duplicates: number;
  readonly rejected: readonly Problem[];
}

/** An item that links to another, and how. */
export interface Backlink {
  readonly item: Item;
  readonly rel: string;
}

/** An item of a thread and its depth below the root (1 = a direct reply). */
export interface ThreadEntry {
  readonly item: Item;
  readonly depth: number;
}

/**
 * Every reply below @root up to @maxDepth (Store.thread). CROSS JOIN keeps the replies
 * found as the outer loop: with a plain join SQLite chose to scan every stored item and
 * look each up in the thread (22 ms of opening a page of a 1,000-post site, growing with
 * the store; EXPLAIN QUERY PLAN, checked by a test).
 */
export const THREAD_SQL = `WITH RECURSIVE thread(id, depth) AS (
    SELECT @root, 0
    UNION
    SELECT related.from_id, thread.depth + 1 FROM thread JOIN related ON related.to_id = thread.id AND related.rel = 'reply'
    WHERE thread.depth < @maxDepth
  )
  SELECT ${ITEM_COLUMNS}, replies.depth AS depth
  FROM (SELECT id, min(depth) AS depth FROM thread WHERE depth > 0 GROUP BY id) AS replies
  CROSS JOIN items ON items.id = replies.id
  WHERE items.author NOT IN (SELECT key FROM blocks)
  ORDER BY items.created_ms, items.id`;

/** The local store. */
export class Store {
  readonly #db: Database;
  readonly #sql: Statements;
  /** Decoded manifests of the versions read last (versions.ts `versionManifest`). */
  readonly #manifests: ManifestCache = new Map();
  readonly #dataDir: string;
  readonly #now: () => number;
  #budgetBytes: number;
  #recovery: Recovery | undefined;
  /** Called after a change of the user's decisions (see {@link onDecision}). */
  readonly #decisionListeners = new Set<() => void>();
  /** The drafts of this data folder (files; they survive any damage to the database). */
  readonly drafts: Drafts;

  private constructor(db: Database, options: StoreOptions, drafts: Drafts) {
    this.#db = db;
    this.#sql = new Statements(db);
    this.#dataDir = options.dataDir;
    this.#now = options.now ?? Date.now;
    this.#budgetBytes = options.cacheBudgetBytes ?? DEFAULT_CACHE_BUDGET_BYTES;
    this.drafts = drafts;
  }

  /**
   * Opens the store of `options.dataDir` (creating the folder 0700 and the database).
   * A damaged database is moved to `damaged/`, rebuilt from the content on disk, and
   * what can still be read of it is salvaged (see {@link Store.recovery}), unless
   * `onCorrupt: 'throw'`. Throws StoreError.
   */
  static open(options: StoreOptions): Store {
    if (typeof options.dataDir !== 'string') throw new TypeError('options.dataDir must be a string');
    const dataDir = openDataDir(path.resolve(options.dataDir));
    const file = path.join(dataDir, INDEX_FILE);
    const resolved = { ...options, dataDir };
    const drafts = new Drafts(dataDir); // first: drafts need nothing closed, and outlive any damage
    // A missing or empty index is a lost one (unless the data folder is new): rebuilt like a damaged one.
    const lost = lostIndex(file, dataDir);
    let db: Database;
    let damaged: { reason: string; movedTo?: string } | undefined = lost === undefined ? undefined : { reason: lost };
    try {
      db = openIndexDatabase(file, options);
    } catch (error) {
      if (!(error instanceof StoreError && error.code === 'ERR_STORE_CORRUPT') || options.onCorrupt === 'throw') throw error;
      damaged = { reason: error.message, movedTo: moveDamaged(dataDir, file, (options.now ?? Date.now)()) };
      db = openIndexDatabase(file, options);
    }
    const store = new Store(db, resolved, drafts);
    try {
      if (damaged !== undefined) store.#recover(damaged.reason, damaged.movedTo);
      else if (!hasKeptDecisions(dataDir)) store.#run('keep the decisions beside the index', (sql) => { sql.transaction(() => { keepAll(sql, dataDir); }); });
    } catch (error) {
      store.close();
      throw error;
    }
    return store;
  }

  /**
   * Whether opening the store of `dataDir` now will be quick (a clean close, no check due):
   * the window opens it before its first frame only then, and otherwise after that frame.
   */
  static opensQuickly(dataDir: string, nowMs: number = Date.now()): boolean {
    return opensWithoutCheck(path.join(path.resolve(dataDir), INDEX_FILE), nowMs);
  }

  /**
   * Salvages user state from the damaged file (if one was moved aside), rebuilds from the
   * content on disk, salvages loose items, then takes back what was kept beside the index
   * (kept-state.ts) and keeps the result.
   */
  #recover(reason: string, movedTo: string | undefined): void {
    const none: SalvageReport = { rows: {}, failed: [] };
    const state = movedTo === undefined ? none : this.#run('salvage the damaged database', (sql) => sql.transaction(() => salvage(sql, movedTo, this.#now(), 'state')));
    const rebuilt = this.rebuild();
    const items = movedTo === undefined ? none : this.#run('salvage the damaged database', (sql) => sql.transaction(() => salvage(sql, movedTo, this.#now(), 'items')));
    const salvaged = { rows: { ...state.rows, ...items.rows }, failed: [...state.failed, ...items.failed] };
    const restored = this.#run('restore the kept decisions and records', (sql) => sql.transaction(() => {
      const report = restoreKept(sql, this.#dataDir, this.#now());
      keepAll(sql, this.#dataDir);
      return report;
    }));
    this.#recovery = { reason, ...(movedTo === undefined ? {} : { movedTo }), rebuilt, salvaged, restored };
  }

  /** Stores a verified version and keeps the records that name it (kept-state.ts), in one transaction. */
  #insertVersion(sql: Statements, version: Parameters<typeof insertVersion>[1]): { isNew: boolean; newItems: number } {
    return sql.transaction(() => {
      const inserted = insertVersion(sql, version, this.#now());
      if (inserted.isNew) keepRecordsNaming(sql, this.#dataDir, version.infohash);
      return inserted;
    });
  }

  /** Runs a change of the user's decisions in one transaction with the rewrite of `decisions.json` (when it changed something). */
  #decide(doing: string, fn: (sql: Statements) => boolean): boolean {
    const changed = this.#run(doing, (sql) => sql.transaction(() => {
      const changed = fn(sql);
      if (changed) keepDecisions(sql, this.#dataDir);
      return changed;
    }));
    if (changed) for (const listener of this.#decisionListeners) listener();
    return changed;
  }

  /**
   * Calls `listener` after each change of the user's decisions (follows, blocks, mutes,
   * subscriptions, own sites), made from any path — a command handed over the control
   * socket, the window — so that a running node can act on it (its LAN notice names the
   * followed sites). Returns what stops it.
   */
  onDecision(listener: () => void): () => void {
    this.#decisionListeners.add(listener);
    return () => {
      this.#decisionListeners.delete(listener);
    };
  }

  /** Set when this open found the database damaged (moved aside), missing or empty, and rebuilt it. */
  get recovery(): Recovery | undefined {
    return this.#recovery;
  }

  /** The data folder. */
  get dataDir(): string {
    return this.#dataDir;
  }

  /** The index database file. */
  get file(): string {
    return this.#db.name;
  }

  /** Whether {@link close} was called. */
  get isClosed(): boolean {
    return !this.#db.open;
  }

  /** Closes the database (idempotent). */
  close(): void {
    closeIndexDatabase(this.#db);
  }

  /**
   * Hands back SQLite's page cache (`PRAGMA shrink_memory`): pages read at start-up (the
   * node's versions, a long page's item) stay cached until the connection closes: 3.4 MiB
   * still held at idle with a followed 1,000-post site open (heaptrack). The OS keeps the
   * file cached; the next read of a page costs a copy. A closed store has nothing to release.
   */
  releaseMemory(): void {
    if (this.#db.open) this.#db.pragma('shrink_memory');
  }

  /** Whether this open ran `PRAGMA quick_check` (it does unless the last close was clean and nothing touched the file since; database.ts). */
  get checkedOnOpen(): boolean {
    return wasCheckedOnOpen(this.#db);
  }

  #run<T>(doing: string, fn: (sql: Statements) => T): T {
    if (!this.#db.open) throw new StoreError('ERR_STORE_CLOSED', `could not ${doing}: the store is closed`);
    try {
      return fn(this.#sql);
    } catch (error) {
      throw toStoreError(error, doing, this.#db.name);
    }
  }

  #reject<C extends string>(problem: Problem<C>): { readonly ok: false; readonly error: Problem<C> } {
    this.#run('count a rejection', (sql) => {
      countRejections(sql, [problem], this.#now());
    });
    return fail(problem.code, problem.message);
  }

  /** How many items, versions and records were rejected, by error code. */
  rejections(): Map<string, number> {
    return this.#run('read the rejection counts', (sql) =>
      new Map((sql.get('SELECT code, count FROM rejections ORDER BY code').all() as { code: string; count: number }[]).map((row) => [row.code, row.count])),
    );
  }

  // --- sites and slots ------------------------------------------------------------------

  /** Records a site (new or known); `isOwn` marks the user's own (never evicted), `title` updates it. */
  noteSite(site: { key: Uint8Array; origin: string; title?: string; isOwn?: boolean }): void {
    social.requireKey(site.key);
    this.#decide('record a site', (sql) => {
      slots.ensureSite(sql, site.key, site.origin, this.#now());
      if (site.title !== undefined) sql.get('UPDATE sites SET title = ? WHERE key = ?').run(site.title, site.key);
      return site.isOwn === true && sql.get('UPDATE sites SET own = 1 WHERE key = ? AND own = 0').run(site.key).changes === 1;
    });
  }

  /** The site `key`, with its slots. */
  site(key: Uint8Array): SiteInfo | undefined {
    social.requireKey(key);
    return this.#run('read a site', (sql) => {
      const row = sql.get('SELECT key, title, origin, own, first_seen_ms, last_access_ms FROM sites WHERE key = ?').get(key) as SiteRow | undefined;
      return row === undefined ? undefined : siteFromRow(sql, row);
    });
  }

  /** Every site, most recently opened first. */
  sites(): SiteInfo[] {
    return this.#run('list the sites', (sql) =>
      (sql.get('SELECT key, title, origin, own, first_seen_ms, last_access_ms FROM sites ORDER BY last_access_ms DESC, key').all() as SiteRow[]).map((row) => siteFromRow(sql, row)),
    );
  }

  /** Marks a site (and its newest version) as opened now: the age the cache budget uses. */
  touchSite(key: Uint8Array): void {
    social.requireKey(key);
    this.#run('record a visit', (sql) => {
      sql.transaction(() => {
        const now = this.#now();
        sql.get('UPDATE sites SET last_access_ms = ? WHERE key = ?').run(now, key);
        sql.get('UPDATE versions SET last_access_ms = ? WHERE infohash = (SELECT infohash FROM versions WHERE site_key = ? ORDER BY created_ms DESC LIMIT 1)').run(now, key);
      });
    });
  }

  /** Records a BEP 46 record seen on the network (verified with core first; see slots.ts). */
  noteRecord(record: MutableRecord, origin: string): Result<slots.NotedRecord, RecordErrorCode | PointerErrorCode> {
    const noted = this.#run('record a site record', (sql) => sql.transaction(() => {
      const result = slots.noteRecord(sql, record, origin, this.#now());
      // Kept beside the index too: a stored site opens offline even after the index is lost.
      if (result.ok && result.value.isNewer && isKeptSlot(sql, record.publicKey, result.value.infohash)) keepRecord(this.#dataDir, record);
      return result;
    }));
    return noted.ok ? noted : this.#reject(noted.error);
  }

  /**
   * The highest seq known locally for a slot (empty salt: the unsalted slot): in the index,
   * or kept beside it (a seq signed here just before the index was lost or replaced).
   */
  localSeq(key: Uint8Array, salt: Uint8Array = new Uint8Array(0)): bigint | undefined {
    const indexed = this.#run('read a slot', (sql) => slots.localSeq(sql, key, salt));
    const kept = keptSeq(this.#dataDir, key, salt);
    return kept === undefined || (indexed !== undefined && indexed >= kept) ? indexed : kept;
  }

  /** The newest signed record of a slot, to re-put (BEP 44 items expire after 2 h). */
  latestRecord(key: Uint8Array, salt: Uint8Array = new Uint8Array(0)): MutableRecord | undefined {
    return this.#run('read a slot', (sql) => slots.latestRecord(sql, key, salt));
  }

  /** The infohash that `seq` of a slot pointed at, if seen. */
  infohashAt(key: Uint8Array, salt: Uint8Array, seq: bigint): Uint8Array | undefined {
    return this.#run('read a slot', (sql) => slots.infohashAt(sql, key, salt, seq));
  }

  // --- publishing -----------------------------------------------------------------------

  /** Persists an own publish before its put (slots.ts): returns the outbox id. ERR_STORE_CONFLICT for a seq not above the local one. */
  reservePublish(record: MutableRecord): number {
    return this.#run('record the publish', (sql) => sql.transaction(() => {
      const kept = keptSeq(this.#dataDir, record.publicKey, record.salt);
      if (kept !== undefined && record.seq <= kept) {
        throw new StoreError('ERR_STORE_CONFLICT', `seq ${record.seq.toString()} is not above ${kept.toString()}, the last seq signed for this slot: a seq is never used twice`);
      }
      const wasOwn = (sql.get('SELECT own FROM sites WHERE key = ?').get(record.publicKey) as { own: number } | undefined)?.own === 1;
      const id = slots.reservePublish(sql, record, this.#now());
      // Kept before the transaction commits, and so before the put: whatever happens to the
      // index afterwards, this seq is known to have been signed.
      keepRecord(this.#dataDir, record);
      if (!wasOwn) keepDecisions(sql, this.#dataDir);
      return id;
    }));
  }

  /** Publishes not confirmed yet, oldest first: put them (again). */
  pendingPublishes(): slots.PendingPublish[] {
    return this.#run('read the outbox', (sql) => slots.pendingPublishes(sql));
  }

  /** Records an attempt to put outbox entry `id` (and its error). */
  notePublishAttempt(id: number, error?: string): void {
    this.#run('record a publish attempt', (sql) => { slots.notePublishAttempt(sql, id, error, this.#now()); });
  }

  /** The put of outbox entry `id` succeeded. */
  confirmPublish(id: number): boolean {
    return this.#run('confirm the publish', (sql) => slots.confirmPublish(sql, id, this.#now()));
  }

  // --- versions ---------------------------------------------------------------------------

  /**
   * Verifies a site version with core (manifest and every item, read with `lookupItem`)
   * and stores it with its items. `contentBytes` is the size of the version on disk.
   */
  addVersion(version: {
    infohash: Uint8Array;
    manifest: Uint8Array;
    lookupItem: (id: Uint8Array) => Uint8Array | undefined;
    origin: string;
    contentBytes?: number;
  }): Result<{ isNew: boolean; newItems: number }, ManifestErrorCode> {
    requireInfohash(version.infohash);
    const verified = verifyVersion(version.manifest, version.lookupItem);
    if (!verified.ok) return this.#reject(verified.error);
    const inserted = this.#run('store a site version', (sql) => this.#insertVersion(sql, {
      infohash: version.infohash,
      manifestBytes: version.manifest.slice(),
      verified: verified.value,
      origin: version.origin,
      ...(version.contentBytes === undefined ? {} : { contentBytes: version.contentBytes }),
    }));
    return ok(inserted);
  }

  /**
   * Verifies and stores the version that net saved in `contentFolder(dataDir, infohash)`
   * (rebuild.ts): the manifest and items are read from there, capped and verified with
   * core; `contentBytes` is the folder's size.
   */
  addVersionFromDisk(infohash: Uint8Array, origin: string): Result<{ isNew: boolean; newItems: number }, FolderErrorCode> {
    const verified = verifyFolder(contentFolder(this.#dataDir, requireInfohash(infohash)));
    if (!verified.ok) return this.#reject(verified.error);
    return ok(this.#run('store a site version', (sql) => this.#insertVersion(sql, { infohash, ...verified.value, origin })));
  }

  /**
   * Moves a version built in a staging folder (site-build.ts) to `content/<infohash>/`
   * and stores it, verified with core like any version that arrives from a peer.
   */
  adoptVersion(staging: string, infohash: Uint8Array, origin: string): Result<{ isNew: boolean; newItems: number }, FolderErrorCode> {
    const target = contentFolder(this.#dataDir, requireInfohash(infohash));
    let moved = false;
    try {
      fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
      if (fs.existsSync(target)) fs.rmSync(staging, { recursive: true, force: true });
      else {
        fs.renameSync(staging, target);
        moved = true;
      }
      syncDir(path.dirname(target));
    } catch (error) {
      fs.rmSync(staging, { recursive: true, force: true });
      throw toStoreError(error, 'store the new version', target);
    }
    // A version that does not verify, or that the index cannot take (a full disk), leaves
    // nothing in content/, where neither the index nor a record would name it (issue #25:
    // 8.6 MB left after a publish on a full disk, and the next publishes failing for it).
    let added: Result<{ isNew: boolean; newItems: number }, FolderErrorCode>;
    try {
      added = this.addVersionFromDisk(infohash, origin);
    } catch (error) {
      if (moved) fs.rmSync(target, { recursive: true, force: true });
      throw error;
    }
    if (!added.ok && moved) fs.rmSync(target, { recursive: true, force: true });
    return added;
  }

  /** Where the files of stored version `infohash` are (the site's root folder), if on disk. */
  versionRoot(infohash: Uint8Array): string | undefined {
    return siteRoot(contentFolder(this.#dataDir, requireInfohash(infohash)));
  }

  /** A stored version. */
  version(infohash: Uint8Array): VersionInfo | undefined {
    return this.#run('read a version', (sql) => versionInfo(sql, infohash));
  }

  /** The manifest of a stored version (its exact bytes, and decoded). */
  manifest(infohash: Uint8Array): { bytes: Uint8Array; manifest: SiteManifest } | undefined {
    return this.#run('read a manifest', (sql) => versionManifest(sql, infohash, this.#manifests));
  }

  /** The newest stored version of a site. */
  latestVersion(siteKey: Uint8Array): VersionInfo | undefined {
    social.requireKey(siteKey);
    return this.#run('read a version', (sql) => latestVersion(sql, siteKey));
  }

  /** Every stored version of a site with its seq (if a record of its unsalted slot named it), newest first. */
  siteVersions(siteKey: Uint8Array): SiteVersion[] {
    social.requireKey(siteKey);
    return this.#run('read the versions of a site', (sql) => siteVersions(sql, siteKey));
  }

  /** The hash chain from `head` back, newest first, and where it is cut if a version is missing. */
  versionChain(head: Uint8Array): { versions: VersionInfo[]; missing?: Uint8Array } {
    return this.#run('read the versions of a site', (sql) => versionChain(sql, head));
  }

  /** The item of stored version `infohash` that address path `sitePath` names (`path`, `path/index.md`, `path.md`). */
  versionPage(infohash: Uint8Array, sitePath: string): { id: Uint8Array; path: string } | undefined {
    return this.#run('read a version', (sql) => versionPage(sql, infohash, sitePath));
  }

  /** The path of item `id` in stored version `infohash`, if it is one of its items. */
  versionItemPath(infohash: Uint8Array, id: Uint8Array): string | undefined {
    return this.#run('read a version', (sql) => versionItemPath(sql, infohash, id));
  }

  /** The items of a version, with their paths. */
  versionItems(infohash: Uint8Array): { id: Uint8Array; path: string }[] {
    return this.#run('read a version', (sql) => versionItemIds(sql, infohash));
  }

  /** Where item `id` is published: the stored versions that hold it and its path there, newest first. */
  itemPlaces(id: Uint8Array): { infohash: Uint8Array; siteKey: Uint8Array; path: string }[] {
    return this.#run('read where an item is', (sql) => itemPlaces(sql, id));
  }

  // --- items ------------------------------------------------------------------------------

  /**
   * Stores items in one transaction: encoded bytes are verified with core first (a
   * rejected one is counted and reported, the others are stored); {@link VerifiedItem}s
   * (from `verifyItem`) are stored as they are.
   */
  addItems(entries: readonly (Uint8Array | VerifiedItem)[]): AddItemsReport {
    const good: VerifiedItem[] = [];
    const rejected: Problem[] = [];
    for (const entry of entries) {
      if (isVerifiedItem(entry)) {
        good.push(entry);
        continue;
      }
      if (!(entry instanceof Uint8Array)) throw new TypeError('addItems takes encoded items (Uint8Array) or results of verifyItem');
      const checked = verifyItem(entry);
      if (checked.ok) good.push(checked.value);
      else rejected.push(checked.error);
    }
    // One transaction for the items and the count of the rejected: a flood of bad items costs one commit.
    const added = this.#run('store items', (sql) => sql.transaction(() => {
      const now = this.#now();
      countRejections(sql, rejected, now);
      let count = 0;
      for (const entry of good) if (insertItem(sql, entry, now)) count += 1;
      return count;
    }));
    return { added, duplicates: good.length - added, rejected };
  }

  /** Verifies and stores one encoded item. */
  addItem(bytes: Uint8Array): Result<Item, ItemErrorCode> {
    const checked = verifyItem(bytes);
    if (!checked.ok) return this.#reject(checked.error);
    this.addItems([checked.value]);
    return ok(checked.value.item);
  }

  /** The stored item `id`. */
  item(id: Uint8Array): Item | undefined {
    return this.#run('read an item', (sql) => {
      const row = sql.get(`SELECT ${ITEM_COLUMNS} FROM items WHERE id = ?`).get(id) as ItemRow | undefined;
      return row === undefined ? undefined : itemFromRow(sql, row);
    });
  }

  /** The exact encoding of item `id`, as verified when it was stored. */
  itemBytes(id: Uint8Array): Uint8Array | undefined {
    return this.#run('read an item', (sql) => {
      const row = sql.get('SELECT encoded FROM items WHERE id = ?').get(id) as { encoded: Uint8Array } | undefined;
      return row === undefined ? undefined : bytesOf(row.encoded);
    });
  }

  /** Items that link to `id` (any `rel`, or only `rel`: `reply`, `quote`, `next`, …), oldest first. One query. */
  backlinks(id: Uint8Array, rel?: string): Backlink[] {
    return this.#run('read backlinks', (sql) => {
      const rows = sql.get(
        `SELECT ${ITEM_COLUMNS}, related.rel AS link_rel FROM related JOIN items ON items.id = related.from_id
         WHERE related.to_id = @id AND (@rel IS NULL OR related.rel = @rel) AND items.author NOT IN (SELECT key FROM blocks)
         ORDER BY items.created_ms, items.id`,
      ).all({ id, rel: rel ?? null }) as (ItemRow & { link_rel: string })[];
      return rows.map((row) => ({ item: itemFromRow(sql, row), rel: row.link_rel }));
    });
  }

  /** Every reply below `rootId`, however deep, in creation order, with its depth (one recursive query). Blocked authors are left out. */
  thread(rootId: Uint8Array, maxDepth = 64): ThreadEntry[] {
    return this.#run('read a thread', (sql) => {
      const rows = sql.get(THREAD_SQL).all({ root: rootId, maxDepth }) as (ItemRow & { depth: number })[];
      return rows.map((row) => ({ item: itemFromRow(sql, row), depth: row.depth }));
    });
  }

  /** Items by `author`, newest first. */
  itemsByAuthor(author: Uint8Array, limit = 100): Item[] {
    social.requireKey(author, 'author');
    return this.#run('read items', (sql) =>
      (sql.get(`SELECT ${ITEM_COLUMNS} FROM items WHERE author = ? ORDER BY created_ms DESC, id LIMIT ?`).all(author, limit) as ItemRow[]).map((row) => itemFromRow(sql, row)),
    );
  }

  /** Full-text search over titles and bodies (search.ts). */
  search(text: string, options: { limit?: number; offset?: number } = {}): SearchHit[] {
    return this.#run('search', (sql) => search(sql, text, options));
  }

  // --- reply notices (reply-notices.ts) ----------------------------------------------------

  /** Stores a checked reply notice (its wire form `bytes`) as pending, or verified (an own reply's); see reply-notices.ts. */
  noteReplyNotice(notice: ReplyNotice, bytes: Uint8Array, state: 'pending' | 'verified' = 'pending'): notices.NoteNoticeResult {
    return this.#run('store a reply notice', (sql) => notices.noteNotice(sql, notice, bytes, this.#now(), state));
  }

  /** Reply notices in `state`, oldest first. */
  replyNotices(state: notices.NoticeState, limit = 100): notices.StoredNotice[] {
    return this.#run('read reply notices', (sql) => notices.noticesIn(sql, state, limit));
  }

  /** Verified reply notices to any of `targets`, newest first. */
  verifiedReplyNotices(targets: readonly Uint8Array[], limit = 16): notices.StoredNotice[] {
    return this.#run('read reply notices', (sql) => notices.verifiedNoticesFor(sql, targets, limit));
  }

  /** Records the outcome of a check of notice (reply, target). */
  settleReplyNotice(reply: Uint8Array, target: Uint8Array, state: notices.NoticeState): void {
    this.#run('settle a reply notice', (sql) => { notices.settleNotice(sql, reply, target, state); });
  }

  // --- follows, blocks, peers -------------------------------------------------------------

  follow(kind: social.SocialKind, key: Uint8Array): boolean {
    return this.#decide('follow', (sql) => social.follow(sql, kind, key, this.#now()));
  }
  unfollow(kind: social.SocialKind, key: Uint8Array): boolean {
    return this.#decide('unfollow', (sql) => social.unfollow(sql, kind, key));
  }
  follows(): social.SocialEntry[] {
    return this.#run('list follows', (sql) => social.listFollows(sql));
  }
  isFollowing(kind: social.SocialKind, key: Uint8Array): boolean {
    return this.#run('read follows', (sql) => social.isFollowing(sql, kind, key));
  }
  block(kind: social.SocialKind, key: Uint8Array): boolean {
    return this.#decide('block', (sql) => social.block(sql, kind, key, this.#now()));
  }
  unblock(kind: social.SocialKind, key: Uint8Array): boolean {
    return this.#decide('unblock', (sql) => social.unblock(sql, kind, key));
  }
  blocks(): social.BlockEntry[] {
    return this.#run('list blocks', (sql) => social.listBlocks(sql));
  }
  /** Whether `key` is blocked, by the user or by a subscribed block list. */
  isBlocked(key: Uint8Array): boolean {
    return this.#run('read blocks', (sql) => social.isBlocked(sql, key));
  }
  subscribeBlockList(listKey: Uint8Array): boolean {
    return this.#decide('subscribe to a block list', (sql) => social.subscribeBlockList(sql, listKey, this.#now()));
  }
  unsubscribeBlockList(listKey: Uint8Array): boolean {
    return this.#decide('unsubscribe from a block list', (sql) => social.unsubscribeBlockList(sql, listKey));
  }
  /** Replaces the entries of a subscribed block list with those of its newest version. */
  setBlockListEntries(listKey: Uint8Array, entries: readonly { kind: social.SocialKind; key: Uint8Array }[]): void {
    this.#run('update a block list', (sql) => { social.setBlockListEntries(sql, listKey, entries, this.#now()); });
  }
  blockLists(): Uint8Array[] {
    return this.#run('list block lists', (sql) => social.listBlockLists(sql));
  }
  /** Subscribed lists with their entry counts and what their last check found. */
  blockListStatus(): social.BlockListStatus[] {
    return this.#run('list block lists', (sql) => social.listBlockListStatus(sql));
  }
  noteBlockListCheck(listKey: Uint8Array, problem?: string): void {
    this.#run('record a block list check', (sql) => { social.noteBlockListCheck(sql, listKey, this.#now(), problem); });
  }
  mute(key: Uint8Array): boolean {
    return this.#decide('mute', (sql) => social.mute(sql, key, this.#now()));
  }
  unmute(key: Uint8Array): boolean {
    return this.#decide('unmute', (sql) => social.unmute(sql, key));
  }
  /** Whether `key` (an author or a site) is muted: its content is kept but not shown. */
  isMuted(key: Uint8Array): boolean {
    return this.#run('read mutes', (sql) => social.isMuted(sql, key));
  }
  mutes(): { key: Uint8Array; sinceMs: number }[] {
    return this.#run('list mutes', (sql) => social.listMutes(sql));
  }
  notePeer(peer: { host: string; port: number; via: social.PeerSource }): void {
    this.#run('record a peer', (sql) => { social.notePeer(sql, peer, this.#now()); });
  }
  peers(options: { via?: social.PeerSource; sinceMs?: number; limit?: number } = {}): social.PeerSeen[] {
    return this.#run('list peers', (sql) => social.listPeers(sql, options));
  }
  forgetPeers(beforeMs: number): number {
    return this.#run('forget peers', (sql) => social.forgetPeers(sql, beforeMs));
  }

  // --- cache, rebuild, checks ---------------------------------------------------------------

  /** Bytes of content stored, and the budget. */
  cacheUsage(): { usedBytes: number; budgetBytes: number } {
    return this.#run('measure the cache', (sql) => ({ usedBytes: usedBytes(sql), budgetBytes: this.#budgetBytes }));
  }

  /** Bytes of content stored for site `siteKey` (its versions, as the cache budget counts them). */
  siteUsedBytes(siteKey: Uint8Array): number {
    social.requireKey(siteKey);
    return this.#run('measure the cache', (sql) => siteUsedBytes(sql, siteKey));
  }

  /** Changes the cache budget (bytes, a non-negative integer); {@link Store.evict} then keeps to it. */
  setCacheBudget(budgetBytes: number): void {
    if (!Number.isSafeInteger(budgetBytes) || budgetBytes < 0) throw new RangeError('budgetBytes must be a non-negative integer');
    this.#budgetBytes = budgetBytes;
  }

  /** Evicts content past the budget (cache.ts); delete the torrents of the versions it returns. */
  evict(budgetBytes: number = this.#budgetBytes): EvictionReport {
    return this.#run('evict cached content', (sql) => evict(sql, budgetBytes));
  }

  /** Indexes every site version found under `content/` (rebuild.ts); idempotent. */
  rebuild(): RebuildReport {
    return this.#run('rebuild the index', (sql) => rebuildIndex(sql, this.#dataDir, this.#now()));
  }

  /** The durability settings of the open connection, as SQLite reports them (asserted on open). */
  durability(): { journalMode: string; synchronous: number; foreignKeys: number; schemaVersion: number } {
    return this.#run('read the database settings', () => ({
      journalMode: String(this.#db.pragma('journal_mode', { simple: true })),
      synchronous: Number(this.#db.pragma('synchronous', { simple: true })),
      foreignKeys: Number(this.#db.pragma('foreign_keys', { simple: true })),
      schemaVersion: schemaVersion(this.#db),
    }));
  }

  /** SQLite's `PRAGMA integrity_check`: `['ok']` when the database is sound. */
  integrityCheck(): string[] {
    return this.#run('check the database', (sql) => (sql.get('PRAGMA integrity_check').all() as { integrity_check: string }[]).map((row) => row.integrity_check));
  }
}

/** Adds `problems` to the rejection counts by code. */
function countRejections(sql: Statements, problems: readonly Problem[], nowMs: number): void {
  const count = sql.get('INSERT INTO rejections (code, count, last_ms) VALUES (?, 1, ?) ON CONFLICT (code) DO UPDATE SET count = count + 1, last_ms = excluded.last_ms');
  for (const problem of problems) count.run(problem.code, nowMs);
}


