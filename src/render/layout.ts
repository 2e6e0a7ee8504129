/**
 * The layout plan: a document as a flat list of blocks, each with its nesting, ready to be
 * turned into widgets one by one. Pure and deterministic (snapshot-testable); a flat list
 * is what lets the view materialise only the visible range.
 */
import { assertNever } from '../core/assert-never.js';
import type { Align, Block, Doc, Inline } from '../core/doc.js';
import { inlineText } from '../core/doc.js';
import { classifyLink, type LinkTarget } from '../core/link.js';

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
    | { readonly kind: 'heading'; readonly level: 1 | 2 | 3 | 4 | 5 | 6; readonly runs: readonly Run[] }
    /** `marker` is the list bullet or number of the item's first paragraph. */
    | { readonly kind: 'paragraph'; readonly runs: readonly Run[]; readonly marker: string }
    | { readonly kind: 'code'; readonly lang: string; readonly text: string }
    /** Raw HTML, shown literally. */
    | { readonly kind: 'literal'; readonly text: string }
    | { readonly kind: 'rule' }
    | {
        readonly kind: 'table';
        readonly align: readonly Align[];
        readonly header: readonly (readonly Run[])[];
        readonly rows: readonly (readonly (readonly Run[])[])[];
      }
  );

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
      case 'heading':
        if (this.title === '') this.title = inlineText(block.children).trim();
        this.blocks.push({ kind: 'heading', level: block.level, runs: this.runs(block.children), ...place });
        return;
      case 'paragraph':
        this.blocks.push({ kind: 'paragraph', runs: this.runs(block.children), marker, ...place });
        return;
      case 'code':
        this.blocks.push({ kind: 'code', lang: block.lang, text: block.text, ...place });
        return;
      case 'html':
        this.blocks.push({ kind: 'literal', text: block.text, ...place });
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
          if (item.children.length === 0) this.blocks.push({ kind: 'paragraph', runs: [], marker: bullet, ...inner });
          else this.addBlocks(item.children, inner, bullet);
        });
        return;
      case 'table':
        this.blocks.push({
          kind: 'table',
          align: block.align,
          header: block.header.map((cell) => this.runs(cell)),
          rows: block.rows.map((row) => row.map((cell) => this.runs(cell))),
          ...place,
        });
        return;
      default:
        assertNever(block, 'block');
    }
  }

  runs(nodes: readonly Inline[], style: Style = {}, out: Run[] = []): Run[] {
    for (const node of nodes) {
      switch (node.type) {
        case 'text':
          out.push({ text: node.text, ...style });
          break;
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
          // Images are drawn by issue #5; until then the reader sees what the author described.
          out.push({ text: `[image: ${node.alt === '' ? node.src : node.alt}]`, italic: true });
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

/** Lays out a parsed document. */
export function layoutDoc(doc: Doc): LayoutPlan {
  const planner = new Planner();
  planner.addBlocks(doc.blocks, { indent: 0, quote: 0 }, '');
  return { title: planner.title, blocks: planner.blocks, links: planner.links, notices: doc.notices };
}
