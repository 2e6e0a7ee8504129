/**
 * Salvage from a damaged database: what the content on disk cannot give back (follows,
 * blocks, subscribed block lists, which sites are the user's own, the slots' seqs and
 * records, peers, the outbox of unconfirmed publishes, items fetched alone) is copied
 * into the rebuilt database, table by table, row by row, as far as the damaged file can
 * still be read. Items are verified with core again (they come from a damaged file);
 * other rows pass the new tables' STRICT types and CHECK constraints, and records are
 * verified whenever they are read (slots.ts).
 */
import type { Statements } from './database.js';
import { insertItem, verifyItem } from './items.js';
import { openSqlite, type Database } from './sqlite.js';

/** The tables copied, parents before children (foreign keys). */
const TABLES = ['sites', 'slots', 'slot_versions', 'follows', 'block_lists', 'blocks', 'mutes', 'peers', 'outbox', 'rejections', 'reply_notices'] as const;

/** What {@link salvage} recovered. */
export interface SalvageReport {
  /** Rows copied per table (items: verified and stored). */
  readonly rows: Readonly<Record<string, number>>;
  /** Tables that could not be read to the end, and why. */
  readonly failed: readonly { readonly table: string; readonly message: string }[];
}

function columnsOf(db: Database, table: string): string[] {
  return (db.prepare(`SELECT name FROM pragma_table_info('${table}')`).all() as { name: string }[]).map((row) => row.name);
}

/**
 * Copies what can be read of `damagedFile` into `sql` (a fresh database). Phase `state`
 * copies the tables of user state and runs before the rebuild (so that a salvaged site
 * keeps its `own` flag and origin); phase `items` runs after it and verifies only the items
 * the content on disk did not give back. Never throws for a damaged file.
 */
export function salvage(sql: Statements, damagedFile: string, nowMs: number, phase: 'state' | 'items'): SalvageReport {
  const rows: Record<string, number> = {};
  const failed: { table: string; message: string }[] = [];
  let damaged: Database;
  try {
    damaged = openSqlite(damagedFile, { readonly: true, fileMustExist: true });
  } catch (error) {
    return { rows, failed: [{ table: '*', message: (error as Error).message }] };
  }
  try {
    const known = sql.get('SELECT 1 AS yes FROM items WHERE id = ?');
    for (const table of phase === 'state' ? TABLES : ['items']) {
      let copied = 0;
      try {
        const wanted = new Set(columnsOf(sql.db, table));
        const columns = columnsOf(damaged, table).filter((column) => wanted.has(column));
        if (columns.length === 0) throw new Error('the table is missing');
        const select = damaged.prepare(`SELECT ${columns.join(', ')} FROM ${table}`).safeIntegers(true);
        const insert = sql.get(`INSERT OR IGNORE INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
        for (const row of select.iterate() as IterableIterator<Record<string, unknown>>) {
          if (table === 'items') {
            if (known.get(row['id']) !== undefined) continue;
            const checked = verifyItem(new Uint8Array(row['encoded'] as Uint8Array));
            if (checked.ok && insertItem(sql, checked.value, nowMs)) copied += 1;
            continue;
          }
          try {
            copied += insert.run(...columns.map((column) => row[column])).changes;
          } catch {
            // a row the new schema refuses (types, checks, a parent that was lost): skip it
          }
        }
      } catch (error) {
        failed.push({ table, message: (error as Error).message });
      }
      rows[table] = copied;
    }
  } finally {
    damaged.close();
  }
  return { rows, failed };
}
