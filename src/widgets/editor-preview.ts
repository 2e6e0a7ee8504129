/**
 * The editor's live preview: the text laid out by `layout` (the app's PlanWorker: lexing
 * runs in a worker thread, so a long or hostile text never blocks typing) and drawn by the
 * reader's own PageView, only its visible blocks as widgets. Refreshed once typing pauses
 * for `pauseMs`, and at least every PREVIEW_MAX_WAIT_MS while typing goes on; one layout
 * runs at a time and the newest text wins. The reader's place in the preview is kept.
 * Threading: UI thread only.
 */
import type * as NodeGui from '@nodegui/nodegui';
import type { Qt } from '../render/nodegui-subset.js';
import type { LayoutPlan } from '../render/layout.js';
import { PageView, type DumpNode } from '../render/page-view.js';
import type { SiteFiles } from '../render/site-files.js';
import type { ThemeName } from '../render/theme.js';

/** How long typing must pause before the preview is laid out again. */
export const PREVIEW_PAUSE_MS = 250;
/** While typing goes on, the preview is still refreshed this often. */
export const PREVIEW_MAX_WAIT_MS = 1500;

/** How the last preview update went (tests, benchmarks). */
export interface PreviewStats {
  /** Previews shown so far. */
  readonly count: number;
  /** Length of the text shown, in UTF-16 units. */
  readonly chars: number;
  /** From the request to the plan arriving (lexing and layout in the worker). */
  readonly layoutMs: number;
  /** Building the page view of the plan on the UI thread. */
  readonly showMs: number;
  /** From the last change of the text to the preview painted (or built, until it is painted). */
  readonly sinceChangeMs: number;
}

export interface EditorPreviewOptions {
  /** The text to show now. */
  readonly read: () => string;
  /** Markdown -> layout plan. */
  readonly layout: (source: string) => Promise<LayoutPlan>;
  readonly files?: SiteFiles;
  readonly theme?: ThemeName;
  readonly pauseMs?: number;
  /** A link in the preview was activated. */
  readonly onLink: () => void;
  /** A preview of `source`, laid out as `plan`, was shown. */
  readonly onShown?: (source: string, plan: LayoutPlan) => void;
}

const EMPTY_STATS: PreviewStats = { count: 0, chars: 0, layoutMs: 0, showMs: 0, sinceChangeMs: 0 };

export class EditorPreview {
  /** The preview's frame; put it in a layout. */
  readonly widget: NodeGui.QWidget;
  readonly #qt: Qt;
  readonly #options: EditorPreviewOptions;
  readonly #slot: NodeGui.QBoxLayout;
  #view: PageView | undefined;
  /** Bumped on every change; the preview is current when it shows the newest version, painted. */
  #version = 0;
  #currentVersion = -1;
  #changedAt = performance.now();
  #firstPendingAt: number | undefined;
  #timer: NodeJS.Timeout | undefined;
  #laying = false;
  #closed = false;
  #stats: PreviewStats = EMPTY_STATS;
  #waiters: (() => void)[] = [];

  constructor(qt: Qt, options: EditorPreviewOptions) {
    this.#qt = qt;
    this.#options = options;
    const frame = new qt.QWidget();
    frame.setObjectName('editor-preview');
    const slot = new qt.QBoxLayout(qt.Direction.TopToBottom);
    slot.setContentsMargins(0, 0, 0, 0);
    frame.setLayout(slot);
    this.widget = frame;
    this.#slot = slot;
  }

  /** The text changed: lay it out after the pause (`now`: at once, e.g. a draft just opened). */
  changed(now = false): void {
    if (this.#closed) return;
    this.#version++;
    this.#changedAt = performance.now();
    this.#schedule(now ? 0 : (this.#options.pauseMs ?? PREVIEW_PAUSE_MS));
  }

  /** Calls `handler` once the preview shows the text as it is now, painted. */
  whenCurrent(handler: () => void): void {
    if (this.#currentVersion === this.#version) handler();
    else this.#waiters.push(handler);
  }

  get stats(): PreviewStats {
    return this.#stats;
  }

  /** The page view shown, if any. */
  get view(): PageView | undefined {
    return this.#view;
  }

  /** The blocks as Qt shows them (all of them, or only those that exist as widgets). */
  dump(all = true): DumpNode[] {
    return this.#view?.dump(all) ?? [];
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  /** Stops refreshing and deletes the page view. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#view?.close();
  }

  #schedule(pauseMs: number): void {
    const now = performance.now();
    this.#firstPendingAt ??= now;
    // Typing on and on still refreshes the preview every PREVIEW_MAX_WAIT_MS.
    const waitMs = Math.max(0, Math.min(pauseMs, this.#firstPendingAt + PREVIEW_MAX_WAIT_MS - now));
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#update();
    }, waitMs);
  }

  async #update(): Promise<void> {
    if (this.#laying || this.#closed) return;
    this.#laying = true;
    this.#firstPendingAt = undefined;
    const version = this.#version;
    const changedAt = this.#changedAt;
    const source = this.#options.read();
    const requested = performance.now();
    let plan: LayoutPlan;
    try {
      plan = await this.#options.layout(source);
    } catch {
      return; // the layout worker was closed: the editor is going away
    } finally {
      this.#laying = false;
    }
    if (this.isClosed) return;
    this.#show(plan, version, changedAt, source.length, performance.now() - requested);
    this.#options.onShown?.(source, plan);
    // Typed while the layout ran: once more, with the pause still honoured.
    if (this.#version !== version) this.#schedule(this.#options.pauseMs ?? PREVIEW_PAUSE_MS);
  }

  #show(plan: LayoutPlan, version: number, changedAt: number, chars: number, layoutMs: number): void {
    const started = performance.now();
    const old = this.#view;
    const keepAt = old?.scrollY ?? 0;
    const view = new PageView(this.#qt, plan, {
      onLink: this.#options.onLink,
      ...(this.#options.files === undefined ? {} : { files: this.#options.files }),
      theme: this.#options.theme ?? 'light',
      // Estimated heights are enough for a text that keeps changing; shown blocks are measured.
      measureInBackground: false,
      onFirstPaint: () => {
        if (this.#view !== view) return;
        this.#stats = { ...this.#stats, sinceChangeMs: performance.now() - changedAt };
        this.#markCurrent(version);
      },
    });
    view.widget.setObjectName('editor-preview-page');
    if (old !== undefined) {
      old.close();
      old.widget.hide();
      old.widget.deleteLater();
    }
    this.#slot.addWidget(view.widget);
    this.#view = view;
    if (keepAt > 0) view.scrollTo(keepAt);
    const now = performance.now();
    this.#stats = { count: this.#stats.count + 1, chars, layoutMs, showMs: now - started, sinceChangeMs: now - changedAt };
    // A preview nobody sees is never painted: it is current once built.
    if (!this.widget.isVisible()) this.#markCurrent(version);
  }

  #markCurrent(version: number): void {
    this.#currentVersion = version;
    if (version !== this.#version) return;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter();
  }
}
