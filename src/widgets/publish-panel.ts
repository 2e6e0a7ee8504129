/**
 * The publish confirmation, shown inside the editor (never a nested dialog loop, see
 * qt-runtime.ts): what will be published (title, site, size, the files it adds), the
 * reminder that a published post cannot be taken back, an optional delay; then the
 * progress, and the new version's address with a Copy button — or what went wrong.
 *
 * It shows a summary handed to it and publishes through the function handed to it; every
 * text from the caller is shown as plain text. Threading: UI thread only.
 */
import type * as NodeGui from '@nodegui/nodegui';
import type { Qt } from '../render/nodegui-subset.js';
import { formatBytes } from '../render/block-widgets.js';

/** What a publish would add, as the confirmation shows it (a view-model made by the app). */
export interface PublishSummary {
  readonly title: string;
  /** The site it goes to, as the author knows it (name, and address when there is one). */
  readonly site: string;
  /** Size of everything published with this post, in bytes. */
  readonly bytes: number;
  /** The files this publish adds to the site (the post and its pictures), paths inside the site. */
  readonly files: readonly { readonly path: string; readonly bytes: number }[];
  /** Whether the files replace pages of the site (an edit) rather than add new ones. */
  readonly replaces?: boolean;
  /** Anything else the author should know first (shown as plain lines). */
  readonly notes?: readonly string[];
}

/** What the app reports once a post is published. */
export interface PublishOutcome {
  /** The new version's address (what readers open). */
  readonly url: string;
  /** The site's version number (BEP 44 `seq`). */
  readonly seq: bigint | number;
}

export type PublishState = 'confirm' | 'waiting' | 'publishing' | 'published' | 'failed';

/** The panel as data (tests, automation). */
export interface PublishPanelDump {
  readonly state: PublishState;
  readonly heading: string;
  readonly details: string;
  readonly reminder: string;
  readonly delayMinutes: number;
  readonly message: string;
  readonly address: string;
  readonly buttons: readonly string[];
}

export interface PublishPanelOptions {
  /** The author left the panel without publishing (Cancel, or Back after a failure). */
  readonly onCancel: () => void;
  /** The author is done after publishing (Close). */
  readonly onDone: () => void;
  /** Milliseconds in a minute of delay (tests shorten it). */
  readonly minuteMs?: number;
  /** The clock, milliseconds since the epoch. */
  readonly now?: () => number;
}

/** The buttons of the panel, by name (what `press` takes). */
export type PublishButton = 'cancel' | 'publish' | 'now' | 'copy' | 'done' | 'retry' | 'back';

const MAX_DELAY_MINUTES = 24 * 60;
export const IRREVOCABLE_REMINDER =
  'Once published, this post cannot be taken back: everyone who reads or follows your site keeps a copy and shares it on. ' +
  'You can publish a corrected version later, but older versions stay readable.';

/** The publish confirmation panel; put `widget` where the editor was. */
export class PublishPanel {
  readonly widget: NodeGui.QWidget;
  readonly #options: PublishPanelOptions;
  readonly #heading: NodeGui.QLabel;
  readonly #details: NodeGui.QLabel;
  readonly #reminder: NodeGui.QLabel;
  readonly #delayRow: NodeGui.QWidget;
  readonly #delay: NodeGui.QSpinBox;
  readonly #message: NodeGui.QLabel;
  readonly #address: NodeGui.QLineEdit;
  readonly #buttons = new Map<PublishButton, NodeGui.QPushButton>();
  /** Qt objects referenced for the panel's life (NodeGui collects unreferenced wrappers). */
  readonly #kept: object[] = [];
  #state: PublishState = 'confirm';
  #shown: readonly PublishButton[] = [];
  #publish: (() => Promise<PublishOutcome>) | undefined;
  #title = '';
  #timer: NodeJS.Timeout | undefined;
  #ticker: NodeJS.Timeout | undefined;
  /** Bumped whenever a wait or a publish is abandoned, so a late answer is ignored. */
  #generation = 0;

  constructor(qt: Qt, options: PublishPanelOptions) {
    this.#options = options;
    const widget = new qt.QWidget();
    widget.setObjectName('publish-panel');
    const outer = new qt.QBoxLayout(qt.Direction.TopToBottom);
    outer.setContentsMargins(0, 0, 0, 12);
    widget.setLayout(outer);
    // What is said scrolls, the buttons stay: on an 800×600 screen a long list of files
    // pushed Publish off the window (issue #22).
    const body = new qt.QWidget();
    body.setObjectName('publish-body');
    const column = new qt.QBoxLayout(qt.Direction.TopToBottom);
    column.setContentsMargins(32, 24, 32, 12);
    column.setSpacing(14);
    body.setLayout(column);
    const scroll = new qt.QScrollArea();
    scroll.setObjectName('publish-scroll');
    scroll.setWidgetResizable(true);
    scroll.setHorizontalScrollBarPolicy(qt.ScrollBarPolicy.ScrollBarAlwaysOff);
    scroll.setStyleSheet('QScrollArea { border: none; }', false);
    scroll.setWidget(body);
    outer.addWidget(scroll, 1);
    const label = (name: string): NodeGui.QLabel => {
      const item = new qt.QLabel();
      item.setObjectName(name);
      item.setTextFormat(qt.TextFormat.PlainText);
      item.setWordWrap(true);
      column.addWidget(item);
      return item;
    };
    this.#heading = label('publish-heading');
    this.#heading.setStyleSheet('font-size: 20px; font-weight: bold;', false);
    this.#details = label('publish-details');
    this.#details.setTextInteractionFlags(qt.TextInteractionFlag.TextSelectableByMouse);
    this.#reminder = label('publish-reminder');
    this.#reminder.setText(IRREVOCABLE_REMINDER);
    this.#reminder.setStyleSheet('background: #fff4d6; color: #3d3000; border: 1px solid #e5c66b; border-radius: 4px; padding: 10px;', false);

    const delayRow = new qt.QWidget();
    const delayLayout = new qt.QBoxLayout(qt.Direction.LeftToRight);
    delayLayout.setContentsMargins(0, 0, 0, 0);
    delayRow.setLayout(delayLayout);
    const delayLabel = new qt.QLabel();
    delayLabel.setText('Publish in');
    const delay = new qt.QSpinBox();
    delay.setObjectName('publish-delay');
    delay.setMinimum(0);
    delay.setMaximum(MAX_DELAY_MINUTES);
    delay.setSuffix(' minutes');
    delay.setSpecialValueText('now');
    delay.addEventListener('valueChanged', () => {
      this.#buttons.get('publish')?.setText(this.delayMinutes === 0 ? 'Publish' : `Publish in ${this.delayMinutes} min`);
    });
    delayLayout.addWidget(delayLabel);
    delayLayout.addWidget(delay);
    delayLayout.addStretch(1);
    column.addWidget(delayRow);
    this.#delayRow = delayRow;
    this.#delay = delay;

    this.#message = label('publish-message');
    const address = new qt.QLineEdit();
    address.setObjectName('publish-address');
    address.setReadOnly(true);
    column.addWidget(address);
    this.#address = address;
    column.addStretch(1);

    const row = new qt.QBoxLayout(qt.Direction.LeftToRight);
    row.setContentsMargins(32, 0, 32, 0);
    row.addStretch(1);
    const add = (name: PublishButton, text: string, action: () => void): void => {
      const button = new qt.QPushButton();
      button.setObjectName(`publish-${name}`);
      button.setText(text);
      button.addEventListener('clicked', action);
      row.addWidget(button);
      this.#buttons.set(name, button);
    };
    add('cancel', 'Cancel', () => {
      this.#abandon();
      this.#options.onCancel();
    });
    add('back', 'Back to the editor', () => {
      this.#abandon();
      this.#options.onCancel();
    });
    add('now', 'Publish now', () => {
      void this.#run();
    });
    add('retry', 'Try again', () => {
      void this.#run();
    });
    add('copy', 'Copy address', () => {
      qt.QApplication.clipboard()?.setText(this.#address.text());
      this.#buttons.get('copy')?.setText('Copied ✓');
    });
    add('done', 'Close', () => {
      this.#options.onDone();
    });
    add('publish', 'Publish', () => {
      this.#confirm();
    });
    outer.addLayout(row);
    // Escape leaves the confirmation as Cancel does (or Back, after a failure).
    const escape = new qt.QShortcut(widget);
    escape.setKey(new qt.QKeySequence('Escape'));
    escape.setContext(qt.ShortcutContext.WidgetWithChildrenShortcut);
    escape.addEventListener('activated', () => {
      if (!this.press('cancel')) this.press('back');
    });
    this.#kept.push(escape, scroll, body, outer);
    this.widget = widget;
    this.#show('confirm');
  }

  get state(): PublishState {
    return this.#state;
  }

  get delayMinutes(): number {
    return this.#delay.value();
  }

  /** Sets the delay as the author would with the spin box. */
  setDelayMinutes(minutes: number): void {
    this.#delay.setValue(Math.max(0, Math.min(MAX_DELAY_MINUTES, Math.round(minutes))));
  }

  /**
   * Shows `summary` for confirmation; `publish` runs once the author confirmed (and any
   * delay passed). Showing a new summary abandons a wait that was under way.
   */
  open(summary: PublishSummary, publish: () => Promise<PublishOutcome>): void {
    this.#abandon();
    this.#publish = publish;
    this.#title = summary.title.trim() === '' ? 'Untitled' : summary.title.trim();
    const files = summary.files.map((file) => `    ${file.path} (${formatBytes(file.bytes)})`);
    this.#details.setText([
      `Site: ${summary.site}`,
      `Size: ${formatBytes(summary.bytes)}`,
      `${summary.replaces === true ? 'Writes' : 'Adds'} ${summary.files.length === 1 ? '1 file' : `${summary.files.length} files`}:`,
      ...files,
      ...(summary.notes ?? []),
    ].join('\n'));
    this.setDelayMinutes(0);
    this.#show('confirm');
  }

  /** Presses a button as the author would (automation, tests); false when it is not shown. */
  press(name: PublishButton): boolean {
    const button = this.#buttons.get(name);
    if (button === undefined || !this.#shown.includes(name)) return false;
    button.click();
    return true;
  }

  /** Stops a wait under way; a publish already started finishes but is no longer shown. */
  close(): void {
    this.#abandon();
  }

  dump(): PublishPanelDump {
    return {
      state: this.#state,
      heading: this.#heading.text(),
      details: this.#details.text(),
      reminder: this.#state === 'confirm' || this.#state === 'waiting' ? this.#reminder.text() : '',
      delayMinutes: this.delayMinutes,
      message: this.#message.text(),
      address: this.#address.text(),
      buttons: this.#shown,
    };
  }

  #confirm(): void {
    const minutes = this.delayMinutes;
    if (minutes === 0) {
      void this.#run();
      return;
    }
    const now = this.#options.now ?? Date.now;
    const dueMs = now() + minutes * (this.#options.minuteMs ?? 60_000);
    const generation = ++this.#generation;
    const tick = (): void => {
      const leftS = Math.max(0, Math.ceil((dueMs - now()) / 1000));
      const at = new Date(dueMs).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
      this.#message.setText(`Publishing at ${at} (in ${Math.floor(leftS / 60)}:${String(leftS % 60).padStart(2, '0')}). Keep swarmpress open until then; the draft stays saved.`);
    };
    this.#show('waiting');
    tick();
    this.#ticker = setInterval(tick, 1000);
    this.#timer = setTimeout(() => {
      if (generation === this.#generation) void this.#run();
    }, dueMs - now());
  }

  async #run(): Promise<void> {
    const publish = this.#publish;
    if (publish === undefined) return;
    this.#stopTimers();
    const generation = ++this.#generation;
    this.#message.setText('Publishing…');
    this.#show('publishing');
    try {
      const outcome = await publish();
      if (generation !== this.#generation) return;
      this.#message.setText(`Published: version ${String(outcome.seq)} of your site. Share this address:`);
      this.#address.setText(outcome.url);
      this.#show('published');
    } catch (error) {
      if (generation !== this.#generation) return;
      this.#message.setText(`Not published: ${error instanceof Error ? error.message : String(error)}\nYour draft is kept.`);
      this.#show('failed');
    }
  }

  #abandon(): void {
    this.#generation++;
    this.#stopTimers();
  }

  #stopTimers(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    if (this.#ticker !== undefined) clearInterval(this.#ticker);
    this.#timer = undefined;
    this.#ticker = undefined;
  }

  #show(state: PublishState): void {
    this.#state = state;
    const visible: Readonly<Record<PublishState, readonly PublishButton[]>> = {
      confirm: ['cancel', 'publish'],
      waiting: ['cancel', 'now'],
      publishing: [],
      published: ['copy', 'done'],
      failed: ['back', 'retry'],
    };
    const headings: Readonly<Record<PublishState, string>> = {
      confirm: `Publish “${this.#title}”?`,
      waiting: `Publishing “${this.#title}” later`,
      publishing: `Publishing “${this.#title}”…`,
      published: `Published “${this.#title}”`,
      failed: `“${this.#title}” was not published`,
    };
    this.#heading.setText(headings[state]);
    this.#buttons.get('copy')?.setText('Copy address');
    this.#shown = visible[state];
    for (const [name, button] of this.#buttons) button.setVisible(this.#shown.includes(name));
    this.#delayRow.setVisible(state === 'confirm');
    this.#reminder.setVisible(state === 'confirm' || state === 'waiting');
    this.#message.setVisible(state !== 'confirm');
    this.#address.setVisible(state === 'published');
    if (state === 'confirm') this.#message.setText('');
    if (state !== 'published') this.#address.setText('');
    const focus = visible[state].at(-1);
    if (focus !== undefined) this.#buttons.get(focus)?.setDefault(true);
  }
}
