/**
 * The row above the page: back, forward, reload, the address, the actions on the site
 * shown (follow or unfollow, block, reply, edit on the reader's own pages), the library button, and under it a progress
 * bar while a page loads. In kiosk mode only the progress bar is there.
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

export class NavigationBar {
  readonly widget: NodeGui.QWidget;
  readonly address: NodeGui.QLineEdit;
  readonly #buttons: Record<'back' | 'forward' | 'reload' | 'follow' | 'block' | 'reply' | 'edit' | 'library', NodeGui.QPushButton>;
  readonly #progress: NodeGui.QProgressBar;
  #progressValue: number | 'busy' | undefined;

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
      follow: button('follow', 'Follow', 'Follow this site: keep it current and seed it', commands.onFollow),
      block: button('block', 'Block', 'Block this site: never show, store or seed it', commands.onBlock),
      reply: button('reply', 'Reply', 'Reply to this post from your site', commands.onReply),
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
    const { follow, block, reply, edit } = this.#buttons;
    if (actions === undefined) {
      for (const part of [follow, block, reply, edit]) part.hide();
      return;
    }
    if (actions.canEdit === true) edit.show();
    else edit.hide();
    follow.setText(actions.following ? 'Unfollow' : 'Follow');
    follow.show();
    if (actions.canBlock) block.show();
    else block.hide();
    if (actions.canReply) reply.show();
    else reply.hide();
  }

  dump(): { canBack: boolean; canForward: boolean; progress: number | 'busy' | null; actions: string[] } {
    return {
      canBack: this.#buttons.back.isEnabled(),
      canForward: this.#buttons.forward.isEnabled(),
      progress: this.#progress.isVisible() ? (this.#progressValue ?? null) : null,
      actions: [this.#buttons.follow, this.#buttons.block, this.#buttons.reply, this.#buttons.edit].filter((part) => part.isVisible()).map((part) => part.text()),
    };
  }
}
