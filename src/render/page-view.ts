/**
 * The thin mapper from a layout plan to native Qt widgets (through NodeGui). It decides
 * nothing about content: every text comes from the plan, rich text only from
 * rich-text.ts, and links come back as plan link indexes through `onLink`.
 *
 * The NodeGui module is passed in (the widgets layer loads it after the Qt runtime), so this
 * file never loads Qt itself. Every block becomes widgets here; materialising only the
 * visible range is issue #5.
 */
import type * as NodeGui from '@nodegui/nodegui';
import { assertNever } from '../core/assert-never.js';
import type { LayoutBlock, LayoutPlan } from './layout.js';
import { escapeRichText, linkIndexOf, runsToRichText } from './rich-text.js';

export type Qt = typeof NodeGui;

/** Light theme colours; the dark theme is issue #5. */
const STYLE_SHEET = `
  #page { background: #ffffff; }
  QLabel { color: #1d1d1f; font-size: 15px; }
  QLabel[role="h1"] { font-size: 30px; font-weight: 700; padding: 8px 0 0 0; }
  QLabel[role="h2"] { font-size: 24px; font-weight: 700; padding: 8px 0 0 0; }
  QLabel[role="h3"] { font-size: 20px; font-weight: 600; padding: 6px 0 0 0; }
  QLabel[role="h4"], QLabel[role="h5"], QLabel[role="h6"] { font-size: 16px; font-weight: 600; }
  QLabel[role="code"], QLabel[role="literal"] { font-family: monospace; font-size: 13px; background: #f4f4f6; padding: 8px; }
  QLabel[role="marker"] { color: #555555; }
  QLabel[role="rule"] { background: #d0d0d6; }
  QLabel[quoted="true"] { color: #4a4a55; border-width: 0 0 0 3px; border-style: solid; border-color: #c8c8d0; padding: 0 0 0 10px; }
`;

const INDENT_PX = 22;
const QUOTE_PX = 14;

/** One entry of the widget tree dump (`swarmpress render --dump`, GUI tests). */
export interface DumpNode {
  readonly type: string;
  readonly role: string;
  readonly text: string;
  readonly links: readonly string[];
  readonly indent: number;
  readonly quote: number;
}

export interface PageViewOptions {
  /** Called with the index of a link of `plan.links` when the reader activates it. */
  readonly onLink: (index: number) => void;
}

interface Entry {
  readonly label: NodeGui.QLabel;
  readonly block: LayoutBlock;
  readonly role: string;
}

/** A document shown as native widgets: `widget` goes into a scroll area. */
export class PageView {
  readonly widget: NodeGui.QWidget;
  readonly #entries: Entry[] = [];
  readonly #plan: LayoutPlan;
  readonly #qt: Qt;

  constructor(qt: Qt, plan: LayoutPlan, options: PageViewOptions) {
    this.#qt = qt;
    this.#plan = plan;
    const page = new qt.QWidget();
    page.setObjectName('page');
    page.setStyleSheet(STYLE_SHEET);
    const column = new qt.QBoxLayout(qt.Direction.TopToBottom);
    column.setContentsMargins(28, 20, 28, 28);
    column.setSpacing(10);
    page.setLayout(column);
    for (const notice of plan.notices) this.#add(column, { kind: 'literal', text: notice, indent: 0, quote: 0 }, options);
    for (const block of plan.blocks) this.#add(column, block, options);
    column.addStretch(1);
    this.widget = page;
  }

  /** The widgets as data, read back from Qt (what the widgets really show). */
  dump(): DumpNode[] {
    return this.#entries.map(({ label, block, role }) => ({
      type: 'QLabel',
      role,
      text: label.textFormat() === this.#qt.TextFormat.PlainText ? label.text() : plainFromRich(label.text()),
      links: linksOf(block).map((index) => this.#plan.links[index]?.href ?? ''),
      indent: block.indent,
      quote: block.quote,
    }));
  }

  #add(column: NodeGui.QBoxLayout, block: LayoutBlock, options: PageViewOptions): void {
    const qt = this.#qt;
    const label = new qt.QLabel();
    label.setWordWrap(true);
    let role: string;
    switch (block.kind) {
      case 'heading':
        role = `h${block.level}`;
        this.#setRich(label, runsToRichText(block.runs), options);
        break;
      case 'paragraph':
        role = 'paragraph';
        this.#setRich(label, (block.marker === '' ? '' : `${escapeRichText(block.marker)}&nbsp;&nbsp;`) + runsToRichText(block.runs), options);
        break;
      case 'code':
      case 'literal':
        role = block.kind;
        label.setTextFormat(qt.TextFormat.PlainText);
        label.setWordWrap(false);
        label.setText(block.text.replace(/\n$/, ''));
        label.setTextInteractionFlags(qt.TextInteractionFlag.TextSelectableByMouse);
        break;
      case 'rule':
        role = 'rule';
        label.setTextFormat(qt.TextFormat.PlainText);
        label.setFixedHeight(1);
        break;
      case 'table':
        role = 'table';
        // A table as aligned rows of text until the full renderer (issue #5) draws a grid.
        this.#setRich(
          label,
          [block.header, ...block.rows].map((row) => row.map((cell) => runsToRichText(cell)).join(' &nbsp;│&nbsp; ')).join('<br>'),
          options,
        );
        break;
      default:
        assertNever(block, 'layout block');
    }
    label.setProperty('role', role);
    label.setProperty('quoted', block.quote > 0 ? 'true' : 'false');
    label.setContentsMargins(block.indent * INDENT_PX + block.quote * QUOTE_PX, 0, 0, 0);
    column.addWidget(label);
    this.#entries.push({ label, block, role });
  }

  #setRich(label: NodeGui.QLabel, html: string, options: PageViewOptions): void {
    const qt = this.#qt;
    // Rich text only from our serializer; Qt is told so explicitly rather than guessing.
    label.setTextFormat(qt.TextFormat.RichText);
    label.setOpenExternalLinks(false);
    label.setTextInteractionFlags(qt.TextInteractionFlag.TextBrowserInteraction);
    label.setText(html);
    label.addEventListener('linkActivated', (href: string) => {
      const index = linkIndexOf(href);
      if (index !== undefined) options.onLink(index);
    });
  }
}

function linksOf(block: LayoutBlock): number[] {
  const runs =
    block.kind === 'heading' || block.kind === 'paragraph'
      ? block.runs
      : block.kind === 'table'
        ? [...block.header, ...block.rows.flat()].flat()
        : [];
  const out: number[] = [];
  for (const run of runs) if (run.link !== undefined && !out.includes(run.link)) out.push(run.link);
  return out;
}

/** The visible text of a rich-text label (our own markup only: tags and a few entities). */
function plainFromRich(html: string): string {
  return html
    .replace(/<br>/g, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, '\u00a0')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
