/**
 * The main window: an address bar, the page, a find bar, a status line. It shows
 * view-models handed to it and reports what the reader does through the `commands`
 * callbacks; it never talks to the network or the store (DESIGN.md layers).
 *
 * Keys: Ctrl+L address, Alt+Left / Alt+Right back and forward, F5 reload, Ctrl+B the
 * library panel, Ctrl+D follow or unfollow the site, Ctrl+Shift+B block it, Ctrl+Shift+M mute
 * it, Ctrl+Shift+K subscribe to its block list, Ctrl+I site information (Site menu,
 * site-info-dialog.ts), Ctrl+Shift+R reply to the post, Ctrl+Shift+E edit a page of one's own
 * site, Ctrl+F find (Enter next, Shift+Enter previous, Escape closes), Ctrl++ /
 * Ctrl+- / Ctrl+0 zoom, Ctrl+Shift+L switches between the light and the dark theme, Ctrl+N
 * new post (File menu, with the drafts and New site, Ctrl+Shift+N), Edit → Settings (Ctrl+,), Ctrl+Q quits. Kiosk mode has none of the navigation, library or
 * writing controls, and covers the whole screen.
 *
 * Small screens (issue #22): the window opens no larger than the screen's available
 * geometry and cannot grow past it (screen-fit.ts); a long status line is elided, with the
 * whole text in its tooltip; the navigation row collapses its text buttons into a menu.
 */
import type * as NodeGui from '@nodegui/nodegui';
import type { Qt } from '../render/nodegui-subset.js';
import type { LayoutPlan } from '../render/layout.js';
import { PageView, type DumpNode } from '../render/page-view.js';
import type { SiteFiles } from '../render/site-files.js';
import type { ThemeName } from '../render/theme.js';
import { LibraryPanel, type LibraryView } from './library-panel.js';
import { confirmExternalLink, type LinkConfirmation } from './link-confirm.js';
import { NavigationBar, type NavigationState, type SiteActions } from './navigation-bar.js';
import { releaseMemorySoon } from './qt-runtime.js';
import { fitToScreen, screenArea } from './screen-fit.js';
import { SiteInfoDialog, type SiteInfoDump, type SiteInfoView } from './site-info-dialog.js';

export type { LibraryEntry, LibraryView } from './library-panel.js';
export type { NavigationState, SiteActions } from './navigation-bar.js';
export type { SiteInfoView, SiteVersionRow } from './site-info-dialog.js';

export interface MainWindowCommands {
  /** The reader entered an address in the address bar. */
  readonly onNavigate: (address: string) => void;
  /**
   * The reader activated link number `index` of the page shown. Web links (`external`)
   * arrive here only when `onOpenExternal` is not given, after the reader confirmed them.
   */
  readonly onLink: (index: number) => void;
  /** The reader confirmed opening a web link (the full URL, as shown to them). */
  readonly onOpenExternal?: (href: string) => void;
  /** The reader asked to play a media file of the site (`file` on disk) with the system player. */
  readonly onPlay?: (path: string, file: string) => void;
  /** File → New post (Ctrl+N). Without it (and in kiosk mode) there is no File menu. */
  readonly onNewPost?: () => void;
  /** File → New site…. */
  readonly onNewSite?: () => void;
  /** Edit → Settings…. */
  readonly onSettings?: () => void;
  /** File → Quit (Ctrl+Q): close every window of the app. Without it Ctrl+Q closes this window. */
  readonly onQuit?: () => void;
  /** Edit the page shown (one of the reader's own; see `SiteActions.canEdit`). */
  readonly onEdit?: () => void;
  /** File → Drafts → one of them (its id as given to `setDrafts`). */
  readonly onOpenDraft?: (id: string) => void;
  /** Back, forward (Alt+Left/Right) and reload (F5). */
  readonly onBack?: () => void;
  readonly onForward?: () => void;
  readonly onReload?: () => void;
  /** The site actions of the page shown (see `setSiteActions`). */
  readonly onFollow?: () => void;
  readonly onBlock?: () => void;
  /** Site → Mute / Unmute this site. */
  readonly onMute?: () => void;
  /** Site → Subscribe to (or unsubscribe from) this site's block list. */
  readonly onBlockList?: () => void;
  readonly onReply?: () => void;
  /** The library panel: an entry opened, a search asked. */
  readonly onOpenLibraryEntry?: (id: string) => void;
  readonly onSearch?: (query: string) => void;
  /** The library panel was shown (the caller hands it fresh contents). */
  readonly onLibraryShown?: () => void;
  /** The reader lifted a block listed in the library (the entry's id). */
  readonly onUnblock?: (id: string) => void;
  /** Site → Site information (Ctrl+I); the caller answers with `showSiteInfo`. Without it there is no Site menu. */
  readonly onSiteInfo?: () => void;
  /** A version of the site information's history was opened (its row's id). */
  readonly onOpenVersion?: (id: string) => void;
  /** The reader closed the site information. */
  readonly onSiteInfoClosed?: () => void;
}

/** A draft as the File → Drafts menu lists it. */
export interface DraftMenuEntry {
  readonly id: string;
  readonly label: string;
}

export interface ShowPageOptions {
  /** The site's files, for pictures and media. */
  readonly files?: SiteFiles;
  /** Called once every block of the page has its measured height. */
  readonly onLaidOut?: () => void;
  /** Called once, after the page was first painted. */
  readonly onFirstPaint?: () => void;
}

export interface MainWindowOptions {
  /** Fullscreen and read-only: no address editing. */
  readonly kiosk: boolean;
  readonly theme?: ThemeName;
}

const DEFAULT_SIZE = { width: 960, height: 720 };
const ZOOM_STEP = 1.15;
/** The Site menu's block, mute and block list entries' shortcuts (the window's own, #bindKeys). */
const SOCIAL_SHORTCUTS = ['Ctrl+Shift+B', 'Ctrl+Shift+M', 'Ctrl+Shift+K'] as const;
/** The status line's left and right margin. */
const STATUS_MARGIN_PX = 8;

export class MainWindow {
  readonly #qt: Qt;
  readonly #window: NodeGui.QMainWindow;
  readonly #address: NodeGui.QLineEdit;
  readonly #navigation: NavigationBar;
  readonly #library: LibraryPanel | undefined;
  readonly #pageSlot: NodeGui.QBoxLayout;
  readonly #findBar: NodeGui.QLineEdit;
  readonly #status: NodeGui.QLabel;
  /** The status line's whole text (the label may show it elided). */
  #statusText = '';
  readonly #kiosk: boolean;
  readonly #commands: MainWindowCommands;
  readonly #shortcuts: NodeGui.QShortcut[] = [];
  #page: PageView | undefined;
  #theme: ThemeName;
  #zoom = 1;
  #confirmation: LinkConfirmation | undefined;
  #painted: (() => void)[] = [];
  #draftsMenu: NodeGui.QMenu | undefined;
  #siteInfo: SiteInfoDialog | undefined;
  /** Site menu actions that follow the page shown. */
  #socialActions: { readonly block: NodeGui.QAction; readonly mute: NodeGui.QAction; readonly list: NodeGui.QAction } | undefined;
  /** What the enabled ones of them say (dump). */
  #siteMenu: string[] = [];
  /** The menu's actions, kept referenced for as long as they are shown. */
  #menuActions: NodeGui.QAction[] = [];
  /** Qt objects the window keeps referenced for its whole life (the Site and Edit menus' actions). */
  readonly #kept: object[] = [];
  /** Action wrappers the menus' signals handed over (#holdSignalledActions). */
  readonly #heldActions = new Set<unknown>();
  readonly #heldDraftActions = new Set<unknown>();
  /** The File menu's own actions (New post, New site), before the drafts. */
  #fixedActions: NodeGui.QAction[] = [];

  constructor(qt: Qt, options: MainWindowOptions, commands: MainWindowCommands) {
    this.#qt = qt;
    this.#commands = commands;
    this.#theme = options.theme ?? 'light';
    this.#kiosk = options.kiosk;
    const window = new qt.QMainWindow();
    window.setObjectName('main-window');
    window.setWindowTitle('swarmpress');
    if (!options.kiosk) fitToScreen(qt, window, DEFAULT_SIZE);
    const root = new qt.QWidget();
    const column = new qt.QBoxLayout(qt.Direction.TopToBottom);
    column.setContentsMargins(0, 0, 0, 0);
    column.setSpacing(0);
    root.setLayout(column);

    const navigation = new NavigationBar(qt, { kiosk: options.kiosk }, {
      onNavigate: (text) => {
        this.#commands.onNavigate(text);
      },
      onBack: () => this.#commands.onBack?.(),
      onForward: () => this.#commands.onForward?.(),
      onReload: () => this.#commands.onReload?.(),
      onFollow: () => this.#commands.onFollow?.(),
      onBlock: () => this.#commands.onBlock?.(),
      onReply: () => this.#commands.onReply?.(),
      onEdit: () => this.#commands.onEdit?.(),
      onLibrary: () => {
        this.toggleLibrary();
      },
    });
    column.addWidget(navigation.widget);
    const address = navigation.address;

    const middle = new qt.QBoxLayout(qt.Direction.LeftToRight);
    middle.setContentsMargins(0, 0, 0, 0);
    middle.setSpacing(0);
    column.addLayout(middle, 1);
    if (!options.kiosk && commands.onOpenLibraryEntry !== undefined) {
      const library = new LibraryPanel(qt, {
        onOpen: (id) => this.#commands.onOpenLibraryEntry?.(id),
        onSearch: (query) => this.#commands.onSearch?.(query),
        onUnblock: (id) => this.#commands.onUnblock?.(id),
      });
      library.widget.hide();
      middle.addWidget(library.widget);
      this.#library = library;
    }
    const pageSlot = new qt.QBoxLayout(qt.Direction.TopToBottom);
    pageSlot.setContentsMargins(0, 0, 0, 0);
    middle.addLayout(pageSlot, 1);

    const findBar = new qt.QLineEdit();
    findBar.setObjectName('find');
    findBar.setPlaceholderText('Find in page (Enter: next, Shift+Enter: previous, Esc: close)');
    findBar.hide();
    findBar.addEventListener('returnPressed', () => {
      this.find(findBar.text());
    });
    column.addWidget(findBar);

    const status = new qt.QLabel();
    status.setObjectName('status');
    status.setTextFormat(qt.TextFormat.PlainText);
    status.setContentsMargins(STATUS_MARGIN_PX, 2, STATUS_MARGIN_PX, 2);
    // Its width follows the window's, never the text's (the window grew 960 -> 1490 px with
    // a long message before): the text is elided to fit (#showStatus).
    status.setSizePolicy(qt.QSizePolicyPolicy.Ignored, qt.QSizePolicyPolicy.Preferred);
    status.setMinimumWidth(1);
    column.addWidget(status);

    window.setCentralWidget(root);
    window.addEventListener(qt.WidgetEventTypes.Paint, this.#handlePaint);
    window.addEventListener(qt.WidgetEventTypes.Resize, () => {
      this.#navigation.fitWidth(this.#window.width());
      this.#library?.fitWidth(this.#window.width());
      this.#showStatus();
    });
    this.#window = window;
    this.#address = address;
    this.#navigation = navigation;
    this.#pageSlot = pageSlot;
    this.#findBar = findBar;
    this.#status = status;
    this.#bindKeys();
    if (!options.kiosk && (commands.onNewPost !== undefined || commands.onSiteInfo !== undefined || commands.onSettings !== undefined)) {
      // Every menu and action has a Qt parent: NodeGui deletes a parentless Qt object when
      // its JS wrapper is collected, and QMenuBar.addMenu / QWidget.addAction take no
      // ownership, so a menu whose wrapper went out of scope crashed the app the next time
      // it opened after a full collection (Alt+S, Escape, twice: SIGSEGV, found by a test).
      const bar = new qt.QMenuBar();
      this.#holdSignalledActions(bar, this.#heldActions);
      if (commands.onNewPost !== undefined) this.#buildFileMenu(bar, commands.onNewPost);
      if (commands.onSettings !== undefined) this.#buildEditMenu(bar, commands.onSettings);
      this.#buildViewMenu(bar);
      if (commands.onSiteInfo !== undefined) this.#buildSiteMenu(bar, commands.onSiteInfo);
      window.setMenuBar(bar);
    }
    if (options.kiosk) this.#coverScreen();
  }

  /**
   * Kiosk: the window covers the whole screen. showFullScreen alone asks the window manager,
   * and with none (a kiosk's bare X server) the window kept its size in a corner: its
   * geometry is set to the screen's as well.
   */
  #coverScreen(): void {
    const area = screenArea(this.#qt);
    if (area !== undefined) {
      this.#window.setMinimumSize(area.width, area.height);
      this.#window.setGeometry(area.x, area.y, area.width, area.height);
    }
    this.#window.showFullScreen();
  }

  /**
   * NodeGui 0.61 hands the action of a menu's or menu bar's `hovered`/`triggered` signal to
   * JS through a wrapper its C++ cache holds only weakly, and reads that cache again on the
   * next signal without checking that the wrapper still lives: once a collection took it,
   * opening the menu again crashed the app (SIGSEGV entering JS; Alt+S, Escape, twice).
   * Holding every action wrapper those signals hand over keeps the cache valid.
   */
  #holdSignalledActions(menu: NodeGui.QMenu | NodeGui.QMenuBar, held: Set<unknown>): void {
    const hold = (action: unknown): void => {
      held.add(action);
    };
    if (menu instanceof this.#qt.QMenuBar) {
      menu.addEventListener('hovered', hold);
      menu.addEventListener('triggered', hold);
    } else {
      menu.addEventListener('hovered', hold);
      menu.addEventListener('triggered', hold);
    }
  }

  #buildEditMenu(bar: NodeGui.QMenuBar, onSettings: () => void): void {
    const menu = new this.#qt.QMenu(bar);
    this.#holdSignalledActions(menu, this.#heldActions);
    menu.setTitle('&Edit');
    const settings = new this.#qt.QAction(menu);
    settings.setText('&Settings…\tCtrl+,');
    settings.addEventListener('triggered', onSettings);
    menu.addAction(settings);
    bar.addMenu(menu);
    this.#kept.push(menu, settings);
  }

  /**
   * View and Go: the window's keys as menu entries, each saying its shortcut (the shortcuts
   * themselves are the window's, #bindKeys), so that every action can be found by a person
   * who does not know the keys (issue #22).
   */
  #buildViewMenu(bar: NodeGui.QMenuBar): void {
    const qt = this.#qt;
    const menu = (title: string, entries: readonly (readonly [string, () => void])[]): void => {
      const made = new qt.QMenu(bar);
      this.#holdSignalledActions(made, this.#heldActions);
      made.setTitle(title);
      for (const [text, run] of entries) {
        const action = new qt.QAction(made);
        action.setText(text);
        action.addEventListener('triggered', run);
        made.addAction(action);
        this.#kept.push(action);
      }
      bar.addMenu(made);
      this.#kept.push(made);
    };
    menu('&View', [
      ['&Find in page…\tCtrl+F', () => {
        this.#openFind();
      }],
      ['&Library\tCtrl+B', () => {
        this.toggleLibrary();
      }],
      ['Zoom &in\tCtrl++', () => {
        this.setZoom(this.#zoom * ZOOM_STEP);
      }],
      ['Zoom &out\tCtrl+-', () => {
        this.setZoom(this.#zoom / ZOOM_STEP);
      }],
      ['&Actual size\tCtrl+0', () => {
        this.setZoom(1);
      }],
      ['Light or &dark\tCtrl+Shift+L', () => {
        this.setTheme(this.#theme === 'light' ? 'dark' : 'light');
      }],
    ]);
    menu('&Go', [
      ['&Back\tAlt+Left', () => this.#commands.onBack?.()],
      ['&Forward\tAlt+Right', () => this.#commands.onForward?.()],
      ['&Reload\tF5', () => this.#commands.onReload?.()],
      ['&Address bar\tCtrl+L', () => {
        this.focusAddress();
      }],
    ]);
  }

  #openFind(): void {
    this.#findBar.show();
    this.#findBar.setFocus();
    this.#findBar.selectAll();
  }

  #buildSiteMenu(bar: NodeGui.QMenuBar, onSiteInfo: () => void): void {
    const qt = this.#qt;
    const site = new qt.QMenu(bar);
    this.#holdSignalledActions(site, this.#heldActions);
    site.setTitle('&Site');
    const info = new qt.QAction(site);
    info.setText('Site &information');
    info.setShortcut(new qt.QKeySequence('Ctrl+I'));
    info.addEventListener('triggered', onSiteInfo);
    site.addAction(info);
    const block = new qt.QAction(site);
    block.addEventListener('triggered', () => this.#commands.onBlock?.());
    site.addAction(block);
    const mute = new qt.QAction(site);
    mute.addEventListener('triggered', () => this.#commands.onMute?.());
    site.addAction(mute);
    const list = new qt.QAction(site);
    list.addEventListener('triggered', () => this.#commands.onBlockList?.());
    site.addAction(list);
    this.#socialActions = { block, mute, list };
    this.#showSocialActions(undefined);
    bar.addMenu(site);
    // The shortcut works while the menu bar is closed: the action must belong to the window too.
    this.#window.addAction(info);
    this.#kept.push(info, block, mute, list);
  }

  /** The Site menu's block, mute and block list actions as the page shown allows them. */
  #showSocialActions(actions: SiteActions | undefined): void {
    const social = this.#socialActions;
    if (social === undefined) return;
    const texts = ['&Block this site', actions?.muted === true ? 'Un&mute this site' : '&Mute this site',
      actions?.subscribedList === true ? "Unsubscribe from this site's block &list" : "Subscribe to this site's block &list"];
    const enabled = actions?.canBlock === true;
    [social.block, social.mute, social.list].forEach((action, i) => {
      action.setText(`${texts[i] ?? ''}\t${SOCIAL_SHORTCUTS[i] ?? ''}`);
      action.setEnabled(enabled);
    });
    this.#siteMenu = enabled ? texts.map((text) => text.replace('&', '')) : [];
  }

  #buildFileMenu(bar: NodeGui.QMenuBar, onNewPost: () => void): void {
    const qt = this.#qt;
    const file = new qt.QMenu(bar);
    this.#holdSignalledActions(file, this.#heldActions);
    file.setTitle('&File');
    const newPost = new qt.QAction(file);
    newPost.setText('&New post');
    newPost.setShortcut(new qt.QKeySequence('Ctrl+N'));
    newPost.addEventListener('triggered', onNewPost);
    file.addAction(newPost);
    const actions = [newPost];
    // QMenu.addMenu(title) of NodeGui 0.61 drops the title ("A string was expected").
    const drafts = new qt.QMenu(file);
    this.#holdSignalledActions(drafts, this.#heldDraftActions);
    drafts.setTitle('&Drafts');
    file.addAction(drafts.menuAction());
    const onNewSite = this.#commands.onNewSite;
    if (onNewSite !== undefined) {
      const newSite = new qt.QAction(file);
      newSite.setText('New &site…\tCtrl+Shift+N');
      newSite.addEventListener('triggered', onNewSite);
      file.addSeparator();
      file.addAction(newSite);
      actions.push(newSite);
    }
    // The shortcut is the window's (#bindKeys): the menu only says it.
    const quit = new qt.QAction(file);
    quit.setText('&Quit\tCtrl+Q');
    quit.addEventListener('triggered', () => {
      this.#quit();
    });
    file.addSeparator();
    file.addAction(quit);
    actions.push(quit);
    bar.addMenu(file);
    // The shortcut works while the menu bar is closed: the action must belong to the window too.
    this.#window.addAction(newPost);
    this.#draftsMenu = drafts;
    this.#fixedActions = actions;
    this.#menuActions = [...actions];
    this.setDrafts([]);
  }

  /** Lists `drafts` under File → Drafts (newest first, as given). */
  setDrafts(drafts: readonly DraftMenuEntry[]): void {
    const menu = this.#draftsMenu;
    if (menu === undefined) return;
    menu.clear();
    // The actions cleared are deleted with their cache entries.
    this.#heldDraftActions.clear();
    this.#menuActions = [...this.#fixedActions];
    for (const draft of drafts) {
      const action = new this.#qt.QAction(menu);
      action.setText(draft.label.replace(/&/g, '&&'));
      action.addEventListener('triggered', () => {
        this.#commands.onOpenDraft?.(draft.id);
      });
      menu.addAction(action);
      this.#menuActions.push(action);
    }
    menu.menuAction().setEnabled(drafts.length > 0);
  }

  /**
   * Shows a laid-out page under `address`. Showing a new plan of the page already shown
   * (the whole page after its first screens, a newer version) keeps the reader's place.
   */
  showPage(plan: LayoutPlan, address: string, options: ShowPageOptions = {}): void {
    const { files, onLaidOut, onFirstPaint } = options;
    const old = this.#page;
    const keepAt = old !== undefined && this.#address.text() === address ? old.scrollY : 0;
    const page = new PageView(this.#qt, plan, {
      onLink: (index) => {
        this.#handleLink(plan, index);
      },
      onPlay: (path, file) => {
        this.#commands.onPlay?.(path, file);
      },
      theme: this.#theme,
      zoom: this.#zoom,
      onChurn: releaseMemorySoon,
      ...(files === undefined ? {} : { files }),
      ...(onLaidOut === undefined ? {} : { onLaidOut }),
      ...(onFirstPaint === undefined ? {} : { onFirstPaint }),
    });
    if (old !== undefined) {
      old.close();
      old.widget.hide();
      old.widget.deleteLater();
    }
    this.#pageSlot.addWidget(page.widget);
    this.#page = page;
    if (keepAt > 0) page.scrollTo(keepAt);
    this.#address.setText(address);
    this.#window.setWindowTitle(plan.title === '' ? 'swarmpress' : `${plan.title} — swarmpress`);
  }

  /** The address shown in the address bar (the page's). */
  get addressShown(): string {
    return this.#address.text();
  }

  /** The page shown, if any. */
  get page(): PageView | undefined {
    return this.#page;
  }

  /** The web-link confirmation waiting for an answer, if any. */
  get confirmation(): LinkConfirmation | undefined {
    return this.#confirmation;
  }

  /** One line of plain text at the bottom of the window (elided to fit; the whole of it in the tooltip). */
  setStatus(text: string): void {
    this.#statusText = text;
    this.#showStatus();
  }

  #showStatus(): void {
    const qt = this.#qt;
    const text = this.#statusText.replace(/\s*\n\s*/g, ' ');
    const room = this.#status.width() - 2 * STATUS_MARGIN_PX;
    const shown = text === '' ? '' : new qt.QFontMetrics(this.#status.font()).elidedText(text, qt.TextElideMode.ElideRight, Math.max(1, room));
    this.#status.setText(shown);
    this.#status.setToolTip(shown === text ? '' : this.#statusText);
  }

  /** The progress bar: a fraction (0..1), `'busy'` (moving, no figure) or hidden. */
  setProgress(progress: number | 'busy' | undefined): void {
    this.#navigation.setProgress(progress);
  }

  /** Which of back and forward can be used. */
  setNavigation(state: NavigationState): void {
    this.#navigation.setNavigation(state);
  }

  /** The actions on the site of the page shown (hidden when the page belongs to no site). */
  setSiteActions(actions: SiteActions | undefined): void {
    this.#navigation.setSiteActions(actions);
    this.#showSocialActions(actions);
  }

  /** Shows (or hides, or toggles when `visible` is not given) the library panel. */
  toggleLibrary(visible?: boolean): void {
    const library = this.#library;
    if (library === undefined) return;
    const show = visible ?? !library.widget.isVisible();
    if (show) {
      library.widget.show();
      library.focusList();
      this.#commands.onLibraryShown?.();
    } else {
      library.widget.hide();
    }
  }

  /** What the library panel lists. */
  setLibrary(view: LibraryView): void {
    this.#library?.show(view);
  }

  /** Opens the site information with `view`, or shows `view` in it when it is open. */
  showSiteInfo(view: SiteInfoView): void {
    if (this.#siteInfo?.isOpen === true) {
      this.#siteInfo.update(view);
      return;
    }
    this.#siteInfo?.close();
    this.#siteInfo = new SiteInfoDialog(this.#qt, view, {
      onOpenVersion: (id) => this.#commands.onOpenVersion?.(id),
      onClosed: () => {
        this.#siteInfo = undefined;
        this.#commands.onSiteInfoClosed?.();
      },
    }, this.#window);
  }

  /** Whether the site information is open. */
  get isSiteInfoOpen(): boolean {
    return this.#siteInfo?.isOpen === true;
  }

  /** Closes the site information (it does not report `onSiteInfoClosed`). */
  closeSiteInfo(): void {
    this.#siteInfo?.close();
    this.#siteInfo = undefined;
  }

  /** Puts the keyboard in the address bar (Ctrl+L). */
  focusAddress(): void {
    this.#address.setFocus();
    this.#address.selectAll();
  }

  /** Finds the next (or previous) occurrence of `query` in the page; says where in the status line. */
  find(query: string, backwards = false): [number, number] {
    const found = this.#page?.find(query, backwards) ?? [0, 0];
    this.setStatus(query.trim() === '' ? '' : found[1] === 0 ? `Not found: ${query}` : `${found[0]} of ${found[1]}`);
    return found;
  }

  setZoom(zoom: number): void {
    this.#page?.setZoom(zoom);
    this.#zoom = this.#page?.zoom ?? zoom;
  }

  get zoom(): number {
    return this.#zoom;
  }

  setTheme(theme: ThemeName): void {
    this.#theme = theme;
    this.#page?.setTheme(theme);
    this.#window.setStyleSheet(theme === 'dark' ? 'QMainWindow, QLineEdit, QLabel#status { background: #26272b; color: #e6e6ea; }' : '', false);
  }

  get theme(): ThemeName {
    return this.#theme;
  }

  show(): void {
    if (this.#kiosk) this.#coverScreen();
    else this.#window.show();
    this.#page?.widget.setFocus();
  }

  /** Raises the window above the others and gives it the focus (another link was opened in it). */
  bringToFront(): void {
    if (this.#window.isMinimized()) this.#window.showNormal();
    this.#window.activateWindow();
    this.#window.raise();
  }

  close(): void {
    this.#confirmation?.answer(false);
    this.closeSiteInfo();
    this.#window.close();
  }

  #quit(): void {
    if (this.#commands.onQuit !== undefined) this.#commands.onQuit();
    else this.close();
  }

  /** Calls `handler` once, after the window was painted for the first time from now. */
  onNextPaint(handler: () => void): void {
    this.#painted.push(handler);
  }

  /** The widgets of the page shown, read back from Qt. */
  dump(): {
    title: string; address: string; status: string; page: DumpNode[]; liveBlocks: number; theme: ThemeName; zoom: number;
    statusShown: string; navigation: ReturnType<NavigationBar['dump']>; library: string[] | undefined; fullScreen: boolean;
    geometry: { x: number; y: number; width: number; height: number };
    libraryCurrent: ReturnType<LibraryPanel['dumpCurrent']> | undefined; siteInfo: SiteInfoDump | undefined;
    siteMenu: string[];
  } {
    return {
      siteMenu: this.#siteMenu,
      title: this.#window.windowTitle(),
      address: this.#address.text(),
      status: this.#statusText,
      statusShown: this.#status.text(),
      geometry: { x: this.#window.x(), y: this.#window.y(), width: this.#window.width(), height: this.#window.height() },
      navigation: this.#navigation.dump(),
      library: this.#library?.widget.isVisible() === true ? this.#library.dump() : undefined,
      libraryCurrent: this.#library?.widget.isVisible() === true ? this.#library.dumpCurrent() : undefined,
      siteInfo: this.#siteInfo?.isOpen === true ? this.#siteInfo.dump() : undefined,
      fullScreen: this.#window.isFullScreen(),
      page: this.#page?.dump(true, { places: true }) ?? [],
      liveBlocks: this.#page?.liveBlocks ?? 0,
      theme: this.#theme,
      zoom: this.#zoom,
    };
  }

  /** Saves a screenshot of the window (Qt's own grab) as PNG; false when Qt could not. */
  grab(path: string): boolean {
    return this.#window.grab().save(path, 'PNG');
  }

  /** Saves a screenshot of the site information as PNG; false when it is not open or Qt could not. */
  grabSiteInfo(path: string): boolean {
    return this.#siteInfo?.isOpen === true && this.#siteInfo.grab(path);
  }

  #handleLink(plan: LayoutPlan, index: number): void {
    const target = plan.links[index]?.target;
    if (target?.kind !== 'external') {
      this.#commands.onLink(index);
      return;
    }
    this.#confirmation?.answer(false);
    this.#confirmation = confirmExternalLink(this.#qt, this.#window, target.display, (open) => {
      this.#confirmation = undefined;
      if (!open) return;
      if (this.#commands.onOpenExternal !== undefined) this.#commands.onOpenExternal(target.href);
      else this.#commands.onLink(index);
    });
  }

  #bindKeys(): void {
    const qt = this.#qt;
    const bind = (keys: string, action: () => void, widget: NodeGui.QWidget = this.#window): void => {
      const shortcut = new qt.QShortcut(widget);
      shortcut.setKey(new qt.QKeySequence(keys));
      shortcut.setContext(widget === this.#window ? qt.ShortcutContext.WindowShortcut : qt.ShortcutContext.WidgetShortcut);
      shortcut.addEventListener('activated', action);
      this.#shortcuts.push(shortcut);
    };
    bind('Ctrl+L', () => {
      this.focusAddress();
    });
    bind('Alt+Left', () => this.#commands.onBack?.());
    bind('Alt+Right', () => this.#commands.onForward?.());
    bind('F5', () => this.#commands.onReload?.());
    bind('Ctrl+B', () => {
      this.toggleLibrary();
    });
    bind('Ctrl+D', () => this.#commands.onFollow?.());
    bind(SOCIAL_SHORTCUTS[0], () => this.#commands.onBlock?.());
    bind(SOCIAL_SHORTCUTS[1], () => this.#commands.onMute?.());
    bind(SOCIAL_SHORTCUTS[2], () => this.#commands.onBlockList?.());
    bind('Ctrl+Shift+R', () => this.#commands.onReply?.());
    // Not Ctrl+E: the address bar (a QLineEdit) takes it on X11 (end of line).
    bind('Ctrl+Shift+E', () => this.#commands.onEdit?.());
    bind('Ctrl+,', () => this.#commands.onSettings?.());
    bind('Ctrl+Shift+N', () => this.#commands.onNewSite?.());
    bind('Ctrl+F', () => {
      this.#openFind();
    });
    bind('Shift+Return', () => this.find(this.#findBar.text(), true), this.#findBar);
    bind('Escape', () => {
      this.#findBar.hide();
      this.#page?.widget.setFocus();
    }, this.#findBar);
    bind('Ctrl++', () => {
      this.setZoom(this.#zoom * ZOOM_STEP);
    });
    bind('Ctrl+=', () => {
      this.setZoom(this.#zoom * ZOOM_STEP);
    });
    bind('Ctrl+-', () => {
      this.setZoom(this.#zoom / ZOOM_STEP);
    });
    bind('Ctrl+0', () => {
      this.setZoom(1);
    });
    bind('Ctrl+Q', () => {
      this.#quit();
    });
    bind('Ctrl+Shift+L', () => {
      this.setTheme(this.#theme === 'light' ? 'dark' : 'light');
    });
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
