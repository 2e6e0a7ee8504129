/**
 * The contract between the editor and whatever publishes a post. The editor's wiring
 * (writing.ts) builds a `PublishRequest` from the draft; a `PostPublisher` says what it
 * would add (for the confirmation) and publishes it: site-publisher.ts, through the app's
 * node.
 */
import type { PublishOutcome, PublishSummary } from '../../widgets/publish-panel.js';
import type { PostMedia } from './draft-media.js';
import type { ReplyReference } from './post-draft.js';

export type { PublishOutcome, PublishSummary } from '../../widgets/publish-panel.js';

/** A post to publish. */
export interface PublishRequest {
  /** The draft it comes from (removed once the post is published). */
  readonly draftId: string;
  readonly title: string;
  /** Markdown; its pictures are referenced as `media/<name>`, relative to the post. */
  readonly body: string;
  /** The pictures the body refers to, in the draft's folder; copy them with the post. */
  readonly media: readonly PostMedia[];
  /** The item the post replies to, if it is a reply (`related rel=reply`). */
  readonly replyTo?: ReplyReference;
  /** The author's site it goes to (default: their default site). */
  readonly site?: string;
  /** The page of `site` this replaces (its path in the site), when it is an edit of a page rather than a new post. */
  readonly edit?: string;
}

/** A page of the author's site as the editor opens it to edit. */
export interface EditablePage {
  readonly title: string;
  readonly body: string;
  /** The site's folder, where the page's relative pictures are until it is published. */
  readonly folder?: string;
}

/** Where the editor reads pages of the author's sites and learns which sites there are. */
export interface OwnPages {
  /** The author's site names, the default one first. */
  sites(): readonly string[];
  /** Page `sitePath` of site `site` as its folder has it; rejects with why it cannot be edited. */
  read(site: string, sitePath: string): Promise<EditablePage>;
}

export interface PostPublisher {
  /** What publishing `request` would add to which site, for the author to confirm. Rejects with why it cannot. */
  describe(request: PublishRequest): Promise<PublishSummary>;
  /**
   * Publishes `request`; resolves with the new version's address once the post and its
   * pictures no longer need the draft's files (the draft is deleted then).
   */
  publish(request: PublishRequest): Promise<PublishOutcome>;
}
