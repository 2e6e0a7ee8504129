/**
 * How the app stores a post being written in a draft (store/drafts.ts keeps opaque bytes):
 * one small JSON object, UTF-8. Reading never throws and never loses text: a draft that is
 * not this JSON (edited by hand, from a future version, damaged) opens with its bytes as
 * the body, so whatever was typed is still there.
 */
import { randomBytes } from 'node:crypto';

/** A post being written. */
export interface PostDraft {
  readonly title: string;
  readonly body: string;
  /** When the draft was started, milliseconds since the epoch. */
  readonly createdMs: number;
  /** The item this post replies to (`related rel=reply`), if it is a reply. */
  readonly replyTo?: ReplyReference;
  /** The author's site it goes to (absent: the default site). */
  readonly site?: string;
  /** The page of `site` this draft edits (its path in the site), when it edits one instead of adding a post. */
  readonly edit?: string;
}

/** What a reply names: the item's id, and where it can be fetched. */
export interface ReplyReference {
  readonly id: Uint8Array;
  readonly href?: string;
}

function encodeReply(reply: ReplyReference | undefined): { id: string; href?: string } | undefined {
  return reply === undefined ? undefined : { id: Buffer.from(reply.id).toString('hex'), ...(reply.href === undefined ? {} : { href: reply.href }) };
}

function decodeReply(value: unknown): ReplyReference | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { id, href } = value as Record<string, unknown>;
  if (typeof id !== 'string' || !/^[0-9a-f]{64}$/.test(id)) return undefined;
  return { id: new Uint8Array(Buffer.from(id, 'hex')), ...(typeof href === 'string' ? { href } : {}) };
}

/** Format of the JSON this version writes. */
export const POST_DRAFT_FORMAT = 1;
const KIND = 'post';

export function encodePostDraft(draft: PostDraft): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({
    format: POST_DRAFT_FORMAT, kind: KIND, title: draft.title, createdMs: draft.createdMs, body: draft.body, replyTo: encodeReply(draft.replyTo), site: draft.site, edit: draft.edit,
  }));
}

/** The draft in `bytes`; see the file comment for what is done with anything else. */
export function decodePostDraft(bytes: Uint8Array, savedMs: number): PostDraft {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value === 'object' && value !== null) {
      const { format, kind, title, body, createdMs, replyTo, site, edit } = value as Record<string, unknown>;
      if (format === POST_DRAFT_FORMAT && kind === KIND && typeof title === 'string' && typeof body === 'string') {
        const reply = decodeReply(replyTo);
        return {
          title, body, createdMs: typeof createdMs === 'number' && Number.isFinite(createdMs) ? createdMs : savedMs,
          ...(reply === undefined ? {} : { replyTo: reply }),
          // Checked again where they are used (site names, site paths): here only their type.
          ...(typeof site === 'string' ? { site } : {}),
          ...(typeof edit === 'string' && typeof site === 'string' ? { edit } : {}),
        };
      }
    }
  } catch {
    // not ours: kept as text below
  }
  return { title: '', body: text, createdMs: savedMs };
}

/** A fresh draft id: `post-` and the UTC time, then 4 random hex digits (store drafts.ts id rules). */
export function newDraftId(nowMs: number, random: Uint8Array = randomBytes(2)): string {
  const time = new Date(nowMs).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `post-${time}-${Buffer.from(random.subarray(0, 2)).toString('hex')}`;
}
