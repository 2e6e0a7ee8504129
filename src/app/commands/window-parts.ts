/**
 * The parts of the window's app that showWindow (window.ts) composes: the editor's wiring,
 * the form dialogs (one of each at a time), the installation's own pages (the welcome page
 * and the pages it links to), and what automation reports of dialogs and the node.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Qt } from '../../render/nodegui-subset.js';
import { decodeBencode, type BencodeDict } from '../../core/bencode.js';
import { layoutDoc, type LayoutPlan } from '../../render/layout.js';
import { parseMarkdown } from '../../render/markdown.js';
import { folderSiteFiles } from '../../render/site-files.js';
import { Drafts } from '../../store/drafts.js';
import type { FormDialog } from '../../widgets/form-dialog.js';
import type { MainWindow } from '../../widgets/main-window.js';
import type { TextCursors } from '../../widgets/qt-runtime.js';
import { ASSETS_DIR, readAssetPage, WELCOME_ADDRESS } from '../assets.js';
import type { AutomationHandlers } from '../automation.js';
import { followLink } from '../reader/links.js';
import { localTime } from '../when.js';
import { DRAFT_MEDIA_FOLDER, DraftMedia } from '../writing/draft-media.js';
import type { SaveReport } from '../writing/draft-saver.js';
import type { OwnPages, PostPublisher } from '../writing/publisher.js';
import { Writing } from '../writing/writing.js';

/** Tests only: milliseconds in a minute of publish delay. */
const PUBLISH_MINUTE_ENV = 'SWARMPRESS_TEST_MINUTE_MS';

/** The form dialogs open now, by name: one of each at a time. */
export class FormDialogs {
  readonly open = new Map<string, FormDialog>();

  /** Shows dialog `name` again if it is open, else opens it with `create`. */
  show(name: string, create: (onClosed: () => void) => FormDialog): void {
    const shown = this.open.get(name);
    if (shown !== undefined && !shown.isClosed) {
      shown.show();
      return;
    }
    this.open.set(name, create(() => this.open.delete(name)));
  }

  closeAll(): void {
    for (const dialog of this.open.values()) dialog.close();
  }

  /**
   * Automation of the form dialogs (automation.ts):
   *   {"cmd":"dialog","name":"settings"|"new-site","do":"dump"|"grab","path"?:P}
   */
  automation(): AutomationHandlers {
    return {
      dialog: (request) => {
        const name = typeof request['name'] === 'string' ? request['name'] : '';
        const dialog = this.open.get(name);
        if (dialog === undefined || dialog.isClosed) throw new Error(`no dialog '${name}' is open`);
        if (request['do'] === 'grab' && typeof request['path'] === 'string') return { ok: dialog.grab(request['path']) };
        if (request['do'] === 'dump') return { ...dialog.dump() };
        throw new TypeError("'do' must be dump or grab (with a path)");
      },
    };
  }
}

/**
 * The installation's own pages (the welcome page and those it links to), shown while the
 * window shows no page of a site. Their links open each other; a swarm address goes to the
 * reader.
 */
export class AssetPages {
  /** Whether the window shows one of these pages rather than a page of a site. */
  showing = true;
  #plan: LayoutPlan;

  /** Started with an address, the window opens empty: laying out the welcome page first made that page wait (~60 ms, measured). */
  constructor(startAddress: string | undefined) {
    this.#plan = startAddress === undefined
      ? layoutDoc(parseMarkdown(readAssetPage('welcome.md') ?? '# swarmpress\n\nThe welcome page is missing from this installation.'))
      : { title: '', blocks: [], links: [], notices: [] };
  }

  /** The window's first page: the welcome page, or an empty page while `startAddress` opens. */
  showFirst(window: MainWindow, startAddress: string | undefined): void {
    if (startAddress === undefined) {
      window.showPage(this.#plan, WELCOME_ADDRESS, { files: folderSiteFiles(ASSETS_DIR, 'welcome.md') });
    } else {
      window.showPage(this.#plan, startAddress);
      window.setStatus(`Opening ${startAddress}…`);
    }
  }

  /** Link number `index` of the page shown; `openSwarm` opens a swarm address in the reader. */
  link(window: MainWindow, index: number, openSwarm: (href: string) => void): void {
    const target = this.#plan.links[index]?.target;
    if (target === undefined) return;
    followLink(target, {
      openSwarm,
      openRelative: (relative) => {
        const page = relative.path === '' ? undefined : readAssetPage(relative.path);
        if (page === undefined) {
          window.setStatus(`No page ${relative.path} here.`);
          return;
        }
        this.#plan = layoutDoc(parseMarkdown(page));
        window.showPage(this.#plan, `${WELCOME_ADDRESS}/${relative.path}`, { files: folderSiteFiles(ASSETS_DIR, relative.path) });
        window.setStatus('');
      },
      setStatus: (text) => {
        window.setStatus(text);
      },
    });
  }
}

/** The settings libtorrent reports in its saved session state (those that differ from its defaults), as numbers and strings. */
export function sessionSettings(state: Uint8Array): Record<string, number | string> {
  const decoded = decodeBencode(state);
  const root = decoded.ok && decoded.value instanceof Map ? (decoded.value as BencodeDict) : undefined;
  const settings = root?.get('settings');
  const out: Record<string, number | string> = {};
  if (!(settings instanceof Map)) return out;
  for (const [name, value] of settings as BencodeDict) {
    if (typeof value === 'bigint') out[name] = Number(value);
    else if (value instanceof Uint8Array) out[name] = Buffer.from(value).toString('utf8');
  }
  return out;
}

/** The editor as the window holds it. */
export interface OpenedWriting {
  readonly writing: Writing;
  readonly saves: Map<string, SaveReport & { count: number }>;
  readonly showDrafts: (atStart?: boolean) => void;
  readonly close: () => void;
}

/**
 * The editor's wiring: drafts in the data folder (the store's drafts API, which needs no
 * database), pictures beside them, previews laid out in the app's worker thread, and the
 * publisher that adds the post to the author's site through the app's node.
 */
export function openWriting(
  qt: Qt,
  textCursors: TextCursors,
  dataDir: string,
  mainWindow: () => MainWindow | undefined,
  publisher: PostPublisher,
  pages: OwnPages,
  layout: (source: string) => Promise<LayoutPlan>,
  now: () => number,
): OpenedWriting {
  const saves = new Map<string, SaveReport & { count: number }>();
  const showDrafts = (atStart = false): void => {
    const window = mainWindow();
    if (window === undefined) return;
    const drafts = writing.list();
    window.setDrafts(drafts.map((draft) => ({
      id: draft.id,
      label: `${draft.edit === undefined ? '' : `Editing ${draft.edit.path} (${draft.edit.site}): `}${draft.title.trim() === '' ? 'Untitled' : draft.title.trim()} — ${localTime(draft.savedMs)}`,
    })));
    if (atStart && drafts.length > 0) {
      window.setStatus(`You have ${drafts.length === 1 ? 'an unpublished draft' : `${drafts.length} unpublished drafts`}: File → Drafts.`);
    }
  };
  const writing: Writing = new Writing({
    qt,
    textCursors,
    drafts: new Drafts(dataDir),
    media: new DraftMedia(path.join(dataDir, DRAFT_MEDIA_FOLDER)),
    publisher,
    pages,
    layout,
    now,
    imageFolder: picturesFolder(),
    onDraftsChanged: () => {
      showDrafts();
    },
    onSaved: (id, report) => {
      saves.set(id, { ...report, count: (saves.get(id)?.count ?? 0) + 1 });
    },
    ...(process.env[PUBLISH_MINUTE_ENV] === undefined ? {} : { publishMinuteMs: Number(process.env[PUBLISH_MINUTE_ENV]) }),
  });
  return {
    writing,
    saves,
    showDrafts,
    close: () => {
      writing.close();
    },
  };
}

/** Where pictures usually are: ~/Pictures when there is one, else the home folder. */
function picturesFolder(): string {
  const pictures = path.join(os.homedir(), 'Pictures');
  return fs.existsSync(pictures) ? pictures : os.homedir();
}
