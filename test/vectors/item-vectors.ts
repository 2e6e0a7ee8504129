/**
 * The drafts behind test/vectors/items.json, and the language-neutral description of an
 * item written there. `generate-items.ts` writes the file once; test/core/item.test.ts
 * checks the committed file against the code, both ways.
 */
import { toHex } from '../../src/core/bytes.js';
import { sha256 } from '../../src/core/hash.js';
import { Identity } from '../../src/core/identity.js';
import { createItem, encodeItem, type Item, type ItemDraft } from '../../src/core/item.js';

/** One vector: who writes it, when, and what (drafts may refer to the items before them). */
export interface ItemVectorSource {
  readonly name: string;
  readonly seedHex: string;
  readonly createdMs: number;
  readonly draft: (previous: readonly Item[]) => ItemDraft;
}

/** Bytes of the file the binary vector's body names (so a reader can check `sha256`). */
export const PIXEL_FILE = new TextEncoder().encode('not really a PNG, but bytes with a known SHA-256');

export const ITEM_VECTOR_SOURCES: readonly ItemVectorSource[] = [
  {
    name: 'minimal markdown post',
    seedHex: '01'.repeat(32),
    createdMs: 1_700_000_000_000,
    draft: () => ({ title: 'Hello, swarm', body: { kind: 'text', text: '# Hello\n\nThe first post.\n' } }),
  },
  {
    name: 'reply with every optional field',
    seedHex: '02'.repeat(32),
    createdMs: 1_700_000_123_456,
    draft: (previous) => {
      const first = previous[0];
      if (first === undefined) throw new Error('the reply vector needs the first one');
      return {
        title: 'Re: Hello, swarm — ünïcødé ✓',
        mime: 'text/markdown',
        body: { kind: 'text', text: 'Welcome!\r\n\tIndented line.\n' },
        source: 'Bob <bob@example.invalid>',
        next: { href: `bittorrent://${toHex(Identity.fromSeed(new Uint8Array(32).fill(2)).publicKey)}/replies/part-2.md` },
        related: [
          { id: first.id, rel: 'reply', href: `bittorrent://${toHex(first.author)}/posts/hello.md` },
          { id: sha256(new TextEncoder().encode('some other item')), rel: 'quote' },
        ],
        meta: new Map([
          ['language', 'en'],
          ['license', 'CC-BY-4.0'],
          ['tags', 'test, vectors'],
          ['übersicht', 'a non-ASCII key'],
        ]),
      };
    },
  },
  {
    name: 'binary file',
    seedHex: '03'.repeat(32),
    createdMs: 1_700_000_999_999,
    draft: () => ({ title: 'A pixel', mime: 'image/png', body: { kind: 'file', path: 'media/pixel.png', sha256: sha256(PIXEL_FILE) } }),
  },
  {
    name: 'empty title and body, plain text',
    seedHex: '04'.repeat(32),
    createdMs: 0,
    draft: () => ({ title: '', mime: 'text/plain', body: { kind: 'text', text: '' } }),
  },
];

/** What items.json says about one item. */
export interface ItemVector {
  readonly name: string;
  readonly seed: string;
  readonly public_key: string;
  readonly created_ms: number;
  readonly fields: unknown;
  readonly encoding_hex: string;
  readonly id: string;
  readonly signature: string;
}

/** A JSON description of an item's fields, for other implementations and for checks. */
export function describeItem(item: Item): unknown {
  return {
    title: item.title,
    mime: item.mime,
    body: item.body.kind === 'text' ? { text: item.body.text } : { path: item.body.path, sha256: toHex(item.body.sha256) },
    source: item.source ?? null,
    next: item.next === undefined ? null : { id: item.next.id === undefined ? null : toHex(item.next.id), href: item.next.href ?? null },
    related: item.related.map((entry) => ({ id: toHex(entry.id), rel: entry.rel, href: entry.href ?? null })),
    meta: Object.fromEntries(item.meta),
    author: toHex(item.author),
    created_ms: item.createdMs,
  };
}

/** Creates the vectors from their sources. */
export function buildItemVectors(): ItemVector[] {
  const items: Item[] = [];
  return ITEM_VECTOR_SOURCES.map((source) => {
    const identity = Identity.fromSeed(Uint8Array.from(source.seedHex.match(/../g) ?? [], (h) => Number.parseInt(h, 16)));
    const created = createItem(source.draft(items), identity, source.createdMs);
    if (!created.ok) throw new Error(`${source.name}: ${created.error.code} ${created.error.message}`);
    const item = created.value;
    items.push(item);
    return {
      name: source.name,
      seed: source.seedHex,
      public_key: toHex(identity.publicKey),
      created_ms: source.createdMs,
      fields: describeItem(item),
      encoding_hex: toHex(encodeItem(item)),
      id: toHex(item.id),
      signature: toHex(item.signature),
    };
  });
}
