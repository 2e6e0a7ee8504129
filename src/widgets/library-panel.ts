/**
 * The library: a side panel with the sites the reader follows (a marker when a newer
 * version arrived), the reader's own sites, and a search box over everything stored whose
 * results open pages. It shows the view-model handed to it and reports what the reader
 * picks; it never reads the store (DESIGN.md layers).
 */
import type * as NodeGui from '@nodegui/nodegui';

/** One row the reader can open. `id` is the caller's, handed back by `onOpen`. */
export interface LibraryEntry {
  readonly id: string;
  readonly label: string;
  /** A newer version arrived since the reader last opened it. */
  readonly isNew?: boolean;
}

/** What the panel shows. */
export interface LibraryView {
  readonly followed: readonly LibraryEntry[];
  readonly own: readonly LibraryEntry[];
  /** The last search and its results, if the reader searched. */
  readonly search?: { readonly query: string; readonly results: readonly LibraryEntry[] };
}

export interface LibraryCommands {
  readonly onOpen: (id: string) => void;
  readonly onSearch: (query: string) => void;
}

/** A section heading or an entry, as listed. */
type Row = { readonly heading: string } | { readonly entry: LibraryEntry };

const PANEL_WIDTH = 280;
const NEW_MARKER = '● ';

export class LibraryPanel {
  readonly widget: NodeGui.QWidget;
  readonly #qt: typeof NodeGui;
  readonly #list: NodeGui.QListWidget;
  readonly #search: NodeGui.QLineEdit;
  #rows: Row[] = [];
  /** Kept referenced while listed. */
  #items: NodeGui.QListWidgetItem[] = [];

  constructor(qt: typeof NodeGui, commands: LibraryCommands) {
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
      if (row !== undefined && 'entry' in row) commands.onOpen(row.entry.id);
    });
    column.addWidget(list, 1);
    this.widget = panel;
    this.#list = list;
    this.#search = search;
    this.show({ followed: [], own: [] });
  }

  /** Lists `view` (replacing what was listed). */
  show(view: LibraryView): void {
    const rows: Row[] = [];
    const section = (heading: string, entries: readonly LibraryEntry[], empty: string): void => {
      rows.push({ heading });
      if (entries.length === 0) rows.push({ heading: `   ${empty}` });
      for (const entry of entries) rows.push({ entry });
    };
    if (view.search !== undefined) section(`Search: ${view.search.query}`, view.search.results, 'nothing found');
    section('Followed sites', view.followed, 'none yet: Follow on a site');
    section('Your sites', view.own, 'none yet: File → New post');
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
  }

  /** Puts the keyboard in the search box. */
  focusSearch(): void {
    this.#search.setFocus();
    this.#search.selectAll();
  }

  /** The rows as listed (tests, automation). */
  dump(): string[] {
    return this.#items.map((item) => item.text());
  }
}
