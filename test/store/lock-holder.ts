/**
 * Test fixture: holds a lock on a store's database from another process until stdin
 * closes. argv: FILE MODE, MODE = `write` (an open write transaction) or `exclusive`
 * (locking_mode=EXCLUSIVE after a write: nobody else may even read). Prints `{"locked":true}`.
 */
import { openSqlite } from '../../src/store/sqlite.js';

const [file, mode] = process.argv.slice(2);
if (file === undefined || (mode !== 'write' && mode !== 'exclusive')) throw new Error('usage: lock-holder FILE write|exclusive');
const db = openSqlite(file, { fileMustExist: true });
if (mode === 'exclusive') {
  db.pragma('locking_mode = EXCLUSIVE');
  db.exec('BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS lock_probe (x); COMMIT');
} else {
  db.exec('BEGIN IMMEDIATE');
  db.exec('CREATE TABLE IF NOT EXISTS lock_probe (x)');
}
process.stdout.write(`${JSON.stringify({ locked: true })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  if (db.inTransaction) db.exec('ROLLBACK');
  db.close();
  process.exit(0);
});
