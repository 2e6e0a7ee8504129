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
}

/** Format of the JSON this version writes. */
export const POST_DRAFT_FORMAT = 1;
const KIND = 'post';

export function encodePostDraft(draft: PostDraft): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ format: POST_DRAFT_FORMAT, kind: KIND, title: draft.title, createdMs: draft.createdMs, body: draft.body }));
}

/** The draft in `bytes`; see the file comment for what is done with anything else. */
export function decodePostDraft(bytes: Uint8Array, savedMs: number): PostDraft {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value === 'object' && value !== null) {
      const { format, kind, title, body, createdMs } = value as Record<string, unknown>;
      if (format === POST_DRAFT_FORMAT && kind === KIND && typeof title === 'string' && typeof body === 'string') {
        return { title, body, createdMs: typeof createdMs === 'number' && Number.isFinite(createdMs) ? createdMs : savedMs };
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
