/**
 * The layout plan: a document as a flat list of blocks, each with its nesting, ready to be
 * turned into widgets one by one. Pure and deterministic (snapshot-testable); a flat list
 * is what lets the view materialise only the visible range.
 */
import { assertNever } from '../core/assert-never.js';
import type { Align, Block, Doc, Inline } from '../core/doc.js';
import { inlineText } from '../core/doc.js';
import { classifyLink, type LinkTarget } from '../core/link.js';
import { isRightToLeft } from './direction.js';
import { classifyResource } from './resource.js';

/** A run of text with one style. `link` indexes `LayoutPlan.links`. */
export interface Run {
  readonly text: string;
  readonly bold?: true;
  readonly italic?: true;
  readonly strike?: true;
  readonly code?: true;
  readonly link?: number;
}

interface Placement {
  /** List nesting level (0 = not in a list). */
  readonly indent: number;
  /** Block-quote depth (0 = not quoted). */
  readonly quote: number;
}

export type LayoutBlock = Placement &
  (
    | { readonly kind: 'heading'; readonly level: 1 | 2 | 3 | 4 | 5 | 6; readonly runs: readonly Run[]; readonly rtl: boolean }
    /** `marker` is the list bullet or number of the item's first paragraph. */
    | { readonly kind: 'paragraph'; readonly runs: readonly Run[]; readonly marker: string; readonly rtl: boolean }
    /** A long code block is cut into parts; `group` is the index of its first part (copy takes all). */
    | { readonly kind: 'code'; readonly lang: string; readonly text: string; readonly group: number }
    /** Raw HTML and notices, shown literally. */
    | { readonly kind: 'literal'; readonly text: string }
    | { readonly kind: 'rule' }
    /**
     * A table, or one part of a long table: a long table is cut into parts of at most
     * TABLE_PART_CELLS cells, each a block of its own, so that only the parts near the
     * viewport become widgets. Every part carries the header, shown again at its top (a
     * printed table's running head); `part` counts the parts of one table from 0.
     */
    | {
        readonly kind: 'table';
        readonly part: number;
        readonly align: readonly Align[];
        readonly header: readonly (readonly Run[])[];
        readonly rows: readonly (readonly (readonly Run[])[])[];
      }
    /** A picture of the same site (`path` inside the site, relative to the page's folder). */
    | { readonly kind: 'image'; readonly path: string; readonly alt: string }
    /** An audio or video file of the same site. */
    | { readonly kind: 'media'; readonly path: string; readonly alt: string }
    /** An image that is not loaded, with the reason the reader sees. */
    | { readonly kind: 'placeholder'; readonly alt: string; readonly reason: string }
  );

export type LayoutKind = LayoutBlock['kind'];

export interface PlanLink {
  readonly href: string;
  readonly target: LinkTarget;
}

export interface LayoutPlan {
  /** The text of the first heading, or '' when there is none. */
  readonly title: string;
  readonly blocks: readonly LayoutBlock[];
  readonly links: readonly PlanLink[];
  readonly notices: readonly string[];
}

interface Style {
  bold?: true;
  italic?: true;
  strike?: true;
  link?: number;
}

/** Most table columns drawn as a grid; wider tables keep their text in the last column. */
export const MAX_TABLE_COLUMNS = 64;
/**
 * Most cells of one part of a table (header included). One table was one block: its 120,000
 * rows became 120,000 rows of labels at once, past 6 GB with nothing painted (issue #25).
 */
export const TABLE_PART_CELLS = 512;
/** Most rows of one part of a table, below the header (a part stays about a screen or two tall). */
export const TABLE_PART_ROWS = 48;

/** Rows in each part of a table of `columns` columns. */
export function tablePartRows(columns: number): number {
  return Math.max(1, Math.min(TABLE_PART_ROWS, Math.floor(TABLE_PART_CELLS / Math.max(1, columns)) - 1));
}

class Planner {
  readonly blocks: LayoutBlock[] = [];
  readonly links: PlanLink[] = [];
  title = '';

  addBlocks(blocks: readonly Block[], place: Placement, firstMarker: string): void {
    let marker = firstMarker;
    for (const block of blocks) {
      this.addBlock(block, place, marker);
      marker = '';
    }
  }

  addBlock(block: Block, place: Placement, marker: string): void {
    switch (block.type) {
      case 'heading': {
        if (this.title === '') this.title = inlineText(block.children).trim();
        const runs = this.runs(block.children);
        this.blocks.push({ kind: 'heading', level: block.level, runs, rtl: isRightToLeft(textOf(runs)), ...place });
        this.addImages(block.children, place);
        return;
      }
      case 'paragraph':
        this.addParagraph(block.children, place, marker);
        return;
      case 'code': {
        const group = this.blocks.length;
        for (const text of cutLines(block.text.replace(/\n$/, ''))) this.blocks.push({ kind: 'code', lang: block.lang, text, group, ...place });
        return;
      }
      case 'html':
        for (const text of cutLines(block.text.replace(/\n+$/, ''))) this.blocks.push({ kind: 'literal', text, ...place });
        return;
      case 'rule':
        this.blocks.push({ kind: 'rule', ...place });
        return;
      case 'blockquote':
        this.addBlocks(block.children, { indent: place.indent, quote: place.quote + 1 }, marker);
        return;
      case 'list':
        block.items.forEach((item, index) => {
          const bullet = item.checked === true ? '☑' : item.checked === false ? '☐' : block.ordered ? `${block.start + index}.` : '•';
          const inner = { indent: place.indent + 1, quote: place.quote };
          if (item.children.length === 0) this.blocks.push({ kind: 'paragraph', runs: [], marker: bullet, rtl: false, ...inner });
          else this.addBlocks(item.children, inner, bullet);
        });
        return;
      case 'table':
        this.addTable(block, place);
        return;
      default:
        assertNever(block, 'block');
    }
  }

  /** A paragraph; its images become blocks of their own after it (a picture needs the column). */
  addParagraph(children: readonly Inline[], place: Placement, marker: string): void {
    const onlyImages = children.every((node) => node.type === 'image' || (node.type === 'text' && node.text.trim() === '') || node.type === 'break');
    if (!onlyImages || marker !== '') {
      let first = marker;
      for (const runs of cutRuns(this.runs(children))) {
        this.blocks.push({ kind: 'paragraph', runs, marker: first, rtl: isRightToLeft(textOf(runs)), ...place });
        first = '';
      }
    }
    this.addImages(children, place);
  }

  addImages(children: readonly Inline[], place: Placement): void {
    for (const node of children) {
      if (node.type === 'image') {
        const resource = classifyResource(node.src);
        if (resource.kind === 'refused') this.blocks.push({ kind: 'placeholder', alt: node.alt, reason: resource.reason, ...place });
        else this.blocks.push({ kind: resource.kind, path: resource.path, alt: node.alt, ...place });
      } else if (node.type === 'emphasis' || node.type === 'strong' || node.type === 'strike' || node.type === 'link') {
        this.addImages(node.children, place);
      }
    }
  }

  addTable(block: Extract<Block, { type: 'table' }>, place: Placement): void {
    const fit = (cells: readonly (readonly Inline[])[]): Run[][] => {
      // Exact-size arrays (slice): a pushed-to array keeps room for 16 more, and a long table has
      // hundreds of thousands of cells.
      const runs = cells.map((cell) => this.runs(cell).slice());
      if (runs.length <= MAX_TABLE_COLUMNS) return runs;
      // A 20,000-column table would need 20,000 widgets per row: the rest is one cell of text.
      const head = runs.slice(0, MAX_TABLE_COLUMNS - 1);
      const rest: Run[] = [];
      for (const cell of runs.slice(MAX_TABLE_COLUMNS - 1)) rest.push(...cell, { text: ' | ' });
      return [...head, rest.slice(0, -1)];
    };
    const align = block.align.slice(0, MAX_TABLE_COLUMNS);
    const header = fit(block.header);
    let columns = header.length;
    for (const row of block.rows) columns = Math.max(columns, Math.min(row.length, MAX_TABLE_COLUMNS));
    const step = tablePartRows(columns);
    let part = 0;
    for (let at = 0; at === 0 || at < block.rows.length; at += step) {
      const rows = block.rows.slice(at, at + step).map((row) => fit(row));
      this.blocks.push({ kind: 'table', part: part++, align, header, rows, ...place });
    }
  }

  runs(nodes: readonly Inline[], style: Style = {}, out: Run[] = []): Run[] {
    for (const node of nodes) {
      switch (node.type) {
        case 'text':
        case 'html':
          out.push({ text: node.text, ...style });
          break;
        case 'code':
          out.push({ text: node.text, code: true, ...style });
          break;
        case 'emphasis':
          this.runs(node.children, { ...style, italic: true }, out);
          break;
        case 'strong':
          this.runs(node.children, { ...style, bold: true }, out);
          break;
        case 'strike':
          this.runs(node.children, { ...style, strike: true }, out);
          break;
        case 'link': {
          const link = this.links.push({ href: node.href, target: classifyLink(node.href) }) - 1;
          this.runs(node.children, { ...style, link }, out);
          break;
        }
        case 'image':
          // The picture itself follows as a block of its own (addImages); inside text, its description.
          if (node.alt !== '') out.push({ text: node.alt, ...style });
          break;
        case 'break':
          out.push({ text: node.hard ? '\n' : ' ', ...style });
          break;
        default:
          assertNever(node, 'inline');
      }
    }
    return out;
  }
}

/**
 * Longest text of one block, in UTF-16 units. Qt lays out a label's whole text whenever it
 * is shown: a 1 MB one-line paragraph would take seconds, so it becomes consecutive blocks.
 */
export const MAX_BLOCK_CHARS = 8000;
/** Most lines of one code or literal block. */
export const MAX_BLOCK_LINES = 200;

function cutLines(text: string): string[] {
  const out: string[] = [];
  let part = '';
  let lines = 0;
  for (const line of text.split('\n')) {
    for (let at = 0; at < Math.max(1, line.length); at += MAX_BLOCK_CHARS) {
      const piece = line.slice(at, at + MAX_BLOCK_CHARS);
      if (lines > 0 && (lines >= MAX_BLOCK_LINES || part.length + piece.length > MAX_BLOCK_CHARS)) {
        out.push(part);
        part = '';
        lines = 0;
      }
      part = lines === 0 ? piece : `${part}\n${piece}`;
      lines++;
    }
  }
  out.push(part);
  return out;
}

function cutRuns(runs: readonly Run[]): Run[][] {
  const out: Run[][] = [];
  let part: Run[] = [];
  let size = 0;
  for (const run of runs) {
    if (run.text === '') continue;
    for (let at = 0; at < run.text.length; ) {
      const room = MAX_BLOCK_CHARS - size;
      let end = Math.min(run.text.length, at + room);
      // Cut after a space where there is one near, and never inside a surrogate pair.
      if (end < run.text.length) {
        const space = run.text.lastIndexOf(' ', end);
        if (space > at + room / 2) end = space + 1;
        else if (/[\ud800-\udbff]/.test(run.text[end - 1] ?? '')) end--;
      }
      if (end <= at) end = at + 1;
      part.push({ ...run, text: run.text.slice(at, end) });
      size += end - at;
      at = end;
      if (size >= MAX_BLOCK_CHARS) {
        out.push(part);
        part = [];
        size = 0;
      }
    }
  }
  if (part.length > 0 || out.length === 0) out.push(part);
  return out;
}

function textOf(runs: readonly Run[]): string {
  let out = '';
  for (const run of runs) out += run.text;
  return out;
}

/** The text a reader sees in a block, as copy and find in page see it. */
export function blockText(block: LayoutBlock): string {
  switch (block.kind) {
    case 'heading':
      return textOf(block.runs);
    case 'paragraph':
      return (block.marker === '' ? '' : `${block.marker}\u00a0\u00a0`) + textOf(block.runs);
    case 'code':
    case 'literal':
      return block.text;
    case 'rule':
      return '';
    case 'table':
      // The header is the table's text once, in its first part.
      return (block.part === 0 ? [block.header, ...block.rows] : block.rows).map((row) => row.map((cell) => textOf(cell)).join('\t')).join('\n');
    case 'image':
      return block.alt;
    case 'media':
      return `${block.alt === '' ? '' : `${block.alt} `}${block.path}`;
    case 'placeholder':
      return `${block.alt === '' ? 'image' : block.alt} (${block.reason})`;
    default:
      return assertNever(block, 'layout block');
  }
}

/** Lays out a parsed document. */
export function layoutDoc(doc: Doc): LayoutPlan {
  const planner = new Planner();
  planner.addBlocks(doc.blocks, { indent: 0, quote: 0 }, '');
  return { title: planner.title, blocks: planner.blocks, links: planner.links, notices: doc.notices };
}
