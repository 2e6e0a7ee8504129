/**
 * The confirmation shown before a web link leaves the app: the full URL, with the host in
 * punycode (core/link.ts puts it in `display`), so that a look-alike host shows. Non-blocking:
 * the dialog is modal and opened with `open()`, never `exec()` (a nested Qt loop
 * would block the JS thread — qt-runtime.ts); the answer arrives as a callback.
 */
import type * as NodeGui from '@nodegui/nodegui';
import type { Qt } from '../render/nodegui-subset.js';
import { fitToScreen } from './screen-fit.js';

export interface LinkConfirmation {
  readonly dialog: NodeGui.QDialog;
  /** Answers as the reader would (tests, automation). */
  answer(open: boolean): void;
  /** The URL as the dialog shows it, read back from its label. */
  shownUrl(): string;
}

/** Escape shortcuts of open confirmations: NodeGui must not collect their wrappers while they are shown. */
const held = new Set<object>();

/** Asks whether to open `display` in the web browser; calls `onAnswer` once. */
export function confirmExternalLink(
  qt: Qt,
  parent: NodeGui.QWidget,
  display: string,
  onAnswer: (open: boolean) => void,
): LinkConfirmation {
  // No Qt parent: the runtime's exit clean-up deletes every top-level widget in turn, and a
  // dialog owned by the window would be deleted twice (window_watcher.cpp DestroyWidgets).
  const dialog = new qt.QDialog();
  dialog.setObjectName('link-confirm');
  dialog.setWindowTitle('Open a web page?');
  fitToScreen(qt, dialog, { width: 520, height: 200 }, parent);
  const column = new qt.QBoxLayout(qt.Direction.TopToBottom);
  dialog.setLayout(column);
  const question = new qt.QLabel();
  question.setTextFormat(qt.TextFormat.PlainText);
  question.setText('This link leads out of swarmpress to a web page. Open it in your web browser?');
  question.setWordWrap(true);
  column.addWidget(question);
  const url = new qt.QLabel();
  url.setObjectName('link-confirm-url');
  // Peer data: plain text, selectable, wrapped anywhere so the whole URL is visible.
  url.setTextFormat(qt.TextFormat.PlainText);
  url.setWordWrap(true);
  url.setTextInteractionFlags(qt.TextInteractionFlag.TextSelectableByMouse);
  url.setText(display.replace(/(.{60})/g, '$1\u200b'));
  column.addWidget(url);
  const buttons = new qt.QBoxLayout(qt.Direction.LeftToRight);
  buttons.addStretch(1);
  const cancel = new qt.QPushButton();
  cancel.setText('Cancel');
  const open = new qt.QPushButton();
  open.setText('Open in browser');
  buttons.addWidget(cancel);
  buttons.addWidget(open);
  column.addLayout(buttons);
  cancel.setDefault(true);
  let answered = false;
  const answer = (yes: boolean): void => {
    if (answered) return;
    answered = true;
    held.delete(escape);
    dialog.close();
    dialog.deleteLater();
    onAnswer(yes);
  };
  cancel.addEventListener('clicked', () => {
    answer(false);
  });
  open.addEventListener('clicked', () => {
    answer(true);
  });
  dialog.addEventListener('rejected', () => {
    answer(false);
  });
  // Escape says no (QDialog's own reject did not always reach JS: form-dialog.ts).
  const escape = new qt.QShortcut(dialog);
  escape.setKey(new qt.QKeySequence('Escape'));
  escape.setContext(qt.ShortcutContext.WindowShortcut);
  escape.addEventListener('activated', () => {
    answer(false);
  });
  dialog.setModal(true);
  dialog.open();
  held.add(escape);
  return { dialog, answer, shownUrl: () => url.text().replace(/\u200b/g, '') };
}
