/**
 * The closed Markdown AST of swarmpress (`DocNode`). Markdown is reduced to these types
 * before layout, so the renderer handles a fixed set of cases: a `switch` over `type` that
 * ends in `assertNever` catches a missing case at compile time.
 *
 * Everything here is data: no functions, no prototypes; safe to pass between threads.
 */

/** Inline content inside a paragraph, heading, table cell or list item. */
export type Inline =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'emphasis'; readonly children: readonly Inline[] }
  | { readonly type: 'strong'; readonly children: readonly Inline[] }
  | { readonly type: 'strike'; readonly children: readonly Inline[] }
  | { readonly type: 'code'; readonly text: string }
  /** `href` is exactly what the author wrote; whether it may be followed is decided later (core/link.ts). */
  | { readonly type: 'link'; readonly href: string; readonly title: string; readonly children: readonly Inline[] }
  | { readonly type: 'image'; readonly src: string; readonly alt: string; readonly title: string }
  | { readonly type: 'break'; readonly hard: boolean }
  /** Raw inline HTML: shown literally, never interpreted. */
  | { readonly type: 'html'; readonly text: string };

/** Horizontal alignment of a table column. */
export type Align = 'left' | 'center' | 'right' | null;

export interface ListItem {
  /** `null` for an ordinary item, `true`/`false` for a checked/unchecked task. */
  readonly checked: boolean | null;
  readonly children: readonly Block[];
}

/** A block of a document. */
export type Block =
  | { readonly type: 'heading'; readonly level: 1 | 2 | 3 | 4 | 5 | 6; readonly children: readonly Inline[] }
  | { readonly type: 'paragraph'; readonly children: readonly Inline[] }
  | { readonly type: 'list'; readonly ordered: boolean; readonly start: number; readonly items: readonly ListItem[] }
  | { readonly type: 'blockquote'; readonly children: readonly Block[] }
  | { readonly type: 'code'; readonly lang: string; readonly text: string }
  | { readonly type: 'rule' }
  /** Raw HTML block: shown literally, never interpreted. */
  | { readonly type: 'html'; readonly text: string }
  | {
      readonly type: 'table';
      readonly align: readonly Align[];
      readonly header: readonly (readonly Inline[])[];
      readonly rows: readonly (readonly (readonly Inline[])[])[];
    };

/** A whole document. */
export interface Doc {
  readonly blocks: readonly Block[];
  /** Why the document is not shown in full (too large, nested too deep), or empty. */
  readonly notices: readonly string[];
}

/** The plain text of inline content, as a reader would copy it. */
export function inlineText(nodes: readonly Inline[]): string {
  let out = '';
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
      case 'code':
      case 'html':
        out += node.text;
        break;
      case 'emphasis':
      case 'strong':
      case 'strike':
      case 'link':
        out += inlineText(node.children);
        break;
      case 'image':
        out += node.alt;
        break;
      case 'break':
        out += '\n';
        break;
    }
  }
  return out;
}
