/**
 * The row above the page: back, forward, reload, the address, the actions on the site
 * shown (follow or unfollow, block, reply, edit on the reader's own pages), the library button, and under it a progress
 * bar while a page loads. In kiosk mode only the progress bar is there.
 *
 * On a narrow window (an 800×600 screen, a large font) the text buttons collapse into one
 * "⋯" button whose menu holds the same actions with their shortcuts (`fitWidth`): the row
 * never asks for more width than the window has (issue #22).
 */
import type * as NodeGui from '@nodegui/nodegui';
import type { Qt } from '../render/nodegui-subset.js';

export interface NavigationCommands {
  readonly onNavigate: (address: string) => void;
  readonly onBack: () => void;
  readonly onForward: () => void;
  readonly onReload: () => void;
  readonly onFollow: () => void;
  readonly onBlock: () => void;
  readonly onReply: () => void;
  readonly onEdit: () => void;
  readonly onLibrary: () => void;
}

export interface NavigationState {
  readonly canBack: boolean;
  readonly canForward: boolean;
}

/** The actions on the site of the page shown. */
export interface SiteActions {
  /** Whether the reader follows the site (the button then offers Unfollow). */
  readonly following: boolean;
  /** False for the reader's own site. */
  readonly canBlock: boolean;
  /** Whether the page is an item one can reply to. */
  readonly canReply: boolean;
  /** Whether the page is one of the reader's own, editable from its site folder. */
  readonly canEdit?: boolean;
  /** Whether the site (or the page's author) is muted: the Site menu then offers Unmute. */
  readonly muted?: boolean;
  /** Whether the reader subscribes to the site's block list: the Site menu then offers to unsubscribe. */
  readonly subscribedList?: boolean;
}

/** Back, forward and reload hold one arrow each. */
const NAV_BUTTON_WIDTH_PX = 36;
/** The address bar is not squeezed below this before the text buttons collapse into the menu. */
const MIN_ADDRESS_WIDTH_PX = 220;
/** The row's margins and spacing, per button (rowLayout below). */
const ROW_SPACING_PX = 4;

type TextButton = 'follow' | 'block' | 'reply' | 'edit' | 'library';
const TEXT_BUTTONS: readonly TextButton[] = ['follow', 'block', 'reply', 'edit', 'library'];
/** What each text button's entry of the "⋯" menu says after its label: its shortcut. */
const MENU_SHORTCUTS: Readonly<Record<TextButton, string>> = { follow: 'Ctrl+D', block: 'Ctrl+Shift+B', reply: 'Ctrl+Shift+R', edit: 'Ctrl+Shift+E', library: 'Ctrl+B' };

export class NavigationBar {
  readonly widget: NodeGui.QWidget;
  readonly address: NodeGui.QLineEdit;
  readonly #buttons: Record<'back' | 'forward' | 'reload' | 'follow' | 'block' | 'reply' | 'edit' | 'library', NodeGui.QPushButton>;
  readonly #progress: NodeGui.QProgressBar;
  readonly #more: NodeGui.QPushButton;
  readonly #moreMenu: NodeGui.QMenu;
  readonly #moreActions: Record<TextButton, NodeGui.QAction>;
  /** Which text buttons the page shown offers (shown as buttons, or enabled in the menu). */
  readonly #offered = new Set<TextButton>(['library']);
  #progressValue: number | 'busy' | undefined;
  /** The text buttons are collapsed into the "⋯" menu. */
  #collapsed = false;
  #width = 0;

  constructor(qt: Qt, options: { kiosk: boolean }, commands: NavigationCommands) {
    const widget = new qt.QWidget();
    widget.setObjectName('navigation');
    const column = new qt.QBoxLayout(qt.Direction.TopToBottom);
    column.setContentsMargins(0, 0, 0, 0);
    column.setSpacing(0);
    widget.setLayout(column);
    const row = new qt.QWidget();
    const rowLayout = new qt.QBoxLayout(qt.Direction.LeftToRight);
    rowLayout.setContentsMargins(4, 2, 4, 2);
    rowLayout.setSpacing(4);
    row.setLayout(rowLayout);
    const button = (name: string, text: string, tip: string, action: () => void): NodeGui.QPushButton => {
      const made = new qt.QPushButton();
      made.setObjectName(name);
      made.setText(text);
      made.setToolTip(tip);
      made.setFocusPolicy(qt.FocusPolicy.NoFocus);
      made.addEventListener('clicked', action);
      return made;
    };
    const address = new qt.QLineEdit();
    address.setObjectName('address');
    address.setPlaceholderText('bittorrent:// address or magnet link');
    address.setReadOnly(options.kiosk);
    address.addEventListener('returnPressed', () => {
      const text = address.text().trim();
      if (text !== '') commands.onNavigate(text);
    });
    this.#buttons = {
      back: button('back', '←', 'Back (Alt+Left)', commands.onBack),
      forward: button('forward', '→', 'Forward (Alt+Right)', commands.onForward),
      reload: button('reload', '⟳', 'Reload (F5)', commands.onReload),
      follow: button('follow', 'Follow', 'Follow this site: keep it current and seed it (Ctrl+D)', commands.onFollow),
      block: button('block', 'Block', 'Block this site: never show, store or seed it (Ctrl+Shift+B)', commands.onBlock),
      reply: button('reply', 'Reply', 'Reply to this post from your site (Ctrl+Shift+R)', commands.onReply),
      edit: button('edit', 'Edit', 'Edit this page of your site and publish it again (Ctrl+Shift+E)', commands.onEdit),
      library: button('library-button', 'Library', 'Followed and own sites, search (Ctrl+B)', commands.onLibrary),
    };
    const { back, forward, reload, follow, block, reply, edit, library } = this.#buttons;
    for (const part of [back, forward, reload]) {
      part.setFixedWidth(NAV_BUTTON_WIDTH_PX);
      rowLayout.addWidget(part);
    }
    rowLayout.addWidget(address, 1);
    for (const part of [follow, block, reply, edit, library]) rowLayout.addWidget(part);
    const more = button('more', '⋯', 'More actions', () => {
      this.#moreMenu.popup(more.mapToGlobal(new qt.QPoint(0, more.height())));
    });
    more.hide();
    rowLayout.addWidget(more);
    // The menu's own signals are not listened to (main-window.ts #holdSignalledActions says
    // why they are a hazard): each action reports itself, and all are kept for the bar's life.
    const menu = new qt.QMenu(more);
    menu.setObjectName('more-menu');
    const commandOf: Record<TextButton, () => void> = { follow: commands.onFollow, block: commands.onBlock, reply: commands.onReply, edit: commands.onEdit, library: commands.onLibrary };
    const actions = {} as Record<TextButton, NodeGui.QAction>;
    for (const name of TEXT_BUTTONS) {
      const action = new qt.QAction(menu);
      action.addEventListener('triggered', commandOf[name]);
      menu.addAction(action);
      actions[name] = action;
    }
    column.addWidget(row);
    const progress = new qt.QProgressBar();
    progress.setObjectName('progress');
    progress.setRange(0, 100);
    progress.setTextVisible(false);
    progress.setFixedHeight(4);
    progress.hide();
    column.addWidget(progress);
    if (options.kiosk) row.hide();
    this.widget = widget;
    this.address = address;
    this.#progress = progress;
    this.#more = more;
    this.#moreMenu = menu;
    this.#moreActions = actions;
    this.setNavigation({ canBack: false, canForward: false });
    this.setSiteActions(undefined);
  }

  setProgress(progress: number | 'busy' | undefined): void {
    this.#progressValue = progress;
    if (progress === undefined) {
      this.#progress.hide();
      return;
    }
    if (progress === 'busy') {
      this.#progress.setRange(0, 0);
    } else {
      this.#progress.setRange(0, 100);
      this.#progress.setValue(Math.round(Math.min(1, Math.max(0, progress)) * 100));
    }
    this.#progress.show();
  }

  setNavigation(state: NavigationState): void {
    this.#buttons.back.setEnabled(state.canBack);
    this.#buttons.forward.setEnabled(state.canForward);
  }

  setSiteActions(actions: SiteActions | undefined): void {
    this.#offered.clear();
    this.#offered.add('library');
    if (actions !== undefined) {
      this.#offered.add('follow');
      if (actions.canBlock) this.#offered.add('block');
      if (actions.canReply) this.#offered.add('reply');
      if (actions.canEdit === true) this.#offered.add('edit');
    }
    const followText = actions?.following === true ? 'Unfollow' : 'Follow';
    this.#buttons.follow.setText(followText);
    this.#showTextButtons();
    // The row's width changed with its buttons: collapse or expand for the same window.
    if (this.#width > 0) this.fitWidth(this.#width);
  }

  /**
   * Lays the row out for a window `width` pixels wide: the text buttons stay buttons while
   * they leave the address bar MIN_ADDRESS_WIDTH_PX, else they collapse into the "⋯" menu.
   */
  fitWidth(width: number): void {
    this.#width = width;
    let needed = 3 * (NAV_BUTTON_WIDTH_PX + ROW_SPACING_PX) + MIN_ADDRESS_WIDTH_PX + 2 * ROW_SPACING_PX;
    for (const name of TEXT_BUTTONS) {
      if (this.#offered.has(name)) needed += this.#buttons[name].sizeHint().width() + ROW_SPACING_PX;
    }
    const collapse = needed > width;
    if (collapse === this.#collapsed) return;
    this.#collapsed = collapse;
    this.#showTextButtons();
  }

  /** Whether the text buttons are collapsed into the "⋯" menu. */
  get isCollapsed(): boolean {
    return this.#collapsed;
  }

  /** What the "⋯" menu says for `name`: the button's text, then its shortcut. */
  #menuText(name: TextButton): string {
    const text = this.#buttons[name].text();
    return `${text}\t${MENU_SHORTCUTS[name]}`;
  }

  #showTextButtons(): void {
    for (const name of TEXT_BUTTONS) {
      const offered = this.#offered.has(name);
      if (offered && !this.#collapsed) this.#buttons[name].show();
      else this.#buttons[name].hide();
      const action = this.#moreActions[name];
      action.setText(this.#menuText(name));
      action.setEnabled(offered);
    }
    if (this.#collapsed) this.#more.show();
    else this.#more.hide();
  }

  dump(): { canBack: boolean; canForward: boolean; progress: number | 'busy' | null; actions: string[]; collapsed: boolean; menu: string[] } {
    return {
      collapsed: this.#collapsed,
      menu: this.#collapsed ? TEXT_BUTTONS.filter((name) => this.#offered.has(name)).map((name) => this.#menuText(name)) : [],
      canBack: this.#buttons.back.isEnabled(),
      canForward: this.#buttons.forward.isEnabled(),
      progress: this.#progress.isVisible() ? (this.#progressValue ?? null) : null,
      // What the page offers, whether as buttons or in the "⋯" menu.
      actions: (['follow', 'block', 'reply', 'edit'] as const).filter((name) => this.#offered.has(name)).map((name) => this.#buttons[name].text()),
    };
  }
}
