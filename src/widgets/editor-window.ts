/**
 * A window of its own for the Markdown editor (editor-panel.ts). Its title follows the
 * post's title; closing it (the window's close button, Ctrl+W, or Close after publishing)
 * reports `onClosed` once, so the app can save the draft a last time and let it go.
 * Threading: UI thread only.
 */
import type * as NodeGui from '@nodegui/nodegui';
import type { Qt } from '../render/nodegui-subset.js';
import { EditorPanel, type EditorCommands, type EditorPanelOptions } from './editor-panel.js';
import { fitToScreen } from './screen-fit.js';

export interface EditorWindowCommands extends Omit<EditorCommands, 'onDone'> {
  /** The window was closed (after which it is gone). */
  readonly onClosed: () => void;
}

const DEFAULT_SIZE = { width: 1180, height: 780 };
const UNTITLED = 'New post';

export class EditorWindow {
  readonly panel: EditorPanel;
  readonly #window: NodeGui.QMainWindow;
  readonly #commands: EditorWindowCommands;
  readonly #shortcuts: NodeGui.QShortcut[] = [];
  readonly #titlePrefix: string;
  #closed = false;
  #painted: (() => void)[] = [];

  /** `titlePrefix`: said before the post's title in the window's title (an edit of a page: "Editing "). */
  constructor(qt: Qt, options: EditorPanelOptions & { readonly titlePrefix?: string }, commands: EditorWindowCommands) {
    this.#commands = commands;
    this.#titlePrefix = options.titlePrefix ?? '';
    const window = new qt.QMainWindow();
    window.setObjectName('editor-window');
    // No larger than the screen: at 1024×768 the window opened at 1180×780 and its Publish
    // buttons were off the screen (issue #22).
    fitToScreen(qt, window, DEFAULT_SIZE);
    const panel = new EditorPanel(qt, options, {
      ...commands,
      onChange: () => {
        this.#updateTitle();
        commands.onChange();
      },
      onDone: () => {
        this.close();
      },
    });
    window.setCentralWidget(panel.widget);
    window.addEventListener(qt.WidgetEventTypes.Close, () => {
      this.#handleClosed();
    });
    window.addEventListener(qt.WidgetEventTypes.Paint, () => {
      const handlers = this.#painted;
      if (handlers.length === 0) return;
      this.#painted = [];
      setImmediate(() => {
        for (const handler of handlers) handler();
      });
    });
    const close = new qt.QShortcut(window);
    close.setKey(new qt.QKeySequence('Ctrl+W'));
    close.addEventListener('activated', () => {
      this.close();
    });
    this.#shortcuts.push(close);
    this.#window = window;
    this.panel = panel;
    this.#updateTitle();
  }

  /** The window's title, as the window manager shows it. */
  get title(): string {
    return this.#window.windowTitle();
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  show(): void {
    this.#window.show();
    this.#window.activateWindow();
    this.#window.raise();
    this.panel.focus();
  }

  close(): void {
    if (this.#closed) return;
    this.#window.close();
    // A window that was never shown gets no close event.
    this.#handleClosed();
  }

  /** Calls `handler` once, after the window was next painted. */
  onNextPaint(handler: () => void): void {
    this.#painted.push(handler);
  }

  /** Saves a screenshot of the window (Qt's own grab) as PNG; false when Qt could not. */
  grab(path: string): boolean {
    return !this.#closed && this.#window.grab().save(path, 'PNG');
  }

  #updateTitle(): void {
    const title = this.panel.title.trim();
    this.#window.setWindowTitle(`${this.#titlePrefix}${title === '' ? UNTITLED : title} — swarmpress`);
  }

  #handleClosed(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.panel.close();
    this.#commands.onClosed();
    // Closed windows are not kept: Qt deletes this one (and the panel) once control returns.
    this.#window.deleteLater();
  }
}
