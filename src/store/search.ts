/**
 * Full-text search (SQLite FTS5) over the titles and inline bodies of every stored item.
 * What the user types is never passed to FTS5 as query syntax (a stray `"` or `NEAR(`
 * would be an error, and operators a surprise): each word becomes a quoted phrase, all
 * must match, and the last one matches as a prefix (search as you type).
 */
import type { Statements } from './database.js';
import { bytesOf } from './items.js';

/** Most results one search returns. */
export const MAX_SEARCH_RESULTS = 200;
/** Longest query considered, in characters; the rest is ignored. */
export const MAX_QUERY_CHARS = 512;
/** Most words of a query used. */
const MAX_QUERY_WORDS = 16;

/** One search result, best first. */
export interface SearchHit {
  readonly id: Uint8Array;
  readonly title: string;
  readonly author: Uint8Array;
  readonly createdMs: number;
  /** A short excerpt of the body with the matches between `[` and `]`. */
  readonly snippet: string;
  /** FTS5's bm25 rank: lower is better. */
  readonly rank: number;
}

/** The FTS5 query for what the user typed, or `undefined` when it has no word. */
export function ftsQuery(text: string): string | undefined {
  const words = text.slice(0, MAX_QUERY_CHARS).split(/[\s\p{P}\p{S}\p{C}]+/u).filter((word) => word !== '').slice(0, MAX_QUERY_WORDS);
  if (words.length === 0) return undefined;
  return words.map((word, index) => `"${word.replaceAll('"', '""')}"${index === words.length - 1 ? '*' : ''}`).join(' ');
}

interface HitRow {
  readonly id: Uint8Array;
  readonly title: string;
  readonly author: Uint8Array;
  readonly created_ms: number;
  readonly snippet: string | null;
  readonly rank: number;
}

/** Searches every stored item, leaving out authors the user blocked. */
export function search(sql: Statements, text: string, options: { limit?: number; offset?: number } = {}): SearchHit[] {
  const query = ftsQuery(text);
  if (query === undefined) return [];
  const limit = Math.min(Math.max(1, Math.trunc(options.limit ?? 20)), MAX_SEARCH_RESULTS);
  const rows = sql.get(
    `SELECT items.id, items.title, items.author, items.created_ms,
            snippet(items_fts, 1, '[', ']', '…', 12) AS snippet, items_fts.rank AS rank
     FROM items_fts JOIN items ON items.rowid = items_fts.rowid
     WHERE items_fts MATCH ? AND items.author NOT IN (SELECT key FROM blocks)
     ORDER BY items_fts.rank LIMIT ? OFFSET ?`,
  ).all(query, limit, Math.max(0, Math.trunc(options.offset ?? 0))) as HitRow[];
  return rows.map((row) => ({ id: bytesOf(row.id), title: row.title, author: bytesOf(row.author), createdMs: row.created_ms, snippet: row.snippet ?? '', rank: row.rank }));
}
