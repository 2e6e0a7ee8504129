/**
 * A small form in a dialog of its own — labelled text fields, check boxes and lists to choose
 * one value from, a line for
 * what is wrong, and Cancel / a submit button — for the settings (Edit → Settings) and a
 * new site (File → New site). It shows what the app hands it and reports the values on
 * submit; the app answers with a message when they are refused (the dialog stays open,
 * nothing changed) or nothing when they were taken (the dialog closes).
 *
 * Non-blocking: shown with `show()`, never `exec()` (a nested Qt loop would stop libuv,
 * qt-runtime.ts). No Qt parent (see link-confirm.ts). Threading: UI thread only.
 */
import type * as NodeGui from '@nodegui/nodegui';
import type { Qt } from '../render/nodegui-subset.js';
import { fitToScreen } from './screen-fit.js';

/** One field of the form. */
export type FormField =
  | { readonly kind: 'text'; readonly name: string; readonly label: string; readonly value: string; readonly hint?: string }
  | { readonly kind: 'check'; readonly name: string; readonly label: string; readonly value: boolean; readonly hint?: string }
  /** One of `choices` (its `value` is reported; a `value` not among them shows the first). */
  | {
    readonly kind: 'choice';
    readonly name: string;
    readonly label: string;
    readonly value: string;
    readonly choices: readonly { readonly value: string; readonly label: string }[];
    readonly hint?: string;
  };

export type FormValues = Readonly<Record<string, string | boolean>>;

export interface FormDialogOptions {
  readonly name: string;
  readonly title: string;
  /** One paragraph above the fields (plain text). */
  readonly intro?: string;
  readonly fields: readonly FormField[];
  readonly submitText: string;
  /** The values were submitted: resolve with why they are refused, or undefined when they were taken. */
  readonly onSubmit: (values: FormValues) => Promise<string | undefined>;
  /** The dialog closed (taken, cancelled or closed by the window manager). */
  readonly onClosed?: () => void;
}

/** The dialog as data (tests, automation). */
export interface FormDialogDump {
  readonly title: string;
  readonly values: FormValues;
  readonly error: string;
  readonly busy: boolean;
  /** Centres of the buttons on the screen (for clicking with xdotool). */
  readonly buttons: Readonly<Record<'submit' | 'cancel', { readonly x: number; readonly y: number }>>;
}

/** The dialog's width where the screen has room. */
const PREFERRED_WIDTH_PX = 520;

export class FormDialog {
  readonly #qt: Qt;
  readonly #dialog: NodeGui.QDialog;
  readonly #options: FormDialogOptions;
  readonly #texts = new Map<string, NodeGui.QLineEdit>();
  readonly #checks = new Map<string, NodeGui.QCheckBox>();
  readonly #choices = new Map<string, { combo: NodeGui.QComboBox; values: readonly string[] }>();
  readonly #error: NodeGui.QLabel;
  readonly #scroll: NodeGui.QScrollArea;
  readonly #submit: NodeGui.QPushButton;
  readonly #cancel: NodeGui.QPushButton;
  /** Every Qt object of the dialog, referenced from JS for the dialog's life (see constructor). */
  readonly #kept: object[] = [];
  #busy = false;
  #closed = false;

  constructor(qt: Qt, options: FormDialogOptions) {
    this.#qt = qt;
    this.#options = options;
    const dialog = new qt.QDialog();
    dialog.setObjectName(options.name);
    dialog.setWindowTitle(options.title);
    const outer = new qt.QBoxLayout(qt.Direction.TopToBottom);
    dialog.setLayout(outer);
    // The fields scroll and the buttons stay, so that the dialog fits an 800×600 screen
    // whatever its text (issue #22).
    const body = new qt.QWidget();
    const column = new qt.QBoxLayout(qt.Direction.TopToBottom);
    column.setSpacing(8);
    body.setLayout(column);
    const scroll = new qt.QScrollArea();
    scroll.setObjectName(`${options.name}-scroll`);
    scroll.setWidgetResizable(true);
    scroll.setHorizontalScrollBarPolicy(qt.ScrollBarPolicy.ScrollBarAlwaysOff);
    scroll.setStyleSheet('QScrollArea { border: none; }', false);
    scroll.setWidget(body);
    outer.addWidget(scroll, 1);
    // NodeGui's wrappers of objects JS no longer references are collected; with the
    // window's forced collections (qt-runtime.ts) a dialog whose labels and layouts were
    // unreferenced crashed the app (SIGSEGV) when opened again. They are all kept here.
    this.#kept.push(column, outer, body, scroll);
    const label = (text: string, name?: string): NodeGui.QLabel => {
      const made = new qt.QLabel();
      this.#kept.push(made);
      if (name !== undefined) made.setObjectName(name);
      made.setTextFormat(qt.TextFormat.PlainText);
      made.setWordWrap(true);
      made.setText(text);
      return made;
    };
    if (options.intro !== undefined) column.addWidget(label(options.intro));
    for (const field of options.fields) {
      if (field.kind === 'text') {
        column.addWidget(label(field.label));
        const edit = new qt.QLineEdit();
        edit.setObjectName(`${options.name}-${field.name}`);
        edit.setText(field.value);
        edit.addEventListener('returnPressed', () => {
          this.submit();
        });
        column.addWidget(edit);
        this.#texts.set(field.name, edit);
      } else if (field.kind === 'choice') {
        column.addWidget(label(field.label));
        const combo = new qt.QComboBox();
        combo.setObjectName(`${options.name}-${field.name}`);
        for (const choice of field.choices) combo.addItem(undefined, choice.label);
        const values = field.choices.map((choice) => choice.value);
        combo.setCurrentIndex(Math.max(0, values.indexOf(field.value)));
        column.addWidget(combo);
        this.#choices.set(field.name, { combo, values });
      } else {
        const check = new qt.QCheckBox();
        check.setObjectName(`${options.name}-${field.name}`);
        check.setText(field.label);
        check.setChecked(field.value);
        column.addWidget(check);
        this.#checks.set(field.name, check);
      }
      if (field.hint !== undefined) {
        const hint = label(field.hint);
        hint.setStyleSheet('color: #55555f;', false);
        column.addWidget(hint);
      }
    }
    this.#error = label('', `${options.name}-error`);
    this.#error.setStyleSheet('color: #a31515;', false);
    this.#error.hide();
    column.addWidget(this.#error);
    const buttons = new qt.QBoxLayout(qt.Direction.LeftToRight);
    this.#kept.push(buttons);
    buttons.addStretch(1);
    this.#cancel = new qt.QPushButton();
    this.#cancel.setText('Cancel');
    this.#cancel.addEventListener('clicked', () => {
      this.close();
    });
    this.#submit = new qt.QPushButton();
    this.#submit.setText(options.submitText);
    this.#submit.setDefault(true);
    this.#submit.addEventListener('clicked', () => {
      this.submit();
    });
    buttons.addWidget(this.#cancel);
    buttons.addWidget(this.#submit);
    outer.addLayout(buttons);
    dialog.addEventListener(qt.WidgetEventTypes.Close, () => {
      this.#handleClosed();
    });
    // Escape cancels, like Cancel. QDialog's own Escape hides the dialog (reject) without
    // a Close event, and its 'rejected' signal did not reach JS here: a shortcut does it.
    const escape = new qt.QShortcut(dialog);
    escape.setKey(new qt.QKeySequence('Escape'));
    escape.setContext(qt.ShortcutContext.WindowShortcut);
    escape.addEventListener('activated', () => {
      this.close();
    });
    dialog.addEventListener('rejected', () => {
      this.close();
    });
    this.#kept.push(escape);
    this.#dialog = dialog;
    this.#scroll = scroll;
    const wanted = body.sizeHint();
    fitToScreen(qt, dialog, { width: Math.max(PREFERRED_WIDTH_PX, wanted.width() + 40), height: wanted.height() + 80 });
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  show(): void {
    this.#dialog.show();
    this.#dialog.activateWindow();
    this.#dialog.raise();
    const first = this.#texts.values().next();
    if (first.done !== true) {
      first.value.setFocus();
      first.value.selectAll();
    }
  }

  /** The values as shown now. */
  values(): FormValues {
    const values: Record<string, string | boolean> = {};
    for (const [name, edit] of this.#texts) values[name] = edit.text();
    for (const [name, check] of this.#checks) values[name] = check.isChecked();
    for (const [name, { combo, values: choices }] of this.#choices) values[name] = choices[combo.currentIndex()] ?? '';
    return values;
  }

  /** Submits the values shown (the submit button, Enter in a field). */
  submit(): void {
    if (this.#busy || this.#closed) return;
    this.#busy = true;
    this.#submit.setEnabled(false);
    this.#error.hide();
    const done = (refusal: string | undefined): void => {
      this.#busy = false;
      if (this.#closed) return;
      this.#submit.setEnabled(true);
      if (refusal === undefined) {
        this.close();
        return;
      }
      this.#error.setText(refusal);
      this.#error.show();
      // The message is in the scrolled fields: scrolled to, not grown into, on a small screen.
      this.#scroll.ensureWidgetVisible(this.#error);
    };
    this.#options.onSubmit(this.values()).then(done, (error: unknown) => {
      done(error instanceof Error ? error.message : String(error));
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#dialog.close();
    this.#handleClosed();
  }

  dump(): FormDialogDump {
    const centre = (button: NodeGui.QPushButton): { x: number; y: number } => {
      const point = button.mapToGlobal(new this.#qt.QPoint(Math.floor(button.width() / 2), Math.floor(button.height() / 2)));
      return { x: point.x(), y: point.y() };
    };
    return {
      title: this.#dialog.windowTitle(),
      values: this.values(),
      error: this.#error.isVisible() ? this.#error.text() : '',
      busy: this.#busy,
      buttons: { submit: centre(this.#submit), cancel: centre(this.#cancel) },
    };
  }

  /** Saves a screenshot of the dialog (Qt's own grab) as PNG; false when Qt could not. */
  grab(path: string): boolean {
    return !this.#closed && this.#dialog.grab().save(path, 'PNG');
  }

  #handleClosed(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#options.onClosed?.();
    this.#dialog.deleteLater();
  }
}
