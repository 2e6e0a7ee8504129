/**
 * Drafts: what the author is writing and has not published. Each draft is its own file,
 * `drafts/<id>.draft`, replaced atomically and durably on every save (atomic-file.ts).
 * Drafts live outside the database on purpose: a damaged, locked or rebuilt database
 * never takes an unpublished text with it, and a draft can be read with any editor.
 * The content is opaque bytes; the app chooses its format.
 */
import fs from 'node:fs';
import path from 'node:path';
import { removeStaleTemporaries, syncDir, writeFileAtomic } from './atomic-file.js';
import { toStoreError } from './store-error.js';

/** The folder of drafts inside the data folder. */
export const DRAFTS_FOLDER = 'drafts';
const SUFFIX = '.draft';
/** A draft id: letters, digits, `-` and `_`, 1 to 64 characters (safe as a file name everywhere). */
const DRAFT_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Largest draft: a post's body cap (core `MAX_BODY_BYTES`) plus room for the other fields. */
export const MAX_DRAFT_BYTES = 2 * 1024 * 1024;

/** A saved draft. */
export interface Draft {
  readonly id: string;
  readonly bytes: Uint8Array;
  /** When it was last saved (file modification time), milliseconds since the epoch. */
  readonly savedMs: number;
}

function requireId(id: string): void {
  if (typeof id !== 'string' || !DRAFT_ID.test(id)) throw new RangeError(`draft id must match ${DRAFT_ID.source}, not ${JSON.stringify(id)}`);
}

/** The drafts of one data folder. Synchronous; each call is durable when it returns. */
export class Drafts {
  readonly #dir: string;

  /** Opens (creating, 0700) the drafts folder of `dataDir` and clears temporaries a crash left. */
  constructor(dataDir: string) {
    this.#dir = path.join(dataDir, DRAFTS_FOLDER);
    try {
      fs.mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
      removeStaleTemporaries(this.#dir);
    } catch (error) {
      throw toStoreError(error, 'open the drafts folder', this.#dir);
    }
  }

  /** The folder holding the draft files. */
  get folder(): string {
    return this.#dir;
  }

  #file(id: string): string {
    requireId(id);
    return path.join(this.#dir, `${id}${SUFFIX}`);
  }

  /** Saves `bytes` as draft `id`, replacing the previous text only once the new one is safely on disk. */
  save(id: string, bytes: Uint8Array): void {
    const file = this.#file(id);
    if (!(bytes instanceof Uint8Array)) throw new TypeError('bytes must be a Uint8Array');
    if (bytes.length > MAX_DRAFT_BYTES) throw new RangeError(`a draft is at most ${MAX_DRAFT_BYTES} bytes`);
    try {
      writeFileAtomic(file, bytes, 0o600);
    } catch (error) {
      throw toStoreError(error, `save the draft '${id}' (the previous version is kept)`, file);
    }
  }

  /** The draft `id`, or `undefined` when there is none. */
  load(id: string): Draft | undefined {
    const file = this.#file(id);
    try {
      const bytes = new Uint8Array(fs.readFileSync(file));
      return { id, bytes, savedMs: fs.statSync(file).mtimeMs };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw toStoreError(error, `read the draft '${id}'`, file);
    }
  }

  /** The ids of every draft, sorted. */
  list(): string[] {
    try {
      return fs.readdirSync(this.#dir)
        .filter((name) => name.endsWith(SUFFIX) && DRAFT_ID.test(name.slice(0, -SUFFIX.length)))
        .map((name) => name.slice(0, -SUFFIX.length))
        .sort();
    } catch (error) {
      throw toStoreError(error, 'list the drafts', this.#dir);
    }
  }

  /** Deletes draft `id` (after it was published or discarded); true when there was one. */
  remove(id: string): boolean {
    const file = this.#file(id);
    try {
      fs.rmSync(file);
      syncDir(this.#dir);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw toStoreError(error, `delete the draft '${id}'`, file);
    }
  }
}
