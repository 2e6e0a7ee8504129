/**
 * A document shown as native widgets, virtualised: the view owns a scroll area over a page
 * as tall as the whole document, and only the blocks that intersect the viewport (plus a
 * margin) exist as widgets; widgets that scroll away go back to a pool (Lagrange's
 * `render_GmDocument(visRangeY)`). Heights start as estimates (estimate.ts) and are
 * replaced by Qt's own as blocks are shown, or by a background pass that measures the rest
 * in slices of a few milliseconds (`onLaidOut` reports when it is done).
 *
 * It decides nothing about content: every text comes from the plan, rich text only from
 * rich-text.ts, links come back as plan link indexes. The NodeGui module is passed in.
 * Threading: UI thread only.
 */
import type * as NodeGui from '@nodegui/nodegui';
import { blockText, type LayoutBlock, type LayoutPlan } from './layout.js';
import {
  createBlockWidget, createReusable, poolKeyOf, screenRectOf,
  type BlockAction, type BlockContext, type BlockWidget, type DumpNode, type Qt, type Reusable,
} from './block-widgets.js';
import { BLOCK_GAP_PX, estimateHeight } from './estimate.js';
import { findInPlan, type FindMatch } from './find.js';
import { shownOffset } from './word-break.js';
import { PageImages } from './page-images.js';
import { NO_SITE_FILES, type SiteFiles } from './site-files.js';
import { bodyFace, clampZoom, pageColours, roleLook, type ThemeName, type TypeFace } from './theme.js';

export type { DumpNode, Qt, ScreenRect } from './block-widgets.js';

export interface PageViewOptions {
  /** Called with the index of a link of `plan.links` when the reader activates it. */
  readonly onLink: (index: number) => void;
  /** The reader asked to play a media file of the site (`file` is its path on disk). */
  readonly onPlay?: (path: string, file: string) => void;
  /** The site's files, for pictures and media; none by default. */
  readonly files?: SiteFiles;
  readonly theme?: ThemeName;
  readonly zoom?: number;
  /** Called once when every block has its measured height (the full layout). */
  readonly onLaidOut?: () => void;
  /** Called once, after the page was first painted (the first screenful is on screen). */
  readonly onFirstPaint?: () => void;
  /** Measure the blocks not shown yet in the background (default true). */
  readonly measureInBackground?: boolean;
  /**
   * Called whenever blocks became widgets or stopped being widgets: garbage was made (the
   * wrappers, Qt's and NodeGui's native objects behind them); the window hands memory back
   * once this stops for a while.
   */
  readonly onChurn?: () => void;
}

const MARGIN_PX = 28;
const TOP_PX = 20;
const INDENT_PX = 22;
const QUOTE_PX = 14;
/** Blocks within this distance of the viewport exist as widgets too (smooth scrolling). */
const OVERSCAN_PX = 600;
/** Longest slice of background measuring before the loop gets control back. */
const MEASURE_SLICE_MS = 8;
/** Most idle widgets kept per pool. */
const POOL_LIMIT = 48;

interface Live {
  readonly shown: BlockWidget;
  x: number;
  width: number;
}

/** A document shown as native widgets: `widget` goes into a window's layout. */
export class PageView {
  /** The scroll area that shows the page; put it in a layout. */
  readonly widget: NodeGui.QScrollArea;
  readonly #qt: Qt;
  readonly #plan: LayoutPlan;
  readonly #blocks: readonly LayoutBlock[];
  readonly #options: PageViewOptions;
  readonly #content: NodeGui.QWidget;
  readonly #scrollBar: NodeGui.QScrollBar;
  readonly #heights: Float64Array;
  readonly #measured: Uint8Array;
  #tops: Float64Array;
  #topsValid = false;
  readonly #live = new Map<number, Live>();
  /** Widgets Qt has styled (shown once): they can be measured hidden. */
  readonly #polished = new WeakSet<NodeGui.QWidget>();
  readonly #pool = new Map<string, Reusable[]>();
  readonly #images: PageImages;
  #context: BlockContext;
  #theme: ThemeName;
  #zoom: number;
  #width = 0;
  #updateQueued = false;
  #measureQueued = false;
  #measureNext = 0;
  #laidOut = false;
  #closed = false;
  #painted = false;
  #find: { query: string; matches: FindMatch[]; current: number } | undefined;

  constructor(qt: Qt, plan: LayoutPlan, options: PageViewOptions) {
    this.#qt = qt;
    this.#plan = plan;
    this.#options = options;
    this.#theme = options.theme ?? 'light';
    this.#zoom = clampZoom(options.zoom ?? 1);
    // Notices come first, as literal blocks of their own.
    this.#blocks = [
      ...plan.notices.map((text): LayoutBlock => ({ kind: 'literal', text, indent: 0, quote: 0 })),
      ...plan.blocks,
    ];
    const n = this.#blocks.length;
    this.#heights = new Float64Array(n);
    this.#measured = new Uint8Array(n);
    this.#tops = new Float64Array(n + 1);

    const scroll = new qt.QScrollArea();
    scroll.setObjectName('page-scroll');
    scroll.setWidgetResizable(true);
    scroll.setHorizontalScrollBarPolicy(qt.ScrollBarPolicy.ScrollBarAlwaysOff);
    const content = new qt.QWidget();
    content.setObjectName('page');
    content.setAutoFillBackground(true);
    scroll.setWidget(content);
    // Qt's own scroll bar has no NodeGui wrapper that can carry listeners: give it ours.
    const scrollBar = new qt.QScrollBar();
    scrollBar.setOrientation(qt.Orientation.Vertical);
    scroll.setVerticalScrollBar(scrollBar);
    this.#scrollBar = scrollBar;
    this.widget = scroll;
    this.#content = content;
    this.#images = new PageImages(qt, options.files ?? NO_SITE_FILES);
    this.#applyLook();
    this.#context = this.#makeContext();
    scrollBar.addEventListener('valueChanged', () => {
      this.#scheduleUpdate();
    });
    content.addEventListener(qt.WidgetEventTypes.Paint, () => {
      if (this.#painted) return;
      this.#painted = true;
      // After the paint event returns, so that the frame is complete; then the blocks around it.
      setImmediate(() => {
        options.onFirstPaint?.();
        this.#scheduleUpdate();
      });
    });
    scroll.addEventListener(qt.WidgetEventTypes.Resize, () => {
      this.#scheduleUpdate();
    });
    this.#resetHeights();
  }

  /** The plan shown. */
  get plan(): LayoutPlan {
    return this.#plan;
  }

  /** Number of blocks that exist as widgets now (for tests and benchmarks). */
  get liveBlocks(): number {
    return this.#live.size;
  }

  /** Total height of the page in pixels, measured where known, estimated elsewhere. */
  get pageHeight(): number {
    this.#ensureTops();
    return (this.#tops[this.#blocks.length] ?? 0) + TOP_PX + MARGIN_PX;
  }

  /** True when every block's height was measured by Qt. */
  get isLaidOut(): boolean {
    return this.#laidOut;
  }

  /** Lays out the visible part now (normally done on the next loop turn after a change). */
  update(): void {
    this.#updateQueued = false;
    if (this.#closed) return;
    const viewport = this.widget.viewport();
    const width = viewport.width();
    if (width !== this.#width) {
      this.#width = width;
      this.#remeasure();
    }
    const scrollBar = this.#scrollBar;
    const top = scrollBar.value();
    const bottom = top + Math.max(viewport.height(), 1);
    // Until the first paint only the viewport itself: the first screenful comes first.
    const overscan = this.#painted ? OVERSCAN_PX : 0;
    const [first, last] = this.#range(top - overscan, bottom + overscan);
    for (const index of [...this.#live.keys()]) if (index < first || index > last) this.#release(index);
    // Height changes of blocks above the first visible one move the page: keep what the reader sees in place.
    const [firstVisible] = this.#range(top, top + 1);
    let shift = 0;
    for (let index = first; index <= last; index++) {
      const before = this.#heights[index] ?? 0;
      this.#show(index);
      const after = this.#heights[index] ?? 0;
      if (index < firstVisible) shift += after - before;
    }
    this.#place(first, last);
    if (shift !== 0) scrollBar.setValue(top + shift);
    this.#scheduleMeasure();
  }

  /**
   * Makes the view as tall as the page (at most `maxHeight`) at `width`, so that every block
   * is shown: for pictures of a whole page (`render --png`, screenshot tests). The view
   * must be shown; the vertical scroll bar is switched off.
   */
  fitToPage(width: number, maxHeight: number): void {
    this.widget.setVerticalScrollBarPolicy(this.#qt.ScrollBarPolicy.ScrollBarAlwaysOff);
    this.widget.resize(width, Math.min(maxHeight, 600));
    this.update();
    // Heights settle as blocks are shown and measured: grow until they stop changing.
    let height = 0;
    for (let round = 0; round < 8; round++) {
      const wanted = Math.min(maxHeight, Math.ceil(this.pageHeight));
      if (wanted === height) break;
      height = wanted;
      this.widget.resize(width, height);
      this.update();
    }
  }

  /** Acts on link `index` of the plan as if the reader had clicked it (keyboard, automation, tests). */
  activateLink(index: number): void {
    if (Number.isInteger(index) && index >= 0 && index < this.#plan.links.length) this.#options.onLink(index);
  }

  /** How far the page is scrolled, in pixels. */
  get scrollY(): number {
    return this.#scrollBar.value();
  }

  /** Scrolls to `y` pixels from the top of the page and lays out what becomes visible. */
  scrollTo(y: number): void {
    this.#scrollBar.setValue(Math.max(0, Math.round(y)));
    this.update();
  }

  /** Scrolls so that block `index` is at the top of the viewport. */
  scrollToBlock(index: number): void {
    this.#ensureTops();
    const y = this.#tops[Math.max(0, Math.min(index, this.#blocks.length))] ?? 0;
    this.#scrollBar.setValue(Math.round(y + TOP_PX - 8));
    this.update();
  }

  /**
   * Find in page: selects the next (or previous) occurrence of `query`, case-insensitive,
   * and scrolls to it. Returns the match position as [number, total] ([0, 0] when none).
   */
  find(query: string, backwards = false): [number, number] {
    if (this.#find?.query !== query) {
      this.#find = { query, matches: findInPlan(this.#blocks.map((block) => blockText(block)), query), current: -1 };
    }
    const state = this.#find;
    if (state.matches.length === 0) return [0, 0];
    const count = state.matches.length;
    state.current = state.current < 0 ? (backwards ? count - 1 : 0) : (state.current + (backwards ? count - 1 : 1)) % count;
    const match = state.matches[state.current];
    if (match === undefined) return [0, 0];
    this.#ensureTops();
    const viewport = this.widget.viewport().height();
    const top = this.#tops[match.block] ?? 0;
    this.#scrollBar.setValue(Math.max(0, Math.round(top + TOP_PX - viewport / 3)));
    this.update();
    const block = this.#blocks[match.block];
    // The label shows the block's text with word breaks added (word-break.ts).
    const start = block === undefined ? match.offset : shownOffset(block, match.offset);
    const end = block === undefined ? match.offset + match.length : shownOffset(block, match.offset + match.length);
    this.#live.get(match.block)?.shown.label?.setSelection(start, end - start);
    return [state.current + 1, count];
  }

  /** Zoom factor of the text (clamped to 0.5–3). */
  get zoom(): number {
    return this.#zoom;
  }

  setZoom(zoom: number): void {
    const next = clampZoom(zoom);
    if (next === this.#zoom) return;
    this.#zoom = next;
    this.#restyle();
  }

  get theme(): ThemeName {
    return this.#theme;
  }

  setTheme(theme: ThemeName): void {
    if (theme === this.#theme) return;
    this.#theme = theme;
    this.#restyle();
  }

  /**
   * The widgets as data, read back from Qt (what the widgets really show). With `all`, every
   * block is shown in turn to be read (tests and `render --dump`); otherwise only the live ones.
   * With `places`, the blocks a person clicks in that are widgets now say where they are on
   * the screen (a window's dump, for tests that drive the mouse).
   */
  dump(all = true, { places = false }: { readonly places?: boolean } = {}): DumpNode[] {
    const out: DumpNode[] = [];
    for (let index = 0; index < this.#blocks.length; index++) {
      const block = this.#blocks[index];
      if (block === undefined) continue;
      const live = this.#live.get(index);
      if (live === undefined && !all) continue;
      let shown = live?.shown;
      if (shown === undefined) {
        shown = this.#build(block);
        // Measured so that the style sheet applies and the dump reads what would be shown.
        this.#measure(shown, this.#blockGeometry(block).width, false);
      }
      const links = linksOf(block).map((link) => this.#plan.links[link]?.href ?? '');
      // Screen places only for what a person can click now: blocks that are widgets on the page.
      const clickable = places && live !== undefined && (links.length > 0 || shown.button !== undefined);
      out.push({
        ...shown.dump(),
        links,
        indent: block.indent,
        quote: block.quote,
        ...(clickable ? { screen: screenRectOf(this.#qt, shown.widget) } : {}),
        ...(clickable && shown.button !== undefined ? { buttonScreen: screenRectOf(this.#qt, shown.button) } : {}),
      });
      if (live === undefined) this.#recycle(shown);
    }
    return out;
  }

  /** Deletes the widgets; the view is unusable afterwards. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const index of [...this.#live.keys()]) this.#release(index);
    this.#pool.clear();
    this.#images.close();
    this.#options.onChurn?.();
  }

  /** The page's colours and body font (theme.ts), which every block inherits. */
  #applyLook(): void {
    this.#qt.setColours(this.#content, pageColours(this.#theme));
    this.#content.setFont(qFont(this.#qt, bodyFace(this.#zoom)));
  }

  #makeContext(): BlockContext {
    const zoom = this.#zoom;
    const fonts = new Map<string, NodeGui.QFont | undefined>();
    return {
      qt: this.#qt,
      plan: this.#plan,
      files: this.#options.files ?? NO_SITE_FILES,
      images: this.#images,
      theme: this.#theme,
      zoom,
      fontOf: (role) => {
        if (!fonts.has(role)) {
          const { face } = roleLook(role, this.#theme, zoom);
          fonts.set(role, face === undefined ? undefined : qFont(this.#qt, face));
        }
        return fonts.get(role);
      },
      parent: this.#content,
      act: this.#handleAction,
    };
  }

  readonly #handleAction = (action: BlockAction): void => {
    switch (action.kind) {
      case 'link':
        this.#options.onLink(action.index);
        return;
      case 'play':
        this.#options.onPlay?.(action.path, action.file);
        return;
      case 'copy':
        this.#qt.QApplication.clipboard()?.setText(action.text);
        return;
    }
  };

  #restyle(): void {
    for (const index of [...this.#live.keys()]) this.#release(index);
    for (const pool of this.#pool.values()) for (const reusable of pool) reusable.widget.delete();
    this.#pool.clear();
    this.#applyLook();
    this.#context = this.#makeContext();
    this.#remeasure();
    this.#scheduleUpdate();
  }

  /** Column width available to a block, in pixels. */
  #blockGeometry(block: LayoutBlock): { x: number; width: number } {
    const x = MARGIN_PX + block.indent * INDENT_PX + block.quote * QUOTE_PX;
    return { x, width: Math.max(40, this.#width - x - MARGIN_PX) };
  }

  #resetHeights(): void {
    const width = Math.max(200, this.#width === 0 ? 800 : this.#width);
    this.#blocks.forEach((block, index) => {
      const x = MARGIN_PX + block.indent * INDENT_PX + block.quote * QUOTE_PX;
      this.#heights[index] = estimateHeight(block, width - x - MARGIN_PX, this.#zoom);
    });
    this.#measured.fill(0);
    this.#measureNext = 0;
    this.#laidOut = this.#blocks.length === 0;
    this.#topsValid = false;
    this.#resizeContent();
  }

  /**
   * Forgets every measured height (new width, zoom or theme) while keeping the reader's
   * place: the block at the top of the viewport stays there, at the same share of its height.
   */
  #remeasure(): void {
    const top = this.#scrollBar.value();
    const [anchor] = this.#range(top, top + 1);
    const anchorTop = TOP_PX + (this.#tops[anchor] ?? 0);
    const share = Math.min(1, Math.max(0, (top - anchorTop) / Math.max(1, this.#heights[anchor] ?? 1)));
    for (const index of [...this.#live.keys()]) this.#release(index);
    this.#resetHeights();
    if (top > 0) {
      this.#ensureTops();
      this.#scrollBar.setValue(Math.round(TOP_PX + (this.#tops[anchor] ?? 0) + share * (this.#heights[anchor] ?? 0)));
    }
  }

  #ensureTops(): void {
    if (this.#topsValid) return;
    const n = this.#blocks.length;
    let y = 0;
    for (let index = 0; index < n; index++) {
      this.#tops[index] = y;
      // The parts of a long table (layout.ts) join up: one table on the page, not many.
      const next = this.#blocks[index + 1];
      y += (this.#heights[index] ?? 0) + (next?.kind === 'table' && next.part > 0 ? 0 : BLOCK_GAP_PX);
    }
    this.#tops[n] = y;
    this.#topsValid = true;
  }

  #resizeContent(): void {
    const height = Math.ceil(this.pageHeight);
    this.#content.setMinimumHeight(height);
    // Resized now, not when Qt gets to the layout request: the scroll range must cover the
    // page before the view scrolls (QScrollArea updates its scroll bars on the resize).
    const viewport = this.widget.viewport();
    if (this.#content.height() < height) this.#content.resize(viewport.width(), Math.max(height, viewport.height()));
  }

  /** Indexes of the first and last block that intersect [from, to) in page coordinates. */
  #range(from: number, to: number): [number, number] {
    this.#ensureTops();
    const n = this.#blocks.length;
    if (n === 0) return [0, -1];
    let lo = 0;
    let hi = n - 1;
    const start = from - TOP_PX;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.#tops[mid] ?? 0) <= start) lo = mid;
      else hi = mid - 1;
    }
    let last = lo;
    while (last + 1 < n && (this.#tops[last + 1] ?? 0) < to - TOP_PX) last++;
    return [lo, last];
  }

  #build(block: LayoutBlock): BlockWidget {
    const key = poolKeyOf(block);
    if (key === undefined) return createBlockWidget(this.#context, block);
    const reusable = this.#pool.get(key)?.pop() ?? createReusable(this.#context, key);
    return reusable.fill(block);
  }

  #recycle(shown: BlockWidget): void {
    this.#options.onChurn?.();
    shown.widget.hide();
    const reusable = shown.reusable;
    if (reusable !== undefined) {
      const pool = this.#pool.get(reusable.key) ?? [];
      if (pool.length < POOL_LIMIT) {
        pool.push(reusable);
        this.#pool.set(reusable.key, pool);
        return;
      }
    }
    shown.widget.delete();
  }

  #show(index: number): void {
    if (this.#live.has(index)) return;
    const block = this.#blocks[index];
    if (block === undefined) return;
    this.#options.onChurn?.();
    const shown = this.#build(block);
    const { x, width } = this.#blockGeometry(block);
    this.#setHeight(index, this.#measure(shown, width));
    this.#live.set(index, { shown, x, width });
  }

  /**
   * Qt applies the style sheet (fonts, padding) when a widget is first shown; a height asked
   * for before that is the height of the default font. So: shown first, out of sight.
   */
  #measure(shown: BlockWidget, width: number, display = true): number {
    const widget = shown.widget;
    if (display || !this.#polished.has(widget)) {
      widget.setGeometry(-2 * width - 100, 0, width, 10);
      widget.show();
      this.#polished.add(widget);
    }
    const height = shown.measure(width, display);
    if (!display) widget.hide();
    return height;
  }

  #release(index: number): void {
    const live = this.#live.get(index);
    if (live === undefined) return;
    this.#live.delete(index);
    this.#recycle(live.shown);
  }

  #setHeight(index: number, height: number): void {
    const value = Math.max(1, Math.ceil(height));
    if (this.#measured[index] === 0) this.#measured[index] = 1;
    if (this.#heights[index] !== value) {
      this.#heights[index] = value;
      this.#topsValid = false;
    }
  }

  #place(first: number, last: number): void {
    this.#ensureTops();
    this.#resizeContent();
    for (let index = first; index <= last; index++) {
      const live = this.#live.get(index);
      if (live === undefined) continue;
      live.shown.widget.setGeometry(live.x, Math.round(TOP_PX + (this.#tops[index] ?? 0)), live.width, this.#heights[index] ?? 1);
    }
  }

  #scheduleUpdate(): void {
    if (this.#updateQueued || this.#closed) return;
    this.#updateQueued = true;
    setImmediate(() => {
      this.update();
    });
  }

  #scheduleMeasure(): void {
    if (this.#measureQueued || this.#laidOut || this.#closed || this.#options.measureInBackground === false) return;
    this.#measureQueued = true;
    setImmediate(this.#measureSlice);
  }

  /** Measures blocks that were never shown, a few milliseconds at a time. */
  readonly #measureSlice = (): void => {
    this.#measureQueued = false;
    if (this.#closed || this.#width === 0) return;
    const deadline = performance.now() + MEASURE_SLICE_MS;
    const n = this.#blocks.length;
    let changed = false;
    while (this.#measureNext < n && performance.now() < deadline) {
      const index = this.#measureNext++;
      const block = this.#blocks[index];
      if (block === undefined || this.#measured[index] === 1) continue;
      const shown = this.#build(block);
      const before = this.#heights[index];
      this.#setHeight(index, this.#measure(shown, this.#blockGeometry(block).width, false));
      changed ||= before !== this.#heights[index];
      this.#recycle(shown);
    }
    if (changed) {
      // Keep the first visible block where it is while heights above it change.
      const scrollBar = this.#scrollBar;
      const top = scrollBar.value();
      const [firstVisible] = this.#range(top, top + 1);
      const offset = top - (this.#tops[firstVisible] ?? 0);
      this.#topsValid = false;
      this.#ensureTops();
      this.#resizeContent();
      scrollBar.setValue(Math.round((this.#tops[firstVisible] ?? 0) + offset));
      this.#scheduleUpdate();
    }
    if (this.#measureNext >= n) {
      this.#laidOut = true;
      this.#options.onLaidOut?.();
      return;
    }
    this.#scheduleMeasure();
  };
}

function linksOf(block: LayoutBlock): number[] {
  const runs =
    block.kind === 'heading' || block.kind === 'paragraph'
      ? block.runs
      : block.kind === 'table'
        ? [...block.header, ...block.rows].flat(2)
        : [];
  const out: number[] = [];
  for (const run of runs) if (run.link !== undefined && !out.includes(run.link)) out.push(run.link);
  return out;
}

/** A Qt font of `face`; what `face` leaves out (the family, mostly) is inherited from the parent widget. */
function qFont(qt: Qt, face: TypeFace): NodeGui.QFont {
  const font = new qt.QFont();
  font.setPixelSize(face.px);
  if (face.family !== undefined) font.setFamily(face.family);
  if (face.weight !== 400) font.setWeight(face.weight === 700 ? qt.QFontWeight.Bold : qt.QFontWeight.DemiBold);
  return font;
}
