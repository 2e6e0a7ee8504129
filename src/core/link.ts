/**
 * Which links a page may follow, and how (DESIGN.md "Rendering"):
 * - `bittorrent:` and `magnet:` open in the app (`swarm`) when they are valid swarm
 *   addresses by the rules of core/address.ts; malformed ones are inert;
 * - links relative to the page open in the same site (`relative`), `#x` within the page;
 * - `http:`/`https:` open outside the app only after the user confirmed the full URL
 *   (`external`; `display` carries the punycode host so look-alike hosts show);
 * - everything else is `inert`: file:, javascript:, data:, UNC and network paths, custom
 *   schemes, and any entity- or percent-encoded way of spelling one of these.
 * Pure: decides from the string alone.
 */

import { formatAddress, parseAddress, type SwarmAddress } from './address.js';

export type LinkTarget =
  /** `href` is the canonical spelling of `address` (core/address.ts). */
  | { readonly kind: 'swarm'; readonly href: string; readonly address: SwarmAddress }
  | { readonly kind: 'relative'; readonly path: string; readonly fragment: string }
  | { readonly kind: 'fragment'; readonly fragment: string }
  | { readonly kind: 'external'; readonly href: string; readonly display: string }
  | { readonly kind: 'inert'; readonly reason: string };

/** Longest link target that is considered at all (longer ones are inert). */
export const MAX_LINK_CHARS = 4096;

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;
// Control characters, backslashes and encodings of ':' or '\' hide a scheme or a UNC path.
// eslint-disable-next-line no-control-regex
const SUSPICIOUS = /[\u0000-\u001f\u007f\\]|&#|&colon;|%3a|%5c|%00/i;

function inert(reason: string): LinkTarget {
  return { kind: 'inert', reason };
}

/** Classifies a link target exactly as the author wrote it. */
export function classifyLink(raw: string): LinkTarget {
  if (raw.length > MAX_LINK_CHARS) return inert('the link is too long');
  const href = raw.trim();
  if (href === '') return inert('the link is empty');
  if (SUSPICIOUS.test(href)) return inert('the link contains control characters, backslashes or encoded separators');
  const scheme = SCHEME.exec(href)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    if (href.startsWith('//')) return inert('network-path links are not followed');
    if (href.startsWith('#')) return { kind: 'fragment', fragment: href.slice(1) };
    const hash = href.indexOf('#');
    const path = hash < 0 ? href : href.slice(0, hash);
    const fragment = hash < 0 ? '' : href.slice(hash + 1);
    return { kind: 'relative', path, fragment };
  }
  switch (scheme) {
    case 'bittorrent':
    case 'magnet': {
      const address = parseAddress(href);
      if (!address.ok) return inert(address.error.message);
      return { kind: 'swarm', href: formatAddress(address.value), address: address.value };
    }
    case 'http':
    case 'https': {
      let url: URL;
      try {
        url = new URL(href);
      } catch {
        return inert('the web address is malformed');
      }
      if (url.hostname === '') return inert('the web address has no host');
      return { kind: 'external', href: url.href, display: url.href };
    }
    default:
      return inert(`links of the '${scheme}:' kind are not followed`);
  }
}
