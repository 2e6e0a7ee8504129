/**
 * A block's height before Qt measured it, from its text alone (pure). The view uses it for
 * the blocks it has not shown yet, so the scroll bar covers the whole page from the first
 * frame; a measured height replaces the estimate when the block is laid out.
 */
import { assertNever } from '../core/assert-never.js';
import { fitToColumn } from './image-check.js';
import type { LayoutBlock } from './layout.js';
import { fontPx } from './theme.js';

/** Vertical space between blocks, in pixels at zoom 1. */
export const BLOCK_GAP_PX = 10;

function textLines(text: string, charPx: number, width: number): number {
  let lines = 0;
  const perLine = Math.max(1, Math.floor(width / charPx));
  for (const line of text.split('\n')) lines += Math.max(1, Math.ceil(line.length / perLine));
  return lines;
}

function runsText(runs: readonly { readonly text: string }[]): string {
  let out = '';
  for (const run of runs) out += run.text;
  return out;
}

/** Estimated height of `block` laid out `width` pixels wide at `zoom`. */
export function estimateHeight(block: LayoutBlock, width: number, zoom: number): number {
  const w = Math.max(40, width);
  const line = (role: string): number => Math.round(fontPx(role, zoom) * 1.45);
  const char = (role: string): number => fontPx(role, zoom) * 0.52;
  switch (block.kind) {
    case 'heading': {
      const role = `h${block.level}`;
      return textLines(runsText(block.runs), char(role), w) * line(role) + 8;
    }
    case 'paragraph':
      return textLines(block.marker + runsText(block.runs), char('paragraph'), w) * line('paragraph');
    case 'code':
    case 'literal':
      // No wrapping: one line per line, plus padding and a possible scroll bar.
      return block.text.split('\n').length * line('code') + 16 + (block.kind === 'code' ? 16 : 0);
    case 'rule':
      return 1;
    case 'table':
      return (block.rows.length + 1) * (line('paragraph') + 10);
    case 'image':
      return fitToColumn(w, w * 0.6, w).height;
    case 'media':
      return 48 * zoom;
    case 'placeholder':
      return line('paragraph') * 2 + 22;
    default:
      return assertNever(block, 'layout block');
  }
}
