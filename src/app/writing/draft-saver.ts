/**
 * Saves a draft continuously: after typing pauses for `idleMs`, and never later than
 * `maxDelayMs` after the first change not yet saved, so that while typing goes on a save
 * still lands at least that often. With the defaults a crash or `kill -9` loses at most
 * the last ~0.7 s of typing, plus one durable write (median 8–10 ms, up to ~60 ms on a busy
 * 2-core machine: store/atomic-file.ts) and any lateness of the timer on a loaded loop —
 * within the one second the issue allows.
 *
 * The saver only decides *when*; `read` says what (the editor's content, encoded) and
 * `write` stores it (store.drafts.save). Identical bytes are not written again.
 * Threading: JS thread; writes are synchronous and durable when `write` returns.
 */

export interface DraftSaverOptions {
  /** The bytes to save now. */
  readonly read: () => Uint8Array;
  /** Stores them durably (throws on failure; the next change tries again). */
  readonly write: (bytes: Uint8Array) => void;
  /** After each write: when, how long it took, how long after the oldest unsaved change. */
  readonly onSaved?: (report: SaveReport) => void;
  readonly onError?: (error: unknown) => void;
  /** Pause in typing before a save (default DRAFT_IDLE_MS). */
  readonly idleMs?: number;
  /** Longest time a change stays unsaved while typing goes on (default DRAFT_MAX_DELAY_MS). */
  readonly maxDelayMs?: number;
  /** The wall clock a save is dated by (the app's one clock; default Date.now). */
  readonly now?: () => number;
}

export interface SaveReport {
  readonly bytes: number;
  /** Wall-clock time of the save, milliseconds since the epoch. */
  readonly atMs: number;
  /** How long the write took. */
  readonly writeMs: number;
  /** From the oldest change this save covers to the save being durable. */
  readonly delayMs: number;
}

export const DRAFT_IDLE_MS = 300;
export const DRAFT_MAX_DELAY_MS = 700;

export class DraftSaver {
  readonly #options: DraftSaverOptions;
  readonly #idleMs: number;
  readonly #maxDelayMs: number;
  #timer: NodeJS.Timeout | undefined;
  /** performance.now() of the oldest unsaved change; undefined when everything is saved. */
  #firstUnsaved: number | undefined;
  #last: Uint8Array | undefined;
  #closed = false;

  constructor(options: DraftSaverOptions) {
    const idle = options.idleMs ?? DRAFT_IDLE_MS;
    const max = options.maxDelayMs ?? DRAFT_MAX_DELAY_MS;
    if (!(idle >= 0) || !(max >= idle)) throw new RangeError(`need 0 <= idleMs <= maxDelayMs, not ${idle} and ${max}`);
    this.#options = options;
    this.#idleMs = idle;
    this.#maxDelayMs = max;
  }

  /** Something changed: a save is due within the limits above. */
  changed(): void {
    if (this.#closed) return;
    const now = performance.now();
    this.#firstUnsaved ??= now;
    const wait = Math.max(0, Math.min(this.#idleMs, this.#firstUnsaved + this.#maxDelayMs - now));
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.flush();
    }, wait);
  }

  /** True while a change waits to be saved. */
  get isPending(): boolean {
    return this.#firstUnsaved !== undefined;
  }

  /** Saves now if anything changed (Ctrl+S, closing, publishing). */
  flush(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const since = this.#firstUnsaved;
    if (since === undefined || this.#closed) return;
    const bytes = this.#options.read();
    this.#firstUnsaved = undefined;
    if (this.#last !== undefined && Buffer.compare(this.#last, bytes) === 0) return;
    const started = performance.now();
    try {
      this.#options.write(bytes);
    } catch (error) {
      // Still unsaved: the next change (or flush) tries again.
      this.#firstUnsaved = since;
      this.#options.onError?.(error);
      return;
    }
    this.#last = bytes;
    const ended = performance.now();
    this.#options.onSaved?.({ bytes: bytes.length, atMs: (this.#options.now ?? Date.now)(), writeMs: ended - started, delayMs: ended - since });
  }

  /** Marks `bytes` as what is on disk already (a draft just opened), so it is not written again. */
  markSaved(bytes: Uint8Array): void {
    this.#last = bytes;
  }

  /** Saves what is pending, then stops; with `discard`, drops it instead (the draft was published or deleted). */
  close(discard = false): void {
    if (this.#closed) return;
    if (!discard) this.flush();
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#closed = true;
  }
}
