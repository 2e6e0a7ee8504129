/**
 * Markdown -> layout plan off the UI thread. marked is a backtracking lexer: a hostile post
 * can keep it busy for seconds (14 KB of nested emphasis ~0.85 s, 224 KB 17.6 s — FACTS.md),
 * so lexing runs in a worker thread with a time limit. When the limit passes the worker is
 * terminated and the page is shown as plain text with a notice; the next page gets a fresh
 * worker.
 *
 * Ownership: whoever creates a `PlanWorker` calls `close()`; an idle worker is unref'd and
 * does not keep the process alive.
 */
import { Worker } from 'node:worker_threads';
import type { LayoutPlan } from './layout.js';
import { MAX_SOURCE_CHARS } from './markdown.js';
import { planFromJson } from './plan-json.js';

/** Time any page may take to lex and lay out before it is shown as plain text. */
export const PARSE_TIME_LIMIT_MS = 2000;
/**
 * Extra time per MiB of source: an ordinary 1 MB page takes ~0.8 s on the UI thread of a
 * 2-core dev machine (0.65 s lexing, 0.15 s layout), more in a cold worker; hostile pages
 * are slow out of all proportion to their size (14 KB of nested emphasis: 0.85 s).
 */
export const PARSE_TIME_PER_MIB_MS = 3000;

/** The time limit for a source of `chars` UTF-16 units, given the base limit. */
export function parseTimeLimitMs(chars: number, baseMs = PARSE_TIME_LIMIT_MS): number {
  return Math.round(baseMs + (PARSE_TIME_PER_MIB_MS * Math.min(chars, MAX_SOURCE_CHARS)) / 1_048_576);
}
/**
 * The layout thread's V8 heap (old generation), in MB: a page that needs more is shown as
 * plain text (the thread runs out of memory and ends). With 512 a hostile page could take
 * the window past the 300 MB of issue #25 within the time limit; the most an ordinary page
 * of MAX_SOURCE_CHARS was measured to need is the 120,000-row table of that issue (it
 * lexes in 112, not 96).
 */
export const MAX_WORKER_HEAP_MB = 128;
/** Characters per block of the plain-text fallback (a block is one widget at most). */
const PLAIN_BLOCK_CHARS = 4000;

const WARM_UP_SOURCE = [
  '# Heading', '', 'Text with *emphasis*, **strong**, ~~strike~~, `code`, [a link](a.md) and <b>html</b>.  ', 'next line',
  '', '> quote', '> > nested', '', '- item', '  - nested', '- [x] task', '', '1. one', '2. two', '',
  '| a | b |', '|:--|--:|', '| 1 | 2 |', '', '```js', 'code()', '```', '', '---', '', '![picture](p.png)', '',
].join('\n').repeat(8);

const WORKER_URL = new URL('./parse-worker.js', import.meta.url);

/** The whole source as literal text blocks, with `notice` first. Pure; never throws. */
export function plainTextPlan(source: string, notice: string): LayoutPlan {
  const notices = [notice];
  let text = source;
  if (text.length > MAX_SOURCE_CHARS) {
    text = text.slice(0, MAX_SOURCE_CHARS);
    notices.push(`The document is longer than ${MAX_SOURCE_CHARS} characters; only the beginning is shown.`);
  }
  const blocks: LayoutPlan['blocks'][number][] = [];
  for (const part of text.split(/\n[ \t]*\n/)) {
    for (let at = 0; at < part.length; at += PLAIN_BLOCK_CHARS) {
      blocks.push({ kind: 'literal', text: part.slice(at, at + PLAIN_BLOCK_CHARS), indent: 0, quote: 0 });
    }
  }
  return { title: '', blocks, links: [], notices };
}

/**
 * After a page longer than this the worker thread is ended and a fresh one started: V8 keeps
 * the heap a 1 MB page grew to (~60 MB PSS measured, bench render-pss) long after the tokens
 * are garbage.
 */
export const RECYCLE_AFTER_CHARS = 128 * 1024;

/** A long page is first laid out from about this many characters of its start (the first screens). */
export const FIRST_SCREENS_CHARS = 8192;

/**
 * The start of a long `source`, cut at a blank line outside fenced code, or else at a line
 * break (a page that is one long table or list has no blank line: its 120,000 rows were
 * all lexed before anything was painted, issue #25), for showing the first screens while
 * the rest is lexed; undefined when the page is short or no such cut is near.
 * Reference-style links defined further down show as text until the whole page arrives.
 */
export function firstScreensSource(source: string): string | undefined {
  if (source.length < FIRST_SCREENS_CHARS * 4) return undefined;
  let cut = source.indexOf('\n\n', FIRST_SCREENS_CHARS);
  if (cut < 0 || cut > FIRST_SCREENS_CHARS * 2) cut = source.indexOf('\n', FIRST_SCREENS_CHARS);
  if (cut < 0 || cut > FIRST_SCREENS_CHARS * 2) return undefined;
  const head = source.slice(0, cut + 1);
  const fences = head.match(/^ {0,3}(?:```|~~~)/gm)?.length ?? 0;
  return fences % 2 === 0 ? head : undefined;
}

interface Pending {
  readonly resolve: (plan: LayoutPlan) => void;
  readonly source: string;
  readonly timer: NodeJS.Timeout;
}

export interface PlanWorkerOptions {
  /** The base time limit (PARSE_TIME_LIMIT_MS); a larger page gets PARSE_TIME_PER_MIB_MS more per MiB. */
  readonly timeLimitMs?: number;
  /**
   * End the thread after this long without work (a fresh one starts with the next page).
   * An idle thread keeps its V8 heap and the lexer's code: ~8 MiB PSS measured. Default: kept.
   */
  readonly idleMs?: number;
  /**
   * Runs after a thread this worker started has ended (idle, replaced, timed out or
   * closed) and its memory is freed: the window asks glibc to return that memory then.
   */
  readonly onThreadEnded?: () => void;
}

/** Lays out Markdown in a worker thread; see the file comment. */
export class PlanWorker {
  readonly #timeLimitMs: number;
  readonly #idleMs: number | undefined;
  readonly #onThreadEnded: (() => void) | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  #worker: Worker | undefined;
  #nextId = 0;
  readonly #pending = new Map<number, Pending>();
  #closed = false;
  /** The first screens laid out ahead of layoutInStages (prefetchFirstScreens). */
  #prefetched: { readonly source: string; readonly plan: Promise<LayoutPlan> } | undefined;
  /** The worker grew its heap on a long page: replace it once it is idle. */
  #recycle = false;

  constructor(options: PlanWorkerOptions = {}) {
    const limit = options.timeLimitMs ?? PARSE_TIME_LIMIT_MS;
    if (!Number.isFinite(limit) || limit <= 0) throw new RangeError(`timeLimitMs must be a positive number, not ${limit}`);
    this.#timeLimitMs = limit;
    const idle = options.idleMs;
    if (idle !== undefined && (!Number.isFinite(idle) || idle <= 0)) throw new RangeError(`idleMs must be a positive number, not ${idle}`);
    this.#idleMs = idle;
    this.#onThreadEnded = options.onThreadEnded;
  }

  /**
   * Resolves with the plan of `source`, or with a plain-text plan and a notice when lexing
   * takes longer than the time limit or fails. Never rejects except after `close()`.
   */
  layout(source: string): Promise<LayoutPlan> {
    if (this.#closed) return Promise.reject(new Error('PlanWorker.layout() after close()'));
    const worker = this.#ensureWorker();
    clearTimeout(this.#idleTimer);
    const id = this.#nextId++;
    const limitMs = parseTimeLimitMs(source.length, this.#timeLimitMs);
    return new Promise<LayoutPlan>((resolve) => {
      const timer = setTimeout(() => {
        this.#fallback(id, `This page took longer than ${limitMs / 1000} s to read as Markdown; it is shown as plain text.`);
        // Only terminating stops a lexer stuck in a long backtrack; pending requests get the same notice.
        this.#restart();
      }, limitMs);
      this.#pending.set(id, { resolve, source, timer });
      if (source.length > RECYCLE_AFTER_CHARS) this.#recycle = true;
      worker.ref();
      worker.postMessage({ id, source });
    });
  }

  /**
   * Like `layout`, but for a long page first calls `onFirstScreens` with the plan of its
   * beginning (firstScreensSource), so the reader sees the top of the page long before all
   * of it is lexed. The whole page is lexed once the promise `onFirstScreens` returns has
   * settled (the first screens are painted), so that showing them does not share the
   * CPU with lexing the rest. Resolves with the plan of the whole page.
   */
  async layoutInStages(source: string, onFirstScreens: (plan: LayoutPlan) => Promise<void> | void): Promise<LayoutPlan> {
    const prefetched = this.#prefetched?.source === source ? this.#prefetched.plan : undefined;
    this.#prefetched = undefined;
    const head = firstScreensSource(source);
    if (head === undefined) return prefetched ?? this.layout(source);
    try {
      await onFirstScreens(await (prefetched ?? this.layout(head)));
    } catch {
      // The caller's own failure to show the head does not stop the whole page.
    }
    return this.layout(source);
  }

  /**
   * Starts laying out the first screens of `source` (the whole of a short page) now: the
   * next layoutInStages of that same source takes this plan instead of asking again. The
   * app calls it with its first page while Qt loads, on the other core.
   */
  prefetchFirstScreens(source: string): void {
    if (this.#closed) return;
    const plan = this.layout(firstScreensSource(source) ?? source);
    plan.catch(() => undefined);
    this.#prefetched = { source, plan };
  }

  /** Ends the worker; pending requests resolve with their plain-text fallback. Idempotent. */
  close(): void {
    this.#closed = true;
    this.#restart();
  }

  #ensureWorker(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    const worker = new Worker(WORKER_URL, { resourceLimits: { stackSizeMb: 8, maxOldGenerationSizeMb: MAX_WORKER_HEAP_MB } });
    worker.on('message', (reply: { id: number; plan?: string; error?: string }) => {
      const pending = this.#pending.get(reply.id);
      if (pending === undefined) return;
      if (reply.plan === undefined) {
        this.#fallback(reply.id, `This page could not be read as Markdown (${reply.error ?? 'unknown error'}); it is shown as plain text.`);
      } else {
        clearTimeout(pending.timer);
        this.#pending.delete(reply.id);
        const json = reply.plan;
        if (this.#recycle && this.#pending.size === 0) {
          // The thread is ended below: its heap is given back before the plan is built here,
          // not on top of it (the 120,000-row table of issue #25: peak RSS 275 -> 232 MB).
          worker.once('exit', () => {
            pending.resolve(planFromJson(json));
          });
        } else {
          pending.resolve(planFromJson(json));
        }
      }
      if (this.#pending.size === 0) {
        worker.unref();
        if (this.#recycle) {
          this.#restart();
          // A fresh thread loads its modules now, not when the next page is waiting.
          if (!this.#closed && this.#idleMs === undefined) this.#ensureWorker();
        }
        if (this.#idleMs !== undefined && this.#worker !== undefined) {
          this.#idleTimer = setTimeout(() => {
            if (this.#pending.size === 0) this.#restart();
          }, this.#idleMs);
          this.#idleTimer.unref();
        }
      }
    });
    // 'exit' comes once the thread has stopped and its isolate is freed.
    worker.once('exit', () => {
      if (this.#worker === worker) this.#worker = undefined;
      this.#onThreadEnded?.();
    });
    worker.on('error', (error) => {
      if (this.#worker === worker) this.#worker = undefined;
      for (const id of [...this.#pending.keys()]) this.#fallback(id, `This page could not be read as Markdown (${String(error)}); it is shown as plain text.`);
    });
    worker.unref();
    this.#worker = worker;
    return worker;
  }

  #fallback(id: number, notice: string): void {
    const pending = this.#pending.get(id);
    if (pending === undefined) return;
    clearTimeout(pending.timer);
    this.#pending.delete(id);
    pending.resolve(plainTextPlan(pending.source, notice));
  }

  /**
   * Starts the worker thread now and runs the lexer once over every kind of element, so
   * that the first page waits neither for the thread nor for the JIT (measured: the head of
   * a long page took 43 ms in a cold worker, 15 ms in a warm one).
   */
  warmUp(): Promise<void> {
    return this.layout(WARM_UP_SOURCE).then(() => undefined);
  }

  /** Whether a worker thread exists now (tests). */
  get running(): boolean {
    return this.#worker !== undefined;
  }

  #restart(): void {
    clearTimeout(this.#idleTimer);
    const worker = this.#worker;
    this.#worker = undefined;
    this.#recycle = false;
    for (const id of [...this.#pending.keys()]) this.#fallback(id, 'This page was not read as Markdown in time; it is shown as plain text.');
    if (worker !== undefined) void worker.terminate().catch(() => undefined);
  }
}
