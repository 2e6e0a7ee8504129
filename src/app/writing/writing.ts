/**
 * Writing posts: opens editor windows on drafts and wires each one to the store's drafts
 * (saved continuously by a DraftSaver), to the draft's pictures (draft-media.ts) and to a
 * PostPublisher. A draft is a new post for one of the author's sites (chosen in the editor)
 * or an edit of a page of one of them (opened from its site folder through OwnPages). The editor widget knows none of these (DESIGN.md layers); this presenter
 * turns its commands into store calls and its store state into what the editor shows.
 *
 * Ownership: whoever creates a Writing calls `close()`, which saves every open editor's
 * draft. Threading: JS thread only.
 */
import type { Qt } from '../../render/nodegui-subset.js';
import type { LayoutPlan } from '../../render/layout.js';
import { folderSiteFiles, layeredSiteFiles } from '../../render/site-files.js';
import type { ThemeName } from '../../render/theme.js';
import type { Drafts } from '../../store/drafts.js';
import { EditorWindow } from '../../widgets/editor-window.js';
import type { TextCursors } from '../../widgets/qt-runtime.js';
import type { DraftMedia } from './draft-media.js';
import { DraftSaver, type SaveReport } from './draft-saver.js';
import { decodePostDraft, encodePostDraft, newDraftId, type PostDraft, type ReplyReference } from './post-draft.js';
import { DEFAULT_SITE_NAME } from '../../core/identity.js';
import type { OwnPages, PostPublisher, PublishRequest } from './publisher.js';

export interface WritingOptions {
  readonly qt: Qt;
  readonly textCursors: TextCursors;
  /** The store's drafts (`store.drafts`). */
  readonly drafts: Drafts;
  readonly media: DraftMedia;
  readonly publisher: PostPublisher;
  /** The author's sites (a new post chooses one) and their pages (to edit); without it, posts go to the default site. */
  readonly pages?: OwnPages;
  /** Markdown -> layout plan for previews (a PlanWorker's `layout`). */
  readonly layout: (source: string) => Promise<LayoutPlan>;
  readonly theme?: ThemeName;
  /** The clock drafts and saves are dated by (default Date.now). */
  readonly now?: () => number;
  /** A draft was added, removed or renamed (the drafts menu shows them). */
  readonly onDraftsChanged?: () => void;
  /** Every save of a draft (tests, benchmarks). */
  readonly onSaved?: (draftId: string, report: SaveReport) => void;
  /** Milliseconds in a minute of publish delay (tests only). */
  readonly publishMinuteMs?: number;
  /** Folder the picture chooser opens in. */
  readonly imageFolder?: string;
}

/** A draft as the drafts menu lists it. */
export interface DraftListing {
  readonly id: string;
  readonly title: string;
  readonly savedMs: number;
  /** Open in an editor window now. */
  readonly isOpen: boolean;
  /** The page it edits, when it edits one. */
  readonly edit?: { readonly site: string; readonly path: string };
}

/** An open editor and its draft. */
export interface OpenEditor {
  readonly draftId: string;
  readonly window: EditorWindow;
  readonly saver: DraftSaver;
}

export class Writing {
  readonly #options: WritingOptions;
  readonly #open = new Map<string, OpenEditor>();
  /** The folders of the author's sites whose pages were opened to edit, by site name. */
  readonly #siteFolders = new Map<string, string>();
  #closed = false;

  constructor(options: WritingOptions) {
    this.#options = options;
  }

  /**
   * Opens an editor on a new, empty post (its draft is written on the first keystroke); a
   * reply when `reply` is given (titled "Re: …", published with `related rel=reply`).
   */
  newPost(reply?: ReplyReference & { readonly title: string }): OpenEditor {
    const now = this.#options.now ?? Date.now;
    let id = newDraftId(now());
    while (this.#open.has(id) || this.#options.drafts.load(id) !== undefined) id = newDraftId(now());
    if (reply === undefined) return this.#openEditor(id, { title: '', body: '', createdMs: now(), site: DEFAULT_SITE_NAME }, undefined);
    const title = reply.title.trim() === '' ? 'Re:' : /^re:/i.test(reply.title.trim()) ? reply.title.trim() : `Re: ${reply.title.trim()}`;
    const replyTo: ReplyReference = { id: reply.id, ...(reply.href === undefined ? {} : { href: reply.href }) };
    return this.#openEditor(id, { title, body: '', createdMs: now(), replyTo }, undefined);
  }

  /**
   * Opens an editor on page `sitePath` of the author's site `site`, as its folder has it
   * (an edit already being written is opened again instead). Rejects with why the page
   * cannot be edited.
   */
  async editPage(site: string, sitePath: string): Promise<OpenEditor> {
    const pending = this.list().find((draft) => draft.edit?.site === site && draft.edit.path === sitePath);
    if (pending !== undefined) return this.openDraft(pending.id);
    const pages = this.#options.pages;
    if (pages === undefined) throw new Error('pages of your sites cannot be edited here');
    const page = await pages.read(site, sitePath);
    const now = this.#options.now ?? Date.now;
    let id = newDraftId(now());
    while (this.#open.has(id) || this.#options.drafts.load(id) !== undefined) id = newDraftId(now());
    if (page.folder !== undefined) this.#siteFolders.set(site, page.folder);
    return this.#openEditor(id, { title: page.title, body: page.body, createdMs: now(), site, edit: sitePath }, undefined);
  }

  /** Opens draft `id` (or brings its window forward when it is open already). */
  openDraft(id: string): OpenEditor {
    const open = this.#open.get(id);
    if (open !== undefined) {
      open.window.show();
      return open;
    }
    const saved = this.#options.drafts.load(id);
    if (saved === undefined) throw new RangeError(`there is no draft '${id}'`);
    const draft = decodePostDraft(saved.bytes, saved.savedMs);
    return this.#openEditor(id, draft, saved.bytes);
  }

  /** The drafts on disk, newest first. */
  list(): DraftListing[] {
    const drafts = this.#options.drafts;
    const out: DraftListing[] = [];
    for (const id of drafts.list()) {
      const saved = drafts.load(id);
      if (saved === undefined) continue;
      const draft = decodePostDraft(saved.bytes, saved.savedMs);
      out.push({
        id, title: draft.title, savedMs: saved.savedMs, isOpen: this.#open.has(id),
        ...(draft.edit === undefined || draft.site === undefined ? {} : { edit: { site: draft.site, path: draft.edit } }),
      });
    }
    return out.sort((a, b) => b.savedMs - a.savedMs);
  }

  /** The open editors, oldest first. */
  get editors(): readonly OpenEditor[] {
    return [...this.#open.values()];
  }

  /** Saves every open draft now (before the app exits); the windows stay. */
  flush(): void {
    for (const open of this.#open.values()) open.saver.flush();
  }

  /** Saves every open draft and closes its window. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const open of [...this.#open.values()]) open.window.close();
  }

  #openEditor(id: string, draft: PostDraft, savedBytes: Uint8Array | undefined): OpenEditor {
    const { qt, textCursors, drafts, media } = this.#options;
    const { createdMs, replyTo, edit } = draft;
    const extra = { ...(replyTo === undefined ? {} : { replyTo }), ...(edit === undefined ? {} : { edit }) };
    const sites = this.#options.pages?.sites() ?? [DEFAULT_SITE_NAME];
    const chosen = draft.site ?? DEFAULT_SITE_NAME;
    // An edited page's relative pictures resolve in its site folder, from the page, as they will when published.
    const siteFolder = edit === undefined ? undefined : this.#siteFolders.get(chosen);
    let isOnDisk = savedBytes !== undefined;
    const content = (): { title: string; body: string; site: string } => {
      const shown = window.panel.content();
      return { title: shown.title, body: shown.body, site: edit === undefined ? (shown.site ?? chosen) : chosen };
    };
    const saver = new DraftSaver({
      ...(this.#options.now === undefined ? {} : { now: this.#options.now }),
      read: () => encodePostDraft({ ...content(), createdMs, ...extra }),
      write: (bytes) => {
        drafts.save(id, bytes);
        if (!isOnDisk) {
          isOnDisk = true;
          this.#options.onDraftsChanged?.();
        }
      },
      onSaved: (report) => {
        window.panel.setStatus(`Draft saved at ${new Date(report.atMs).toLocaleTimeString()}.`);
        this.#options.onSaved?.(id, report);
      },
      onError: (error) => {
        window.panel.setStatus(`The draft could not be saved: ${error instanceof Error ? error.message : String(error)}. Keep this window open; saving is tried again as you type.`);
      },
    });
    if (savedBytes !== undefined) saver.markSaved(savedBytes);
    const request = (text: { title: string; body: string; site?: string }): PublishRequest => ({
      draftId: id, title: text.title, body: text.body, media: media.referenced(id, text.body), ...extra,
      site: edit === undefined ? (text.site ?? chosen) : chosen,
    });
    const window: EditorWindow = new EditorWindow(
      qt,
      {
        textCursors,
        layout: this.#options.layout,
        initial: { title: draft.title, body: draft.body },
        files: siteFolder === undefined || edit === undefined ? media.siteFiles(id) : layeredSiteFiles(media.siteFiles(id), folderSiteFiles(siteFolder, edit)),
        ...(edit === undefined ? {} : { titlePrefix: 'Editing ' }),
        sites: {
          names: sites.includes(chosen) ? sites : [...sites, chosen],
          chosen,
          ...(edit === undefined ? {} : { fixed: true, label: `Editing ${edit} of your site:` }),
        },
        ...(this.#options.theme === undefined ? {} : { theme: this.#options.theme }),
        ...(this.#options.publishMinuteMs === undefined ? {} : { publishMinuteMs: this.#options.publishMinuteMs }),
        ...(this.#options.imageFolder === undefined ? {} : { imageFolder: this.#options.imageFolder }),
      },
      {
        onChange: () => {
          saver.changed();
        },
        onSave: () => {
          saver.flush();
        },
        onImageChosen: (file) => {
          try {
            return Promise.resolve(media.add(id, file));
          } catch (error) {
            return Promise.reject(error instanceof Error ? error : new Error(String(error)));
          }
        },
        onPreparePublish: (text) => this.#options.publisher.describe(request(text)),
        onPublish: async (text) => {
          saver.flush();
          const outcome = await this.#options.publisher.publish(request(text));
          // Published: the draft has done its job.
          saver.close(true);
          drafts.remove(id);
          media.remove(id);
          this.#options.onDraftsChanged?.();
          return outcome;
        },
        onClosed: () => {
          saver.close();
          this.#open.delete(id);
          const { title, body } = content();
          if (title.trim() === '' && body.trim() === '' && drafts.load(id) !== undefined) {
            // An emptied draft is not worth keeping.
            drafts.remove(id);
            media.remove(id);
          }
          this.#options.onDraftsChanged?.();
        },
      },
    );
    const open: OpenEditor = { draftId: id, window, saver };
    this.#open.set(id, open);
    window.show();
    return open;
  }
}
