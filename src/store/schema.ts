/**
 * The versioned schema of the index database. Each migration runs in its own transaction
 * together with `PRAGMA user_version = <version>` (database.ts), so a crash during a
 * migration leaves the schema before it or after it, never a mix. Migrations are only
 * ever appended: a released one is never edited.
 *
 * Tables are STRICT (SQLite 3.37): a wrong type is an error, not a silent conversion.
 * Keys, ids, salts and infohashes are BLOBs of checked lengths; `seq` is an INTEGER
 * (SQLite's 64-bit signed integer holds BEP 44's 0..2^63-1 exactly; statements that read
 * it use safe integers).
 */
import type { Database } from './sqlite.js';

/** One step of the schema. */
export interface Migration {
  /** The `user_version` after this step: 1, 2, 3, … without gaps. */
  readonly version: number;
  readonly name: string;
  /** SQL (several statements), or a function for a step that needs code. Runs inside the migration's transaction. */
  readonly up: string | ((db: Database) => void);
}

const V1_TABLES = `
CREATE TABLE sites (
  key BLOB PRIMARY KEY CHECK (length(key) = 32),
  title TEXT NOT NULL DEFAULT '',
  origin TEXT NOT NULL,
  own INTEGER NOT NULL DEFAULT 0 CHECK (own IN (0, 1)),
  first_seen_ms INTEGER NOT NULL,
  last_access_ms INTEGER NOT NULL
) STRICT;

CREATE TABLE slots (
  site_key BLOB NOT NULL REFERENCES sites(key) ON DELETE CASCADE,
  salt BLOB NOT NULL CHECK (length(salt) <= 64),
  last_seq INTEGER NOT NULL CHECK (last_seq >= 0),
  record BLOB,
  updated_ms INTEGER NOT NULL,
  PRIMARY KEY (site_key, salt)
) STRICT;

CREATE TABLE slot_versions (
  site_key BLOB NOT NULL,
  salt BLOB NOT NULL,
  seq INTEGER NOT NULL CHECK (seq >= 0),
  infohash BLOB NOT NULL CHECK (length(infohash) = 20),
  seen_ms INTEGER NOT NULL,
  PRIMARY KEY (site_key, salt, seq),
  FOREIGN KEY (site_key, salt) REFERENCES slots(site_key, salt) ON DELETE CASCADE
) STRICT;

CREATE TABLE versions (
  infohash BLOB PRIMARY KEY CHECK (length(infohash) = 20),
  site_key BLOB NOT NULL REFERENCES sites(key) ON DELETE CASCADE,
  previous BLOB CHECK (previous IS NULL OR length(previous) = 20),
  manifest BLOB NOT NULL,
  created_ms INTEGER NOT NULL,
  received_ms INTEGER NOT NULL,
  content_bytes INTEGER NOT NULL CHECK (content_bytes >= 0),
  last_access_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX versions_by_site ON versions(site_key, created_ms);
CREATE INDEX versions_by_previous ON versions(previous);

CREATE TABLE items (
  id BLOB PRIMARY KEY CHECK (length(id) = 32),
  author BLOB NOT NULL CHECK (length(author) = 32),
  title TEXT NOT NULL,
  mime TEXT NOT NULL,
  body_text TEXT,
  body_path TEXT,
  body_sha256 BLOB,
  source TEXT,
  next_id BLOB,
  next_href TEXT,
  meta TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  signature BLOB NOT NULL CHECK (length(signature) = 64),
  encoded BLOB NOT NULL,
  stored_ms INTEGER NOT NULL,
  last_access_ms INTEGER NOT NULL,
  CHECK ((body_text IS NULL) <> (body_path IS NULL))
) STRICT;
CREATE INDEX items_by_author ON items(author, created_ms);

CREATE TABLE version_items (
  infohash BLOB NOT NULL REFERENCES versions(infohash) ON DELETE CASCADE,
  item_id BLOB NOT NULL REFERENCES items(id),
  path TEXT NOT NULL,
  PRIMARY KEY (infohash, item_id)
) STRICT;
CREATE INDEX version_items_by_item ON version_items(item_id);

CREATE TABLE related (
  from_id BLOB NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  to_id BLOB NOT NULL CHECK (length(to_id) = 32),
  rel TEXT NOT NULL,
  href TEXT,
  PRIMARY KEY (from_id, position)
) STRICT;
CREATE INDEX related_by_target ON related(to_id, rel);

CREATE TABLE follows (
  kind TEXT NOT NULL CHECK (kind IN ('author', 'site')),
  key BLOB NOT NULL CHECK (length(key) = 32),
  since_ms INTEGER NOT NULL,
  PRIMARY KEY (kind, key)
) STRICT;

CREATE TABLE block_lists (
  list_key BLOB PRIMARY KEY CHECK (length(list_key) = 32),
  since_ms INTEGER NOT NULL
) STRICT;

CREATE TABLE blocks (
  kind TEXT NOT NULL CHECK (kind IN ('author', 'site')),
  key BLOB NOT NULL CHECK (length(key) = 32),
  list_key BLOB NOT NULL DEFAULT x'' CHECK (length(list_key) IN (0, 32)),
  since_ms INTEGER NOT NULL,
  PRIMARY KEY (kind, key, list_key)
) STRICT;
CREATE INDEX blocks_by_key ON blocks(key);

CREATE TABLE peers (
  host TEXT NOT NULL,
  port INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
  via TEXT NOT NULL CHECK (via IN ('lan', 'swarm', 'dht')),
  first_seen_ms INTEGER NOT NULL,
  last_seen_ms INTEGER NOT NULL,
  PRIMARY KEY (host, port, via)
) STRICT;

CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  site_key BLOB NOT NULL CHECK (length(site_key) = 32),
  salt BLOB NOT NULL,
  seq INTEGER NOT NULL CHECK (seq >= 0),
  infohash BLOB NOT NULL CHECK (length(infohash) = 20),
  record BLOB NOT NULL,
  created_ms INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_attempt_ms INTEGER,
  last_error TEXT,
  UNIQUE (site_key, salt, seq)
) STRICT;

CREATE TABLE rejections (
  code TEXT PRIMARY KEY,
  count INTEGER NOT NULL,
  last_ms INTEGER NOT NULL
) STRICT;
`;

// External-content FTS5 over items (title and inline body): the text is stored once, in
// items. Items are immutable (the id is their hash), so insert and delete triggers suffice.
const V2_SEARCH = `
CREATE VIRTUAL TABLE items_fts USING fts5(
  title, body_text, content='items', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN
  INSERT INTO items_fts(rowid, title, body_text) VALUES (new.rowid, new.title, new.body_text);
END;
CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN
  INSERT INTO items_fts(items_fts, rowid, title, body_text) VALUES ('delete', old.rowid, old.title, old.body_text);
END;
CREATE TRIGGER items_immutable BEFORE UPDATE OF id, title, body_text, encoded ON items BEGIN
  SELECT RAISE(ABORT, 'items are immutable');
END;
INSERT INTO items_fts(items_fts) VALUES ('rebuild');
`;

// Mutes (hide an author's or site's content from what the user sees; it stays stored and
// seeded), and what the last check of each subscribed block list found.
const V3_MUTES_AND_LIST_CHECKS = `
CREATE TABLE mutes (
  key BLOB PRIMARY KEY CHECK (length(key) = 32),
  since_ms INTEGER NOT NULL
) STRICT;
ALTER TABLE block_lists ADD COLUMN checked_ms INTEGER;
ALTER TABLE block_lists ADD COLUMN problem TEXT;
`;

// Reply notices received from peers (reply-notices.ts): one row per (reply, target).
const V4_REPLY_NOTICES = `
CREATE TABLE reply_notices (
  reply_id BLOB NOT NULL CHECK (length(reply_id) = 32),
  target_id BLOB NOT NULL CHECK (length(target_id) = 32),
  site_key BLOB NOT NULL CHECK (length(site_key) = 32),
  seq INTEGER NOT NULL CHECK (seq >= 0),
  infohash BLOB NOT NULL CHECK (length(infohash) = 20),
  notice BLOB NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'verified', 'rejected')),
  attempts INTEGER NOT NULL DEFAULT 0,
  received_ms INTEGER NOT NULL,
  PRIMARY KEY (reply_id, target_id)
) STRICT;
CREATE INDEX reply_notices_by_state ON reply_notices(state, received_ms);
CREATE INDEX reply_notices_by_target ON reply_notices(target_id, state);
`;

/** The schema of this swarmpress, in order. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'sites, versions, items, follows, peers, outbox', up: V1_TABLES },
  { version: 2, name: 'full-text search over items', up: V2_SEARCH },
  { version: 3, name: 'mutes; block list checks', up: V3_MUTES_AND_LIST_CHECKS },
  { version: 4, name: 'reply notices received from peers', up: V4_REPLY_NOTICES },
];

/** The schema version this swarmpress writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;
