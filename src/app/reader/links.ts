/**
 * What a click on a link of a page does: one switch over every kind of link target, shared
 * by the reader (pages of sites) and the window (the installation's own pages).
 */
import { assertNever } from '../../core/assert-never.js';
import type { LinkTarget } from '../../core/link.js';

/** What following a link may do; the caller decides what "open" means for its pages. */
export interface LinkActions {
  /** A swarm address (canonical). */
  readonly openSwarm: (href: string) => void;
  /** A path relative to the page shown, with its fragment ('' for none). */
  readonly openRelative: (target: Extract<LinkTarget, { kind: 'relative' }>) => void;
  readonly setStatus: (text: string) => void;
}

/** Follows `target`: a fragment stays on the page; a web link and an inert one are only named on the status line. */
export function followLink(target: LinkTarget, actions: LinkActions): void {
  switch (target.kind) {
    case 'swarm':
      actions.openSwarm(target.href);
      return;
    case 'relative':
      actions.openRelative(target);
      return;
    case 'fragment':
      return;
    case 'external':
      // Reached only when no opener is wired (the window's onOpenExternal handles web links).
      actions.setStatus(`Web link (not opened): ${target.display}`);
      return;
    case 'inert':
      actions.setStatus(`This link is not followed: ${target.reason}.`);
      return;
    default:
      assertNever(target, 'link target');
  }
}
