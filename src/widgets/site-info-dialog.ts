/**
 * Site information (Site → Site information, Ctrl+I): for the site of the page shown, its
 * author key (selectable, with a Copy button), the current version's infohash and seq,
 * the peers in that version's swarm, when it was last updated, what it takes on disk, and
 * the version history the store holds — activating a version (Enter, double-click, Open)
 * reports it through `onOpenVersion`. It shows the view-model handed to it and nothing
 * else; `update` refreshes it in place (the presenter does so while it is open).
 *
 * Not modal, opened with `show()` (never `exec()`: a nested Qt loop would block the JS
 * thread — qt-runtime.ts). No Qt parent, like link-confirm.ts: the runtime deletes
 * top-level widgets itself at exit. Peer text (titles) is plain text everywhere.
 */
import type * as NodeGui from '@nodegui/nodegui';
import type { Qt } from '../render/nodegui-subset.js';
import { fitToScreen } from './screen-fit.js';

/** One stored version, as the history lists it. `id` is the caller's, handed back by `onOpenVersion`. */
export interface SiteVersionRow {
  readonly id: string;
  readonly label: string;
}

/** What the dialog shows: every value already worded by the presenter. */
export interface SiteInfoView {
  readonly title: string;
  /** The author (site) key, 64 hex digits. */
  readonly key: string;
  /** The current version's infohash (40 hex digits). */
  readonly infohash: string;
  readonly seq: string;
  readonly peers: string;
  readonly lastUpdate: string;
  readonly cacheSize: string;
  /** Newest first. */
  readonly history: readonly SiteVersionRow[];
  /** A line under the history (e.g. where its hash chain is cut), if any. */
  readonly historyNote?: string;
}

export interface SiteInfoCommands {
  readonly onOpenVersion: (id: string) => void;
  /** The reader closed the dialog. */
  readonly onClosed?: () => void;
}

/** What {@link SiteInfoDialog.dump} reads back from Qt. */
export interface SiteInfoDump {
  readonly visible: boolean;
  readonly windowTitle: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly history: readonly string[];
  readonly historyNote: string;
  readonly clipboard: string;
}

const FIELDS = [
  ['key', 'Author key'],
  ['infohash', 'Version infohash'],
  ['seq', 'Version (seq)'],
  ['peers', 'Peers now'],
  ['lastUpdate', 'Last update'],
  ['cacheSize', 'On disk'],
] as const;

type FieldName = (typeof FIELDS)[number][0];

/** The dialog's size where the screen has room (smaller screens: their available size). */
const PREFERRED_SIZE = { width: 680, height: 520 };

export class SiteInfoDialog {
  readonly dialog: NodeGui.QDialog;
  readonly #qt: Qt;
  readonly #keyEdit: NodeGui.QLineEdit;
  readonly #values = new Map<FieldName, NodeGui.QLabel>();
  readonly #history: NodeGui.QListWidget;
  readonly #note: NodeGui.QLabel;
  /** Kept referenced while listed. */
  #items: NodeGui.QListWidgetItem[] = [];
  #view: SiteInfoView;
  #closed = false;

  constructor(qt: Qt, view: SiteInfoView, commands: SiteInfoCommands, near?: NodeGui.QWidget) {
    this.#qt = qt;
    this.#view = view;
    const dialog = new qt.QDialog();
    dialog.setObjectName('site-info');
    fitToScreen(qt, dialog, PREFERRED_SIZE, near);
    const column = new qt.QBoxLayout(qt.Direction.TopToBottom);
    dialog.setLayout(column);
    const grid = new qt.QGridLayout();
    column.addLayout(grid);
    FIELDS.forEach(([name, caption], row) => {
      const label = new qt.QLabel();
      label.setTextFormat(qt.TextFormat.PlainText);
      label.setText(caption);
      grid.addWidget(label, row, 0);
      if (name === 'key') return;
      const value = new qt.QLabel();
      value.setObjectName(`site-info-${name}`);
      value.setTextFormat(qt.TextFormat.PlainText);
      value.setTextInteractionFlags(qt.TextInteractionFlag.TextSelectableByMouse);
      // Wrapped: a long line (the last update) must not make the dialog wider than a small screen.
      value.setWordWrap(true);
      grid.addWidget(value, row, 1, 1, 2);
      this.#values.set(name, value);
    });
    const keyEdit = new qt.QLineEdit();
    keyEdit.setObjectName('site-info-key');
    keyEdit.setReadOnly(true);
    grid.addWidget(keyEdit, 0, 1);
    const copy = new qt.QPushButton();
    copy.setText('&Copy key');
    copy.addEventListener('clicked', () => {
      this.copyKey();
    });
    grid.addWidget(copy, 0, 2);

    const heading = new qt.QLabel();
    heading.setTextFormat(qt.TextFormat.PlainText);
    heading.setText('Versions stored here (Enter opens one, offline):');
    heading.setWordWrap(true);
    column.addWidget(heading);
    const history = new qt.QListWidget();
    history.setObjectName('site-info-history');
    history.addEventListener('itemActivated', () => {
      this.#openCurrent(commands);
    });
    column.addWidget(history, 1);
    const note = new qt.QLabel();
    note.setTextFormat(qt.TextFormat.PlainText);
    note.setWordWrap(true);
    column.addWidget(note);
    const buttons = new qt.QBoxLayout(qt.Direction.LeftToRight);
    buttons.addStretch(1);
    const open = new qt.QPushButton();
    open.setText('&Open version');
    open.addEventListener('clicked', () => {
      this.#openCurrent(commands);
    });
    const close = new qt.QPushButton();
    close.setText('Close');
    close.addEventListener('clicked', () => {
      this.close();
    });
    buttons.addWidget(open);
    buttons.addWidget(close);
    column.addLayout(buttons);
    // Escape rejects the dialog; the window manager's close button sends a Close event.
    const closedByReader = (): void => {
      const wasOpen = !this.#closed;
      this.close();
      if (wasOpen) commands.onClosed?.();
    };
    dialog.addEventListener('rejected', closedByReader);
    dialog.addEventListener(qt.WidgetEventTypes.Close, closedByReader);
    this.dialog = dialog;
    this.#keyEdit = keyEdit;
    this.#history = history;
    this.#note = note;
    this.update(view);
    dialog.show();
    dialog.activateWindow();
    history.setFocus();
  }

  /** Shows `view` in place; the history keeps its selection when it did not change. */
  update(view: SiteInfoView): void {
    const previous = this.#view;
    this.#view = view;
    this.dialog.setWindowTitle(`Site information — ${view.title}`);
    this.#keyEdit.setText(view.key);
    for (const [name, label] of this.#values) label.setText(view[name]);
    this.#note.setText(view.historyNote ?? '');
    const same = this.#items.length === view.history.length && previous.history.every((row, i) => row.id === view.history[i]?.id && row.label === view.history[i].label);
    if (same) return;
    const qt = this.#qt;
    const row = Math.max(0, this.#history.currentRow());
    this.#history.clear();
    this.#items = view.history.map((entry) => {
      const item = new qt.QListWidgetItem();
      item.setText(entry.label);
      this.#history.addItem(item);
      return item;
    });
    if (this.#items.length > 0) this.#history.setCurrentRow(Math.min(row, this.#items.length - 1));
  }

  /** Puts the author key on the clipboard. */
  copyKey(): void {
    this.#qt.QApplication.clipboard()?.setText(this.#view.key, this.#qt.QClipboardMode.Clipboard);
  }

  /** Open and shown (Escape hides a dialog without every NodeGui build reporting it). */
  get isOpen(): boolean {
    return !this.#closed && this.dialog.isVisible();
  }

  /** Closes the dialog (idempotent); `onClosed` is for the reader's own closing only. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.dialog.close();
    this.dialog.deleteLater();
  }

  /** What the dialog shows, read back from Qt (tests, automation). */
  dump(): SiteInfoDump {
    const fields: Record<string, string> = { key: this.#keyEdit.text() };
    for (const [name, label] of this.#values) fields[name] = label.text();
    return {
      visible: this.dialog.isVisible(),
      windowTitle: this.dialog.windowTitle(),
      fields,
      history: this.#items.map((item) => item.text()),
      historyNote: this.#note.text(),
      clipboard: this.#qt.QApplication.clipboard()?.text(this.#qt.QClipboardMode.Clipboard) ?? '',
    };
  }

  /** Saves a screenshot of the dialog as PNG; false when Qt could not. */
  grab(path: string): boolean {
    return this.dialog.grab().save(path, 'PNG');
  }

  #openCurrent(commands: SiteInfoCommands): void {
    const entry = this.#view.history[this.#history.currentRow()];
    if (entry !== undefined) commands.onOpenVersion(entry.id);
  }
}
