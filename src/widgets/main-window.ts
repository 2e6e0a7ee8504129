/**
 * The main window: an address bar, the page, a status line. It shows view-models handed to
 * it and reports what the reader does through the `commands` callbacks; it never talks to
 * the network or the store (DESIGN.md layers).
 */
import type * as NodeGui from '@nodegui/nodegui';
import type { LayoutPlan } from '../render/layout.js';
import { PageView, type DumpNode } from '../render/page-view.js';

export interface MainWindowCommands {
  /** The reader entered an address in the address bar. */
  readonly onNavigate: (address: string) => void;
  /** The reader activated link number `index` of the page shown. */
  readonly onLink: (index: number) => void;
}

export interface MainWindowOptions {
  /** Fullscreen and read-only: no address editing. */
  readonly kiosk: boolean;
}

const DEFAULT_SIZE = { width: 960, height: 720 };

export class MainWindow {
  readonly #qt: typeof NodeGui;
  readonly #window: NodeGui.QMainWindow;
  readonly #address: NodeGui.QLineEdit;
  readonly #scroll: NodeGui.QScrollArea;
  readonly #status: NodeGui.QLabel;
  readonly #commands: MainWindowCommands;
  #page: PageView | undefined;
  #painted: (() => void)[] = [];

  constructor(qt: typeof NodeGui, options: MainWindowOptions, commands: MainWindowCommands) {
    this.#qt = qt;
    this.#commands = commands;
    const window = new qt.QMainWindow();
    window.setObjectName('main-window');
    window.setWindowTitle('swarmpress');
    window.resize(DEFAULT_SIZE.width, DEFAULT_SIZE.height);
    const root = new qt.QWidget();
    const column = new qt.QBoxLayout(qt.Direction.TopToBottom);
    column.setContentsMargins(0, 0, 0, 0);
    column.setSpacing(0);
    root.setLayout(column);

    const address = new qt.QLineEdit();
    address.setObjectName('address');
    address.setPlaceholderText('bittorrent:// address or magnet link');
    address.setReadOnly(options.kiosk);
    if (options.kiosk) address.hide();
    address.addEventListener('returnPressed', () => {
      const text = address.text().trim();
      if (text !== '') this.#commands.onNavigate(text);
    });
    column.addWidget(address);

    const scroll = new qt.QScrollArea();
    scroll.setObjectName('scroll');
    scroll.setWidgetResizable(true);
    column.addWidget(scroll, 1);

    const status = new qt.QLabel();
    status.setObjectName('status');
    status.setTextFormat(qt.TextFormat.PlainText);
    status.setContentsMargins(8, 2, 8, 2);
    column.addWidget(status);

    window.setCentralWidget(root);
    window.addEventListener(qt.WidgetEventTypes.Paint, this.#handlePaint);
    this.#window = window;
    this.#address = address;
    this.#scroll = scroll;
    this.#status = status;
    if (options.kiosk) window.showFullScreen();
  }

  /** Shows a laid-out page under `address`. */
  showPage(plan: LayoutPlan, address: string): void {
    const page = new PageView(this.#qt, plan, { onLink: this.#commands.onLink });
    this.#scroll.setWidget(page.widget);
    this.#page = page;
    this.#address.setText(address);
    this.#window.setWindowTitle(plan.title === '' ? 'swarmpress' : `${plan.title} — swarmpress`);
  }

  /** One line of plain text at the bottom of the window. */
  setStatus(text: string): void {
    this.#status.setText(text);
  }

  show(): void {
    this.#window.show();
    this.#scroll.setFocus();
  }

  close(): void {
    this.#window.close();
  }

  /** Calls `handler` once, after the window was painted for the first time from now. */
  onNextPaint(handler: () => void): void {
    this.#painted.push(handler);
  }

  /** The widgets of the page shown, read back from Qt. */
  dump(): { title: string; address: string; status: string; page: DumpNode[] } {
    return {
      title: this.#window.windowTitle(),
      address: this.#address.text(),
      status: this.#status.text(),
      page: this.#page?.dump() ?? [],
    };
  }

  /** Saves a screenshot of the window (Qt's own grab) as PNG; false when Qt could not. */
  grab(path: string): boolean {
    return this.#window.grab().save(path, 'PNG');
  }

  readonly #handlePaint = (): void => {
    const handlers = this.#painted;
    if (handlers.length === 0) return;
    this.#painted = [];
    // After the paint event returns, so that the frame is complete.
    setImmediate(() => {
      for (const handler of handlers) handler();
    });
  };
}
