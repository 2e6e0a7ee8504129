/**
 * One layout block -> the native widgets that show it (NodeGui passed in). Text, code and
 * table blocks are shown by reusable widgets taken from a pool and given back when they
 * scroll away; pictures and media blocks are built when shown and deleted when they leave.
 *
 * Every label is told its text format: plain text for literal text, rich text only from
 * rich-text.ts (QLabel would otherwise guess — FACTS.md).
 */
import type * as NodeGui from '@nodegui/nodegui';
import { assertNever } from '../core/assert-never.js';
import { fitToColumn } from './image-check.js';
import type { LayoutBlock, LayoutPlan } from './layout.js';
import { escapeRichText, linkIndexOf, runsToRichText } from './rich-text.js';
import type { PageImages } from './page-images.js';
import type { SiteFiles } from './site-files.js';
import { breakLongWords, withoutBreaks } from './word-break.js';
import { linkColour, roleLook, roleStyleSheet, type ThemeName } from './theme.js';
import type { Qt } from './nodegui-subset.js';

export type { Qt };

/** What the reader asked for from inside a block. */
export type BlockAction =
  | { readonly kind: 'link'; readonly index: number }
  | { readonly kind: 'play'; readonly path: string; readonly file: string }
  | { readonly kind: 'copy'; readonly text: string };

export interface BlockContext {
  readonly qt: Qt;
  readonly plan: LayoutPlan;
  readonly files: SiteFiles;
  /** The page's pictures, decoded once at the size shown and shared (page-images.ts). */
  readonly images: PageImages;
  readonly theme: ThemeName;
  readonly zoom: number;
  /** The font of a role that does not take the page's (theme.ts roleLook), shared by its widgets. */
  readonly fontOf: (role: string) => NodeGui.QFont | undefined;
  readonly parent: NodeGui.QWidget;
  readonly act: (action: BlockAction) => void;
}

/** One entry of the widget tree dump (`swarmpress render --dump`, GUI tests). */
export interface DumpNode {
  readonly type: string;
  readonly role: string;
  readonly text: string;
  readonly links: readonly string[];
  readonly indent: number;
  readonly quote: number;
  /** Style keys as the widget carries them (format, alignment, font, direction...). */
  readonly style: Readonly<Record<string, string | number | boolean>>;
  /** Table cells, row by row (header first), read back from their labels. */
  readonly cells?: readonly (readonly string[])[];
  /**
   * Where the block is on the screen now, for blocks a person clicks in (text with links,
   * media): present only while the block is shown as widgets.
   */
  readonly screen?: ScreenRect;
  /** Where the block's own button (a media block's Play) is on the screen now, same rule. */
  readonly buttonScreen?: ScreenRect;
}

/** A rectangle in global screen coordinates, in pixels. */
export interface ScreenRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Where `widget` is on the screen (QWidget.mapToGlobal of its top-left corner). */
export function screenRectOf(qt: Qt, widget: NodeGui.QWidget): ScreenRect {
  const origin = widget.mapToGlobal(new qt.QPoint(0, 0));
  return { x: origin.x(), y: origin.y(), width: widget.width(), height: widget.height() };
}

/** A block shown as widgets. */
export interface BlockWidget {
  readonly widget: NodeGui.QWidget;
  /** The pooled widget showing the block, given back on release; undefined when the widget is deleted. */
  readonly reusable: Reusable | undefined;
  /** The label whose text find-in-page selects, when there is one. */
  readonly label: NodeGui.QLabel | undefined;
  /** The button that acts on the whole block (a media block's Play), when there is one. */
  readonly button?: NodeGui.QPushButton;
  /**
   * Height at `width` pixels, as Qt lays it out. `visible` is false when the block is only
   * measured, never shown (a picture is then not decoded: its header gives its height).
   */
  measure(width: number, visible: boolean): number;
  dump(): Omit<DumpNode, 'indent' | 'quote' | 'links' | 'screen' | 'buttonScreen'>;
}

/** Qt::AlignAbsolute (qnamespace.h), missing from NodeGui's enum. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- a real Qt flag NodeGui's enum lacks
const ALIGN_ABSOLUTE = 0x0010 as NodeGui.AlignmentFlag;

/** A widget that shows one block at a time and is refilled with the next block of its pool. */
export interface Reusable {
  readonly key: string;
  readonly widget: NodeGui.QWidget;
  fill(block: LayoutBlock): BlockWidget;
}

const RICH_ROLES = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'paragraph']);

/** The role (style sheet selector) of a block. */
export function roleOf(block: LayoutBlock): string {
  return block.kind === 'heading' ? `h${block.level}` : block.kind;
}

/** Pool key of the reusable widget that shows `block`, or undefined when its widgets are built each time. */
export function poolKeyOf(block: LayoutBlock): string | undefined {
  const quoted = block.quote > 0 ? 'q' : '';
  switch (block.kind) {
    case 'heading':
    case 'paragraph':
    case 'literal':
    case 'rule':
    case 'code':
      return `${roleOf(block)}${quoted}`;
    case 'table':
      return `table:${columnsOf(block)}`;
    default:
      return undefined;
  }
}

/** A fresh reusable widget for pool `key` (poolKeyOf). */
export function createReusable(context: BlockContext, key: string): Reusable {
  if (key.replace(/q$/, '') === 'code') return createCodeFrame(context, key);
  const table = /^table:([0-9]+)$/.exec(key);
  if (table !== null) return createTableGrid(context, key, Number(table[1]));
  const label = createPooledLabel(context, key);
  const reusable: Reusable = { key, widget: label, fill: (block) => fillLabel(context, label, block, reusable) };
  return reusable;
}

/** A fresh label for pool `key`, wired to report link activations. */
function createPooledLabel(context: BlockContext, key: string): NodeGui.QLabel {
  const { qt } = context;
  const label = new qt.QLabel(context.parent);
  const role = key.replace(/q$/, '');
  const quoted = key.endsWith('q');
  label.setProperty('role', role);
  label.setProperty('quoted', quoted ? 'true' : 'false');
  setRoleLook(context, label, role, quoted);
  if (RICH_ROLES.has(role)) {
    makeRich(context, label);
  } else {
    label.setTextFormat(qt.TextFormat.PlainText);
    // Literal text wraps too: a long line of raw HTML was cut at the right edge (issue #22).
    label.setWordWrap(true);
    if (role !== 'rule') label.setTextInteractionFlags(qt.TextInteractionFlag.TextSelectableByMouse);
  }
  return label;
}

/** Puts `block` into a pooled label (from createPooledLabel with poolKeyOf(block)). */
function fillLabel(context: BlockContext, label: NodeGui.QLabel, block: LayoutBlock, reusable: Reusable): BlockWidget {
  const { qt } = context;
  const colour = linkColour(context.theme);
  let rtl = false;
  switch (block.kind) {
    case 'heading':
      rtl = block.rtl;
      label.setText(runsToRichText(block.runs, colour, true));
      break;
    case 'paragraph':
      rtl = block.rtl;
      label.setText((block.marker === '' ? '' : `${escapeRichText(block.marker)}&nbsp;&nbsp;`) + runsToRichText(block.runs, colour, true));
      break;
    case 'literal':
      label.setText(breakLongWords(block.text));
      break;
    case 'rule':
      label.setText('');
      label.setFixedHeight(1);
      break;
    default:
      throw new TypeError(`a ${block.kind} block is not shown in a pooled label`);
  }
  // Right-to-left paragraphs: Qt's text layout orders the characters (bidi); the block is aligned right.
  // AlignAbsolute: Qt mirrors Left/Right inside a right-to-left block unless told they are absolute.
  label.setAlignment((rtl ? qt.AlignmentFlag.AlignRight : qt.AlignmentFlag.AlignLeft) | ALIGN_ABSOLUTE | qt.AlignmentFlag.AlignTop);
  if (label.hasSelectedText()) label.setSelection(0, 0);
  const role = roleOf(block);
  return {
    widget: label,
    reusable,
    label,
    measure: (width) => (block.kind === 'rule' ? 1 : label.heightForWidth(width)),
    dump: () => ({
      type: 'QLabel',
      role,
      text: label.textFormat() === qt.TextFormat.PlainText ? withoutBreaks(label.text()) : plainFromRich(label.text()),
      style: {
        format: label.textFormat() === qt.TextFormat.PlainText ? 'plain' : 'rich',
        rtl,
        align: rtl ? 'right' : 'left',
        fontPx: label.font().pixelSize(),
        ...(label.hasSelectedText() ? { selected: label.selectedText() } : {}),
      },
    }),
  };
}

/** Builds the widgets of a block that is not a pooled label. */
export function createBlockWidget(context: BlockContext, block: LayoutBlock): BlockWidget {
  switch (block.kind) {
    case 'image':
      return createImage(context, block);
    case 'media':
      return createMedia(context, block);
    case 'placeholder':
      return createPlaceholder(context, imageNotice(block.alt, block.reason));
    case 'heading':
    case 'paragraph':
    case 'literal':
    case 'rule':
    case 'code':
    case 'table':
      throw new TypeError(`a ${block.kind} block is shown in a reusable widget`);
    default:
      return assertNever(block, 'layout block');
  }
}

function imageNotice(description: string, reason: string): string {
  return `Image${description === '' ? '' : ` “${description}”`} not shown: ${reason}`;
}

function createPlaceholder(context: BlockContext, text: string): BlockWidget {
  const { qt } = context;
  const label = new qt.QLabel(context.parent);
  label.setProperty('role', 'placeholder');
  setRoleLook(context, label, 'placeholder', false);
  label.setTextFormat(qt.TextFormat.PlainText);
  label.setWordWrap(true);
  label.setText(breakLongWords(text));
  label.setTextInteractionFlags(qt.TextInteractionFlag.TextSelectableByMouse);
  return {
    widget: label,
    reusable: undefined,
    label,
    measure: (width) => label.heightForWidth(width),
    dump: () => ({ type: 'QLabel', role: 'placeholder', text: withoutBreaks(label.text()), style: { format: 'plain' } }),
  };
}

function createCodeFrame(context: BlockContext, key: string): Reusable {
  const { qt } = context;
  const frame = new qt.QScrollArea(context.parent);
  frame.setProperty('role', 'code-frame');
  setRoleLook(context, frame, 'code-frame', false);
  frame.setVerticalScrollBarPolicy(qt.ScrollBarPolicy.ScrollBarAlwaysOff);
  frame.setHorizontalScrollBarPolicy(qt.ScrollBarPolicy.ScrollBarAsNeeded);
  frame.setWidgetResizable(true);
  const label = new qt.QLabel();
  label.setProperty('role', 'code');
  label.setTextFormat(qt.TextFormat.PlainText);
  label.setWordWrap(false);
  label.setTextInteractionFlags(qt.TextInteractionFlag.TextSelectableByMouse);
  label.setAlignment(qt.AlignmentFlag.AlignLeft | qt.AlignmentFlag.AlignTop);
  frame.setWidget(label);
  const copy = new qt.QPushButton(frame);
  copy.setText('Copy');
  copy.setToolTip('Copy this code');
  let shown: Extract<LayoutBlock, { kind: 'code' }> | undefined;
  copy.addEventListener('clicked', () => {
    const group = shown?.group;
    const parts = context.plan.blocks.filter((other) => other.kind === 'code' && other.group === group);
    context.act({ kind: 'copy', text: parts.map((part) => (part.kind === 'code' ? part.text : '')).join('\n') });
  });
  const reusable: Reusable = {
    key,
    widget: frame,
    fill: (block) => {
      if (block.kind !== 'code') throw new TypeError(`a ${block.kind} block is not shown in a code frame`);
      shown = block;
      label.setText(block.text);
      label.setSelection(0, 0);
      frame.horizontalScrollBar().setValue(0);
      return {
        widget: frame,
        reusable,
        label,
        measure: (width) => {
          const hint = label.sizeHint();
          const scrollBar = hint.width() > width ? frame.horizontalScrollBar().sizeHint().height() : 0;
          const buttonWidth = copy.sizeHint().width();
          copy.setGeometry(width - buttonWidth - 4, 4, buttonWidth, copy.sizeHint().height());
          copy.raise();
          return hint.height() + scrollBar + 2;
        },
        dump: () => ({ type: 'QScrollArea>QLabel', role: 'code', text: label.text(), style: { format: 'plain', lang: block.lang, wrap: false, copy: copy.text() } }),
      };
    },
  };
  return reusable;
}

/**
 * Gives `widget` the look of its role: the style sheet of the role when it has one, or else
 * a font, palette colours and padding of its own where the role differs from the page (theme.ts).
 */
function setRoleLook(context: BlockContext, widget: NodeGui.QWidget, role: string, quoted: boolean): void {
  const sheet = roleStyleSheet(role, quoted, context.theme, context.zoom);
  if (sheet !== '') {
    // Plain Qt CSS: NodeGui's postprocessing (postcss, for its flex layout) has nothing to do.
    widget.setStyleSheet(sheet, false);
    return;
  }
  const look = roleLook(role, context.theme, context.zoom);
  const font = context.fontOf(role);
  if (font !== undefined) widget.setFont(font);
  if (look.colours !== undefined) context.qt.setColours(widget, look.colours);
  if (look.fill === true) widget.setAutoFillBackground(true);
  if (look.padding !== undefined) {
    // QLabel's own margin: contents margins set on a label were lost once its geometry was set
    // (Qt 6.4: its size hint left them out), and the page sets a block's geometry to measure it.
    if (!(widget instanceof context.qt.QLabel)) throw new TypeError(`a ${role} block is drawn by a label`);
    widget.setMargin(look.padding);
  }
}

/**
 * Makes `label` show rich text from our serializer (Qt is told so rather than guessing) and
 * report activated links as plan link indexes.
 */
function makeRich(context: BlockContext, label: NodeGui.QLabel): void {
  const { qt } = context;
  label.setTextFormat(qt.TextFormat.RichText);
  label.setWordWrap(true);
  label.setOpenExternalLinks(false);
  label.setTextInteractionFlags(qt.TextInteractionFlag.TextBrowserInteraction);
  label.addEventListener('linkActivated', (href: string) => {
    const index = linkIndexOf(href);
    if (index !== undefined) context.act({ kind: 'link', index });
  });
}

function cellLabel(context: BlockContext, grid: NodeGui.QWidget, header: boolean): NodeGui.QLabel {
  const { qt } = context;
  const label = new qt.QLabel(grid);
  label.setProperty('role', header ? 'header-cell' : 'cell');
  makeRich(context, label);
  return label;
}

/** Columns of a table block (rows may be ragged: the widest row counts). */
function columnsOf(block: Extract<LayoutBlock, { kind: 'table' }>): number {
  let columns = block.header.length;
  for (const row of block.rows) columns = Math.max(columns, row.length);
  return columns;
}

/**
 * A grid for tables of one column count, reused from table to table: rows are added as a
 * longer table needs them and hidden when a shorter one is shown (a hidden widget takes no
 * room in a grid layout). The grid sits in a frame that scrolls sideways: a table wider
 * than the column keeps every cell whole, never squeezed below its longest word (cells
 * were cut to "Colum" and "valu" before, issue #22).
 */
function createTableGrid(context: BlockContext, key: string, columns: number): Reusable {
  const { qt } = context;
  const frame = new qt.QScrollArea(context.parent);
  frame.setProperty('role', 'table-frame');
  frame.setVerticalScrollBarPolicy(qt.ScrollBarPolicy.ScrollBarAlwaysOff);
  frame.setHorizontalScrollBarPolicy(qt.ScrollBarPolicy.ScrollBarAsNeeded);
  frame.setWidgetResizable(false);
  // Plain Qt CSS, see setRoleLook: no frame, the page's background.
  frame.setStyleSheet('QScrollArea { border: none; background: transparent; }', false);
  // The viewport would paint the application's light background under the cells.
  frame.viewport().setAutoFillBackground(false);
  const grid = new qt.QWidget();
  grid.setProperty('role', 'table');
  setRoleLook(context, grid, 'table', false);
  const layout = new qt.QGridLayout();
  layout.setSpacing(0);
  layout.setContentsMargins(0, 0, 0, 0);
  grid.setLayout(layout);
  frame.setWidget(grid);
  // setWidget makes the grid paint its background, the application's light one.
  grid.setAutoFillBackground(false);
  const labels: NodeGui.QLabel[][] = [];
  const reusable: Reusable = {
    key,
    widget: frame,
    fill: (block) => {
      if (block.kind !== 'table') throw new TypeError(`a ${block.kind} block is not shown in a table grid`);
      const rows = [block.header, ...block.rows];
      while (labels.length < rows.length) {
        const r = labels.length;
        const line: NodeGui.QLabel[] = [];
        for (let c = 0; c < columns; c++) {
          const label = cellLabel(context, grid, r === 0);
          layout.addWidget(label, r, c);
          line.push(label);
        }
        labels.push(line);
      }
      const colour = linkColour(context.theme);
      labels.forEach((line, r) => {
        const row = rows[r];
        line.forEach((label, c) => {
          if (row === undefined) {
            label.hide();
            return;
          }
          const align = block.align[c] ?? null;
          const horizontal = align === 'center' ? qt.AlignmentFlag.AlignHCenter : align === 'right' ? qt.AlignmentFlag.AlignRight : qt.AlignmentFlag.AlignLeft;
          label.setAlignment(horizontal | qt.AlignmentFlag.AlignTop);
          label.setText(runsToRichText(row[c] ?? [], colour, true));
          label.show();
        });
      });
      frame.horizontalScrollBar().setValue(0);
      let gridWidth = 0;
      return {
        widget: frame,
        reusable,
        label: undefined,
        measure: (width) => {
          // As wide as the column, or as wide as the cells need when that is wider (the
          // layout's minimum, whatever fixed size an earlier table gave the grid).
          gridWidth = Math.max(width, grid.minimumSizeHint().width());
          const found = grid.heightForWidth(gridWidth);
          const height = found > 0 ? found : grid.sizeHint().height();
          grid.setFixedSize(gridWidth, height);
          const scrollBar = gridWidth > width ? frame.horizontalScrollBar().sizeHint().height() : 0;
          return height + scrollBar;
        },
        dump: () => {
          const cells = labels.slice(0, rows.length).map((line) => line.map((label) => plainFromRich(label.text())));
          return {
            type: 'QScrollArea>QGridLayout',
            role: 'table',
            text: cells.map((line) => line.join('\t')).join('\n'),
            style: { columns, rows: rows.length, align: block.align.map((a) => a ?? 'none').join(','), gridWidth, scrolls: gridWidth > frame.width() },
            cells,
          };
        },
      };
    },
  };
  return reusable;
}

function createImage(context: BlockContext, block: Extract<LayoutBlock, { kind: 'image' }>): BlockWidget {
  const { qt, images } = context;
  const name = block.alt === '' ? block.path : block.alt;
  const verdict = images.check(block.path);
  if (!verdict.ok) return createPlaceholder(context, imageNotice(name, verdict.reason));
  const label = new qt.QLabel(context.parent);
  label.setProperty('role', 'image');
  label.setToolTip(block.alt);
  let shownWidth = -1;
  let refused = '';
  return {
    widget: label,
    reusable: undefined,
    label: undefined,
    measure: (width, visible) => {
      const size = fitToColumn(verdict.width, verdict.height, width);
      if (!visible || size.width === shownWidth) return refused === '' ? size.height : label.heightForWidth(width);
      // Decoded when shown, at the size shown, once per page for every reference to the file.
      const shown = images.show(label, block.path, width);
      if (!shown.ok) {
        // Said in place of the picture: the page's picture budget is spent, or the file is damaged.
        refused = imageNotice(name, shown.reason);
        label.setProperty('role', 'placeholder');
        setRoleLook(context, label, 'placeholder', false);
        label.setTextFormat(qt.TextFormat.PlainText);
        label.setWordWrap(true);
        label.setText(refused);
        shownWidth = size.width;
        return label.heightForWidth(width);
      }
      shownWidth = size.width;
      return size.height;
    },
    dump: () =>
      refused === ''
        ? { type: 'QLabel(QPixmap)', role: 'image', text: block.alt, style: { format: verdict.format, width: verdict.width, height: verdict.height, shownWidth } }
        : { type: 'QLabel', role: 'placeholder', text: refused, style: { format: 'plain' } },
  };
}

/** A size for people: bytes, KB, MB or GB (1024-based, one decimal). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

function createMedia(context: BlockContext, block: Extract<LayoutBlock, { kind: 'media' }>): BlockWidget {
  const { qt } = context;
  const found = context.files.find(block.path);
  const box = new qt.QWidget(context.parent);
  box.setProperty('role', 'media');
  setRoleLook(context, box, 'media', false);
  const row = new qt.QBoxLayout(qt.Direction.LeftToRight);
  row.setContentsMargins(10, 6, 10, 6);
  box.setLayout(row);
  const name = new qt.QLabel();
  name.setProperty('role', 'media-name');
  name.setTextFormat(qt.TextFormat.PlainText);
  name.setWordWrap(true);
  const title = `${block.alt === '' ? '' : `${block.alt} — `}${block.path}`;
  name.setText(breakLongWords(found.ok ? `▶ ${title} (${formatBytes(found.bytes)})` : `▶ ${title} — ${found.reason}`));
  row.addWidget(name, 1);
  const play = new qt.QPushButton();
  play.setText('Play');
  play.setEnabled(found.ok);
  if (found.ok) play.addEventListener('clicked', () => {
    context.act({ kind: 'play', path: block.path, file: found.file });
  });
  row.addWidget(play);
  return {
    widget: box,
    reusable: undefined,
    label: name,
    button: play,
    measure: (width) => {
      const height = box.heightForWidth(width);
      return height > 0 ? height : box.sizeHint().height();
    },
    dump: () => ({ type: 'QWidget(media)', role: 'media', text: withoutBreaks(name.text()), style: { play: play.text(), enabled: found.ok, bytes: found.ok ? found.bytes : -1 } }),
  };
}

/** The visible text of a rich-text label (our own markup only: tags and a few entities), without the word breaks we added. */
export function plainFromRich(html: string): string {
  return withoutBreaks(html)
    .replace(/<br>/g, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, '\u00a0')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
