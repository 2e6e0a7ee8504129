/**
 * The Markdown editor: a title, a formatting toolbar, the text, and a live preview drawn by
 * the reader's own renderer (PageView), with the publish confirmation in place of the
 * editor when the author publishes. A panel (a QWidget): it lives in its own window
 * (editor-window.ts) or anywhere else.
 *
 * It keeps no state but what Qt shows: the app asks for `content()` when it saves, hands
 * it the publish summary, and does the saving, copying and publishing through the
 * `EditorCommands` callbacks (DESIGN.md layers: widgets never touch the store or the net).
 *
 * Keys: Ctrl+B bold, Ctrl+I italic, Ctrl+K link, Ctrl+S save, Ctrl+Enter publish. The
 * preview (editor-preview.ts) follows the text once typing pauses.
 * Threading: UI thread only.
 */
import type * as NodeGui from '@nodegui/nodegui';
import type { Qt } from '../render/nodegui-subset.js';
import { MAX_BODY_BYTES, MAX_TITLE_BYTES } from '../core/item.js';
import type { LayoutPlan } from '../render/layout.js';
import type { DumpNode, PageView } from '../render/page-view.js';
import type { SiteFiles } from '../render/site-files.js';
import type { ThemeName } from '../render/theme.js';
import { EditorPreview, type PreviewStats } from './editor-preview.js';
import { formatEdit, imageEdit, linkEdit, type FormatAction, type TextEdit, type TextRange } from './markdown-format.js';
import { PublishPanel, type PublishButton, type PublishOutcome, type PublishPanelDump, type PublishSummary } from './publish-panel.js';
import type { TextCursors } from './qt-runtime.js';

/** What the author wrote. */
export interface EditorContent {
  readonly title: string;
  readonly body: string;
  /** The site chosen (when the panel offers a choice of sites). */
  readonly site?: string;
}

/** The author's sites a post can go to. */
export interface SiteChoice {
  readonly names: readonly string[];
  readonly chosen: string;
  /** Shown but not changeable (an edit of a page belongs to its site). */
  readonly fixed?: boolean;
  /** What the row says before the choice. */
  readonly label?: string;
}

/** A picture the app copied for the post: the path to write in the Markdown and its description. */
export interface InsertedImage {
  readonly path: string;
  readonly alt: string;
}

/** What the editor asks of the app. */
export interface EditorCommands {
  /** The title or the text changed (called on every keystroke: read `content()` when saving). */
  readonly onChange: () => void;
  /** The author asked to save now (Ctrl+S). */
  readonly onSave: () => void;
  /** The author chose a picture file; resolve with where the post refers to it, or reject with why not. */
  readonly onImageChosen: (file: string) => Promise<InsertedImage>;
  /** What publishing `content` would add, for the confirmation; reject with why it cannot be published. */
  readonly onPreparePublish: (content: EditorContent) => Promise<PublishSummary>;
  /** Publish `content` (confirmed, after any delay). */
  readonly onPublish: (content: EditorContent) => Promise<PublishOutcome>;
  /** The author closed the panel after publishing. */
  readonly onDone: () => void;
}

export interface EditorPanelOptions {
  readonly textCursors: TextCursors;
  /** Markdown -> layout plan for the preview (the app passes its PlanWorker's). */
  readonly layout: (source: string) => Promise<LayoutPlan>;
  readonly initial?: EditorContent;
  /** The draft's files, for pictures in the preview. */
  readonly files?: SiteFiles;
  readonly theme?: ThemeName;
  /** Pause in typing after which the preview is laid out (default PREVIEW_PAUSE_MS). */
  readonly previewPauseMs?: number;
  /** Milliseconds in a minute of publish delay (tests shorten it). */
  readonly publishMinuteMs?: number;
  /** Folder the picture chooser opens in. */
  readonly imageFolder?: string;
  /** The sites to choose from (no choice is shown without it). */
  readonly sites?: SiteChoice;
}

/** Toolbar actions, by button. */
export type EditorAction = FormatAction | 'link' | 'image' | 'publish';

export type { PreviewStats } from './editor-preview.js';

/** The editor as data, read back from Qt (tests, automation). */
export interface EditorDump {
  readonly page: 'editing' | 'publish';
  readonly title: string;
  readonly body: string;
  readonly selection: TextRange;
  readonly focus: 'title' | 'text' | 'other';
  readonly status: string;
  readonly count: string;
  readonly preview: DumpNode[];
  readonly previewStats: PreviewStats;
  readonly publish: PublishPanelDump;
  readonly imageChooserOpen: boolean;
  /** The site chosen, the sites offered, and whether the choice can change. */
  readonly site: { readonly chosen: string; readonly names: readonly string[]; readonly fixed: boolean; readonly at: { readonly x: number; readonly y: number } } | null;
  /** Centres of the toolbar buttons on the screen (for clicking them with xdotool). */
  readonly buttons: Readonly<Record<string, { readonly x: number; readonly y: number }>>;
}

const BUTTONS: readonly { readonly action: EditorAction; readonly text: string; readonly tip: string }[] = [
  { action: 'heading', text: 'H', tip: 'Heading (press again for a smaller one, a third time for none)' },
  { action: 'bold', text: 'B', tip: 'Bold (Ctrl+B)' },
  { action: 'italic', text: 'I', tip: 'Italic (Ctrl+I)' },
  { action: 'link', text: 'Link', tip: 'Link (Ctrl+K); an address on the clipboard becomes its target' },
  { action: 'image', text: 'Picture', tip: 'Insert a picture from your disk' },
  { action: 'code', text: '</>', tip: 'Code: inline on one line, a block over several lines' },
  { action: 'bullets', text: '• List', tip: 'Bulleted list' },
  { action: 'numbers', text: '1. List', tip: 'Numbered list' },
  { action: 'quote', text: '❝ Quote', tip: 'Quote' },
];

const EDITOR_STYLE = `
QPlainTextEdit#editor-text { font-family: "DejaVu Sans Mono", monospace; font-size: 14px; padding: 6px; }
QLineEdit#editor-title { font-size: 20px; padding: 6px; }
QPushButton[toolbar="true"] { min-width: 34px; padding: 4px 8px; }
QPushButton#editor-bold { font-weight: bold; }
QPushButton#editor-italic { font-style: italic; }
QPushButton#editor-publish { font-weight: bold; padding: 4px 16px; }
QScrollArea#editor-toolbar, QWidget#editor-toolbar-strip { border: none; background: transparent; }
QLabel#editor-status, QLabel#editor-count { color: #55555f; padding: 2px 8px; }
`;

/** The editor panel; put `widget` in a window. */
export class EditorPanel {
  readonly widget: NodeGui.QWidget;
  readonly #qt: Qt;
  readonly #options: EditorPanelOptions;
  readonly #commands: EditorCommands;
  readonly #stack: NodeGui.QStackedWidget;
  readonly #editing: NodeGui.QWidget;
  readonly #title: NodeGui.QLineEdit;
  readonly #text: NodeGui.QPlainTextEdit;
  readonly #preview: EditorPreview;
  readonly #status: NodeGui.QLabel;
  readonly #count: NodeGui.QLabel;
  readonly #publish: PublishPanel;
  readonly #buttons = new Map<EditorAction, NodeGui.QPushButton>();
  readonly #shortcuts: NodeGui.QShortcut[] = [];
  /** Qt objects referenced for the panel's life (NodeGui collects unreferenced wrappers). */
  readonly #kept: object[] = [];
  readonly #site: NodeGui.QComboBox | undefined;
  #imageDialog: NodeGui.QFileDialog | undefined;
  #loading = false;
  #closed = false;

  constructor(qt: Qt, options: EditorPanelOptions, commands: EditorCommands) {
    this.#qt = qt;
    this.#options = options;
    this.#commands = commands;
    const root = new qt.QWidget();
    root.setObjectName('editor');
    root.setStyleSheet(EDITOR_STYLE, false);
    const rootColumn = new qt.QBoxLayout(qt.Direction.TopToBottom);
    rootColumn.setContentsMargins(0, 0, 0, 0);
    rootColumn.setSpacing(0);
    root.setLayout(rootColumn);
    const stack = new qt.QStackedWidget();
    rootColumn.addWidget(stack, 1);

    const editing = new qt.QWidget();
    editing.setObjectName('editor-editing');
    const column = new qt.QBoxLayout(qt.Direction.TopToBottom);
    column.setContentsMargins(8, 8, 8, 0);
    column.setSpacing(6);
    editing.setLayout(column);

    const title = new qt.QLineEdit();
    title.setObjectName('editor-title');
    title.setPlaceholderText('Title');
    // A title is at most MAX_TITLE_BYTES of UTF-8; a character takes up to 3 bytes (BMP).
    title.setMaxLength(Math.floor(MAX_TITLE_BYTES / 3));
    title.addEventListener('textChanged', () => {
      if (!this.#loading && !this.#closed) this.#commands.onChange();
    });
    title.addEventListener('returnPressed', () => {
      this.#text.setFocus();
    });
    column.addWidget(title);
    if (options.sites !== undefined) {
      const [row, combo] = buildSiteRow(qt, options.sites);
      combo.addEventListener('currentIndexChanged', () => {
        if (!this.#loading && !this.#closed) this.#commands.onChange();
      });
      column.addLayout(row);
      this.#site = combo;
    }

    column.addLayout(buildToolbar(qt, this.#buttons, this.#kept, (action) => {
      this.#act(action);
    }));

    const split = new qt.QBoxLayout(qt.Direction.LeftToRight);
    split.setSpacing(8);
    const text = new qt.QPlainTextEdit();
    text.setObjectName('editor-text');
    text.setPlaceholderText('Write in Markdown: **bold**, *italic*, [a link](bittorrent://…), ## a heading, - a list…');
    text.addEventListener('textChanged', this.#handleTextChange);
    split.addWidget(text, 1);
    const preview = new EditorPreview(qt, {
      read: () => this.#text.toPlainText(),
      layout: options.layout,
      ...(options.files === undefined ? {} : { files: options.files }),
      ...(options.theme === undefined ? {} : { theme: options.theme }),
      ...(options.previewPauseMs === undefined ? {} : { pauseMs: options.previewPauseMs }),
      onLink: () => {
        this.setStatus('Links open from the reader; this is a preview.');
      },
      onShown: (source, plan) => {
        this.#count.setText(countText(source, plan));
      },
    });
    split.addWidget(preview.widget, 1);
    column.addLayout(split, 1);

    const [statusRow, status, count] = buildStatusRow(qt);
    column.addLayout(statusRow);
    stack.addWidget(editing);

    const publish = new PublishPanel(qt, {
      onCancel: () => {
        this.#showEditing();
      },
      onDone: () => {
        this.#showEditing();
        this.#commands.onDone();
      },
      ...(options.publishMinuteMs === undefined ? {} : { minuteMs: options.publishMinuteMs }),
    });
    stack.addWidget(publish.widget);

    this.widget = root;
    this.#stack = stack;
    this.#editing = editing;
    this.#title = title;
    this.#text = text;
    this.#preview = preview;
    this.#status = status;
    this.#count = count;
    this.#publish = publish;
    this.#bindKeys();
    this.setContent(options.initial ?? { title: '', body: '' });
  }

  /** The title as shown now (cheaper than `content()` on every keystroke). */
  get title(): string {
    return this.#title.text();
  }

  /** What the author wrote, as shown now. */
  content(): EditorContent {
    const site = this.#site?.currentText();
    return { title: this.#title.text(), body: this.#text.toPlainText(), ...(site === undefined || site === '' ? {} : { site }) };
  }

  /** Chooses site `name` as the author would (automation, tests); false when it is not offered or fixed. */
  chooseSite(name: string): boolean {
    const combo = this.#site;
    const index = this.#options.sites?.names.indexOf(name) ?? -1;
    if (combo === undefined || index < 0 || this.#options.sites?.fixed === true) return false;
    combo.setCurrentIndex(index);
    return true;
  }

  /** Replaces what is shown (a draft being opened) without reporting a change. */
  setContent(content: EditorContent): void {
    this.#loading = true;
    try {
      this.#title.setText(content.title);
      this.#text.setPlainText(content.body);
    } finally {
      this.#loading = false;
    }
    this.#preview.changed(true);
  }

  /** One line about saving (the app: "Draft saved 14:02:05", or why it was not). */
  setStatus(text: string): void {
    this.#status.setText(text);
  }

  /** Puts the keyboard in the text (or the title, when it is empty). */
  focus(): void {
    if (this.#title.text() === '' && this.#text.toPlainText() === '') this.#title.setFocus();
    else this.#text.setFocus();
  }

  /** Acts as if the author pressed the toolbar button of `action` (automation, tests). */
  press(action: EditorAction): void {
    this.#buttons.get(action)?.click();
  }

  /** Presses a button of the publish panel (automation, tests); false when it is not shown. */
  pressPublishButton(name: PublishButton): boolean {
    return this.#publish.press(name);
  }

  setPublishDelay(minutes: number): void {
    this.#publish.setDelayMinutes(minutes);
  }

  /** Selects `range` of the text, as the author would with the mouse (automation, tests). */
  select(range: TextRange): void {
    this.#options.textCursors.select(this.#text, { anchor: range.start, position: range.end });
    this.#text.setFocus();
  }

  /** Answers the open picture chooser with `file` as if the author picked it (automation). */
  chooseImageFile(file: string): void {
    const dialog = this.#imageDialog;
    this.#imageDialog = undefined;
    dialog?.close();
    dialog?.deleteLater();
    this.#insertImage(file);
  }

  /** Calls `handler` once the preview shows the text as it is now. */
  whenPreviewCurrent(handler: () => void): void {
    this.#preview.whenCurrent(handler);
  }

  get previewStats(): PreviewStats {
    return this.#preview.stats;
  }

  /** The preview's page view, if one is shown. */
  get preview(): PageView | undefined {
    return this.#preview.view;
  }

  dump(allPreviewBlocks = true): EditorDump {
    const focus = this.#title.hasFocus() ? 'title' : this.#text.hasFocus() ? 'text' : 'other';
    const { anchor, position } = this.#options.textCursors.selection(this.#text);
    const buttons: Record<string, { x: number; y: number }> = {};
    const centreOf = (widget: NodeGui.QWidget): { x: number; y: number } => {
      const centre = widget.mapToGlobal(new this.#qt.QPoint(Math.floor(widget.width() / 2), Math.floor(widget.height() / 2)));
      return { x: centre.x(), y: centre.y() };
    };
    for (const [action, button] of this.#buttons) buttons[action] = centreOf(button);
    return {
      page: this.#stack.currentIndex() === 0 ? 'editing' : 'publish',
      title: this.#title.text(),
      body: this.#text.toPlainText(),
      selection: { start: Math.min(anchor, position), end: Math.max(anchor, position) },
      focus,
      status: this.#status.text(),
      count: this.#count.text(),
      preview: this.#preview.dump(allPreviewBlocks),
      previewStats: this.#preview.stats,
      publish: this.#publish.dump(),
      imageChooserOpen: this.#imageDialog !== undefined,
      site: this.#site === undefined || this.#options.sites === undefined
        ? null
        : { chosen: this.#site.currentText(), names: this.#options.sites.names, fixed: this.#options.sites.fixed === true, at: centreOf(this.#site) },
      buttons,
    };
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  /** Stops timers and deletes the preview; the panel is unusable afterwards. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#publish.close();
    this.#imageDialog?.close();
    this.#preview.close();
  }

  readonly #handleTextChange = (): void => {
    if (this.#loading || this.#closed) return;
    this.#preview.changed();
    this.#commands.onChange();
  };

  #act(action: EditorAction): void {
    if (this.#closed || this.#stack.currentIndex() !== 0) return;
    switch (action) {
      case 'publish':
        void this.#requestPublish();
        return;
      case 'image':
        this.#openImageChooser();
        return;
      case 'link': {
        const clipboard = this.#qt.QApplication.clipboard()?.text() ?? '';
        this.#apply((text, range) => linkEdit(text, range, clipboard));
        return;
      }
      default:
        this.#apply((text, range) => formatEdit(text, range, action));
    }
  }

  /** Applies the edit `make` computes from the text and its selection, as one undo step. */
  #apply(make: (text: string, range: TextRange) => TextEdit): void {
    const cursors = this.#options.textCursors;
    const text = this.#text.toPlainText();
    const { anchor, position } = cursors.selection(this.#text);
    const edit = make(text, { start: Math.min(anchor, position), end: Math.max(anchor, position) });
    cursors.replace(this.#text, edit.from, edit.to, edit.insert, { anchor: edit.select.start, position: edit.select.end });
    this.#text.setFocus();
  }

  #openImageChooser(): void {
    if (this.#imageDialog !== undefined) return;
    const qt = this.#qt;
    const dialog = new qt.QFileDialog(this.widget, 'Insert a picture', this.#options.imageFolder ?? '', 'Pictures (*.png *.jpg *.jpeg *.gif)');
    dialog.setObjectName('editor-image-chooser');
    dialog.setFileMode(qt.FileMode.ExistingFile);
    dialog.setAcceptMode(qt.AcceptMode.AcceptOpen);
    const finish = (file: string | undefined): void => {
      if (this.#imageDialog !== dialog) return;
      this.#imageDialog = undefined;
      dialog.deleteLater();
      // Back to the editor's window (on a desktop without a window manager nobody else does it).
      this.widget.activateWindow();
      if (file !== undefined) this.#insertImage(file);
      else this.#text.setFocus();
    };
    dialog.addEventListener('fileSelected', (file) => {
      finish(file);
    });
    dialog.addEventListener('rejected', () => {
      finish(undefined);
    });
    this.#imageDialog = dialog;
    // open(), never exec(): a nested loop would stop libuv (qt-runtime.ts).
    dialog.setModal(true);
    dialog.open();
  }

  #insertImage(file: string): void {
    this.setStatus(`Adding ${file}…`);
    this.#commands.onImageChosen(file).then(
      (image) => {
        if (this.#closed) return;
        this.#apply((text, range) => imageEdit(text, range, image));
        this.setStatus(`Added the picture ${image.path}.`);
      },
      (error: unknown) => {
        if (!this.#closed) this.setStatus(`The picture was not added: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
  }

  async #requestPublish(): Promise<void> {
    const content = this.content();
    if (content.title.trim() === '' && content.body.trim() === '') {
      this.setStatus('Nothing to publish yet: write a title and some text first.');
      return;
    }
    if (new TextEncoder().encode(content.body).length > MAX_BODY_BYTES) {
      this.setStatus(`This post is longer than ${MAX_BODY_BYTES / 1024 / 1024} MB and cannot be published as one post.`);
      return;
    }
    this.#commands.onSave();
    let summary: PublishSummary;
    try {
      summary = await this.#commands.onPreparePublish(content);
    } catch (error) {
      this.setStatus(`Cannot publish: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (this.#closed) return;
    this.#publish.open(summary, () => this.#commands.onPublish(content));
    this.#stack.setCurrentIndex(1);
    this.#publish.widget.setFocus();
  }

  #showEditing(): void {
    this.#stack.setCurrentWidget(this.#editing);
    this.#text.setFocus();
  }

  #bindKeys(): void {
    const qt = this.#qt;
    const bind = (keys: string, action: () => void): void => {
      const shortcut = new qt.QShortcut(this.widget);
      shortcut.setKey(new qt.QKeySequence(keys));
      shortcut.setContext(qt.ShortcutContext.WidgetWithChildrenShortcut);
      shortcut.addEventListener('activated', action);
      this.#shortcuts.push(shortcut);
    };
    bind('Ctrl+B', () => {
      this.#act('bold');
    });
    bind('Ctrl+I', () => {
      this.#act('italic');
    });
    bind('Ctrl+K', () => {
      this.#act('link');
    });
    bind('Ctrl+S', () => {
      this.#commands.onSave();
    });
    for (const keys of ['Ctrl+Return', 'Ctrl+Enter']) {
      bind(keys, () => {
        this.#act('publish');
      });
    }
  }
}

/**
 * The toolbar: a button per action (kept in `buttons`), Publish at the far end. The
 * formatting buttons scroll sideways in a window narrower than they are (an 800×600 screen
 * at 150%), Publish stays in view (issue #22). `kept` holds the strip's widgets for the
 * panel's life.
 */
function buildToolbar(qt: Qt, buttons: Map<EditorAction, NodeGui.QPushButton>, kept: object[], onAction: (action: EditorAction) => void): NodeGui.QBoxLayout {
  const toolbar = new qt.QBoxLayout(qt.Direction.LeftToRight);
  toolbar.setSpacing(4);
  const strip = new qt.QWidget();
  strip.setObjectName('editor-toolbar-strip');
  const stripLayout = new qt.QBoxLayout(qt.Direction.LeftToRight);
  stripLayout.setContentsMargins(0, 0, 0, 0);
  stripLayout.setSpacing(4);
  strip.setLayout(stripLayout);
  const makeButton = (action: EditorAction, text: string, tip: string): NodeGui.QPushButton => {
    const button = new qt.QPushButton();
    button.setObjectName(`editor-${action}`);
    button.setText(text);
    button.setToolTip(tip);
    button.setProperty('toolbar', true);
    // A click must leave the keyboard in the text, as in any editor.
    button.setFocusPolicy(qt.FocusPolicy.NoFocus);
    button.addEventListener('clicked', () => {
      onAction(action);
    });
    buttons.set(action, button);
    return button;
  };
  for (const { action, text, tip } of BUTTONS) stripLayout.addWidget(makeButton(action, text, tip));
  stripLayout.addStretch(1);
  const scroll = new qt.QScrollArea();
  scroll.setObjectName('editor-toolbar');
  scroll.setWidgetResizable(true);
  scroll.setVerticalScrollBarPolicy(qt.ScrollBarPolicy.ScrollBarAlwaysOff);
  scroll.setHorizontalScrollBarPolicy(qt.ScrollBarPolicy.ScrollBarAsNeeded);
  scroll.setWidget(strip);
  // Room for the buttons and, when they do not fit, the scroll bar under them: measured once
  // shown, when the editor's style sheet has sized the buttons.
  const fitHeight = (): void => {
    scroll.setFixedHeight(strip.sizeHint().height() + scroll.horizontalScrollBar().sizeHint().height());
  };
  fitHeight();
  strip.addEventListener(qt.WidgetEventTypes.Show, fitHeight);
  toolbar.addWidget(scroll, 1);
  toolbar.addWidget(makeButton('publish', 'Publish…', 'Publish this post (Ctrl+Enter): shows what will be published first'));
  kept.push(strip, stripLayout, scroll);
  return toolbar;
}

/** "Publish to: [site ▾]": the author's sites, the chosen one selected. */
function buildSiteRow(qt: Qt, sites: SiteChoice): [NodeGui.QBoxLayout, NodeGui.QComboBox] {
  const row = new qt.QBoxLayout(qt.Direction.LeftToRight);
  const label = new qt.QLabel();
  label.setTextFormat(qt.TextFormat.PlainText);
  label.setText(sites.label ?? 'Publish to your site:');
  const combo = new qt.QComboBox();
  combo.setObjectName('editor-site');
  combo.setFocusPolicy(qt.FocusPolicy.NoFocus);
  for (const name of sites.names) combo.addItem(undefined, name);
  combo.setCurrentIndex(Math.max(0, sites.names.indexOf(sites.chosen)));
  combo.setEnabled(sites.fixed !== true);
  row.addWidget(label);
  row.addWidget(combo);
  row.addStretch(1);
  return [row, combo];
}

/** The status line: what happened last (saving, pictures) on the left, the counts on the right. */
function buildStatusRow(qt: Qt): [NodeGui.QBoxLayout, NodeGui.QLabel, NodeGui.QLabel] {
  const row = new qt.QBoxLayout(qt.Direction.LeftToRight);
  const label = (name: string, stretch: number): NodeGui.QLabel => {
    const item = new qt.QLabel();
    item.setObjectName(name);
    item.setTextFormat(qt.TextFormat.PlainText);
    row.addWidget(item, stretch);
    return item;
  };
  const status = label('editor-status', 1);
  // A long message is cut at the window's edge rather than widening the window (issue #22).
  status.setSizePolicy(qt.QSizePolicyPolicy.Ignored, qt.QSizePolicyPolicy.Preferred);
  status.setMinimumWidth(1);
  return [row, status, label('editor-count', 0)];
}

/** "123 words · 456 characters": words as the reader sees them (no markup, no addresses), characters as typed. */
function countText(source: string, plan: LayoutPlan): string {
  let words = 0;
  for (const block of plan.blocks) {
    if (block.kind === 'heading' || block.kind === 'paragraph') words += block.runs.map((run) => run.text).join('').match(WORD)?.length ?? 0;
  }
  return `${words} ${words === 1 ? 'word' : 'words'} · ${source.length} characters`;
}

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'\u2019_-]*/gu;
