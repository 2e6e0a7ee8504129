/**
 * The library: a side panel with the sites the reader follows (a marker when a newer
 * version arrived), the reader's own sites, the sites LAN neighbours announce ("Sites
 * near me"), the blocked and muted authors and sites and the subscribed block lists
 * (Unblock, Unmute or Unsubscribe, or Delete on the row), and a search
 * box over everything stored whose results open pages. It shows the view-model handed to
 * it and reports what the reader picks; it never reads the store (DESIGN.md layers).
 */
import type * as NodeGui from '@nodegui/nodegui';
import type { Qt } from '../render/nodegui-subset.js';

/** One row the reader can open. `id` is the caller's, handed back by `onOpen`. */
export interface LibraryEntry {
  readonly id: string;
  readonly label: string;
  /** A newer version arrived since the reader last opened it. */
  readonly isNew?: boolean;
  /** In the Blocked section: the button's text for lifting it (default "Unblock"; "Unmute", "Unsubscribe"). */
  readonly lift?: string;
}

/** What the panel shows. */
export interface LibraryView {
  readonly followed: readonly LibraryEntry[];
  readonly own: readonly LibraryEntry[];
  /** Sites LAN neighbours announce; absent with `nearbyOff`. */
  readonly nearby?: readonly LibraryEntry[];
  /** Why there is no "Sites near me" list (LAN discovery off), shown in its place. */
  readonly nearbyOff?: string;
  /** Blocked and muted authors and sites, and subscribed block lists: activating one does nothing, the button lifts it. */
  readonly blocked?: readonly LibraryEntry[];
  /** The last search and its results, if the reader searched. */
  readonly search?: { readonly query: string; readonly results: readonly LibraryEntry[] };
}

export interface LibraryCommands {
  readonly onOpen: (id: string) => void;
  readonly onSearch: (query: string) => void;
  /** The reader lifted the block of a row of the Blocked section. */
  readonly onUnblock?: (id: string) => void;
}

/** A section heading or an entry, as listed. */
type Row = { readonly heading: string } | { readonly entry: LibraryEntry; readonly isBlocked: boolean };

const PANEL_WIDTH = 280;
/** At most this share of the window: on a narrow window the page keeps most of it (issue #22). */
const MAX_PANEL_SHARE = 0.4;
const NEW_MARKER = '● ';

export class LibraryPanel {
  readonly widget: NodeGui.QWidget;
  readonly #qt: Qt;
  readonly #list: NodeGui.QListWidget;
  readonly #search: NodeGui.QLineEdit;
  readonly #unblock: NodeGui.QPushButton;
  /** Qt objects kept referenced for the panel's life. */
  readonly #kept: object[] = [];
  #rows: Row[] = [];
  /** Kept referenced while listed. */
  #items: NodeGui.QListWidgetItem[] = [];

  /** Sizes the panel for a window `width` pixels wide: PANEL_WIDTH, or less on a narrow window. */
  fitWidth(width: number): void {
    this.widget.setFixedWidth(Math.max(1, Math.min(PANEL_WIDTH, Math.round(width * MAX_PANEL_SHARE))));
  }

  constructor(qt: Qt, commands: LibraryCommands) {
    this.#qt = qt;
    const panel = new qt.QWidget();
    panel.setObjectName('library');
    panel.setFixedWidth(PANEL_WIDTH);
    const column = new qt.QBoxLayout(qt.Direction.TopToBottom);
    column.setContentsMargins(4, 4, 4, 4);
    panel.setLayout(column);
    const search = new qt.QLineEdit();
    search.setObjectName('library-search');
    search.setPlaceholderText('Search everything stored');
    search.addEventListener('returnPressed', () => {
      commands.onSearch(search.text().trim());
    });
    column.addWidget(search);
    const list = new qt.QListWidget();
    list.setObjectName('library-list');
    list.addEventListener('itemActivated', () => {
      const row = this.#rows[list.currentRow()];
      if (row !== undefined && 'entry' in row && !row.isBlocked) commands.onOpen(row.entry.id);
    });
    column.addWidget(list, 1);
    const unblock = new qt.QPushButton();
    unblock.setObjectName('library-unblock');
    unblock.setText('&Unblock');
    unblock.setEnabled(false);
    const unblockCurrent = (): void => {
      const row = this.#rows[list.currentRow()];
      if (row !== undefined && 'entry' in row && row.isBlocked) commands.onUnblock?.(row.entry.id);
    };
    unblock.addEventListener('clicked', unblockCurrent);
    list.addEventListener('currentRowChanged', (index) => {
      const row = this.#rows[index];
      const liftable = row !== undefined && 'entry' in row && row.isBlocked;
      unblock.setEnabled(liftable);
      unblock.setText(`&${liftable ? row.entry.lift ?? 'Unblock' : 'Unblock'}`);
    });
    const shortcut = new qt.QShortcut(list);
    shortcut.setKey(new qt.QKeySequence('Delete'));
    shortcut.setContext(qt.ShortcutContext.WidgetShortcut);
    shortcut.addEventListener('activated', unblockCurrent);
    column.addWidget(unblock);
    this.widget = panel;
    this.#list = list;
    this.#search = search;
    this.#unblock = unblock;
    this.#kept.push(shortcut);
    this.show({ followed: [], own: [] });
  }

  /** Lists `view` (replacing what was listed). */
  show(view: LibraryView): void {
    const rows: Row[] = [];
    const section = (heading: string, entries: readonly LibraryEntry[], empty: string, isBlocked = false): void => {
      rows.push({ heading });
      if (entries.length === 0) rows.push({ heading: `   ${empty}` });
      for (const entry of entries) rows.push({ entry, isBlocked });
    };
    if (view.search !== undefined) section(`Search: ${view.search.query}`, view.search.results, 'nothing found');
    section('Followed sites', view.followed, 'none yet: Follow on a site');
    section('Your sites', view.own, 'none yet: File → New post');
    if (view.nearbyOff !== undefined) section('Sites near me', [], view.nearbyOff);
    else section('Sites near me', view.nearby ?? [], 'none announced on this network yet');
    section('Blocked', view.blocked ?? [], 'nothing blocked', true);
    const qt = this.#qt;
    this.#list.clear();
    this.#items = rows.map((row) => {
      const item = new qt.QListWidgetItem();
      if ('heading' in row) {
        item.setText(row.heading);
        item.setFlags(qt.ItemFlag.NoItemFlags);
      } else {
        item.setText(`${row.entry.isNew === true ? NEW_MARKER : ''}${row.entry.label}`);
        item.setFlags(qt.ItemFlag.ItemIsSelectable | qt.ItemFlag.ItemIsEnabled);
      }
      this.#list.addItem(item);
      return item;
    });
    this.#rows = rows;
    this.#unblock.setEnabled(false);
  }

  /** Puts the keyboard in the search box. */
  focusSearch(): void {
    this.#search.setFocus();
    this.#search.selectAll();
  }

  /** Puts the keyboard in the list. */
  focusList(): void {
    this.#list.setFocus();
  }

  /** The rows as listed (tests, automation). */
  dump(): string[] {
    return this.#items.map((item) => item.text());
  }

  /** The row the keyboard is on, whether the lift button applies to it, and what it says. */
  dumpCurrent(): { row: string | undefined; canUnblock: boolean; button: string } {
    return { row: this.#items[this.#list.currentRow()]?.text(), canUnblock: this.#unblock.isEnabled(), button: this.#unblock.text().replace('&', '') };
  }
}
