/**
 * The app's node: the same node as `swarmpress serve` (node-setup.ts, node-duties.ts) —
 * one libtorrent session, the store, the control socket so that `swarmpress publish` and
 * the other commands of this data folder run on it, LAN discovery (unless --no-lan or on
 * loopback), and the periodic duties — started when
 * the window asks (after its first paint, so the welcome page is never kept waiting).
 *
 * Ownership: whoever creates an AppNode calls `close()`, which stops the duties, the
 * control socket and the node, in that order. Threading: JS thread only.
 */
import type { NodeEvent, SiteNode } from '../net/node/site-node.js';
import { cacheBudgetBytes, rateLimitSettings, writeSettings, type NodeSettings } from '../store/settings-file.js';
import type { CommonOptions } from './cli.js';
import type { ControlServer } from './control.js';
import { EXIT_OK, presentError } from './messages.js';
import { listenForCommands, listenOnDataDir, startDuties, startLan, type NodeDuties, type WindowRequestHandler } from './node-duties.js';
import { lanOptions, startNode, stopNode } from './node-setup.js';
import { ensureDataDir, resolveDataDir } from '../store/data-dir.js';
import { Store } from '../store/store.js';

export class AppNode {
  readonly #common: CommonOptions;
  readonly #listeners = new Set<(event: NodeEvent) => void>();
  #started: Promise<SiteNode> | undefined;
  /**
   * The one store of the data folder: opened by openStore() before the node (then handed to
   * it), or the node's own once it runs. Closed by the node when it stops, else by close().
   */
  #store: Store | undefined;
  #node: SiteNode | undefined;
  #control: ControlServer | undefined;
  #duties: NodeDuties | undefined;
  #closed = false;
  /** Shows what `swarmpress [URL]` asked the running window for (window-link.ts). */
  #onOpen: ((url: string | undefined) => void) | undefined;
  /** What was asked before `#onOpen` was set (the window was not built yet): the latest. */
  #pendingOpen: { url: string | undefined } | undefined;
  /** The control socket opened before the node (listen()). */
  #listening: Promise<void> | undefined;
  #markRunning: { resolve: (node: SiteNode) => void; reject: (error: unknown) => void } | undefined;
  readonly #running = new Promise<SiteNode>((resolve, reject) => {
    this.#markRunning = { resolve, reject };
  });

  constructor(common: CommonOptions) {
    this.#common = common;
    // A failed start is reported by start() to its caller; nobody need listen here.
    this.#running.catch(() => undefined);
  }

  /** Calls `listener` with every event of the node (from any thread of work, on the JS thread). */
  onEvent(listener: (event: NodeEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Calls `show` with the address of each `swarmpress [URL]` run on this data folder while
   * the node runs (a `bittorrent:` link the desktop opens), instead of a second window.
   */
  onOpenRequest(show: (url: string | undefined) => void): void {
    this.#onOpen = show;
    const pending = this.#pendingOpen;
    this.#pendingOpen = undefined;
    if (pending !== undefined) show(pending.url);
  }

  /**
   * Opens the data folder's control socket now, before the node starts (which is after the
   * window's first paint): a second `swarmpress URL` run meanwhile comes here instead of
   * opening a second window, and a command handed over starts the node. When another node
   * answers there, nothing is opened: start() then says why.
   */
  listen(): Promise<void> {
    this.#listening ??= (async () => {
      try {
        const control = await listenOnDataDir(ensureDataDir(resolveDataDir(this.#common.dataDir)), () => this.start(), this.#windowRequest);
        if (this.#closed) await control?.close();
        else this.#control = control;
      } catch {
        // ERR_NODE_RUNNING, or a folder that cannot be used: start() reports it.
      }
    })();
    return this.#listening;
  }

  /** A `window` request (window-link.ts): the page is shown here. */
  readonly #windowRequest: WindowRequestHandler = (command, _connection, output) => {
    if (this.#onOpen === undefined) this.#pendingOpen = { url: command.url };
    else this.#onOpen(command.url);
    output.note(`swarmpress: ${command.url === undefined ? 'brought the running window to the front' : `opened ${command.url} in the running window`} (pid ${process.pid})`);
    return Promise.resolve(EXIT_OK);
  };

  /** The node once it runs (started on the first call); rejects with why it cannot run. */
  start(): Promise<SiteNode> {
    if (this.#started === undefined) {
      this.#started = this.#start();
      this.#started.then((node) => this.#markRunning?.resolve(node), (error: unknown) => this.#markRunning?.reject(error));
    }
    return this.#started;
  }

  /**
   * The data folder's store, opened now if the node has not started yet (and then handed to
   * the node): stored pages can be read before the swarm node runs. Undefined when it cannot
   * be opened (start() reports why) or the app is closing.
   */
  openStore(): Store | undefined {
    if (this.#store !== undefined || this.#closed) return this.#store;
    if (this.#started === undefined) {
      try {
        this.#store = Store.open({ dataDir: ensureDataDir(resolveDataDir(this.#common.dataDir)) });
      } catch {
        return undefined;
      }
    }
    return this.#store;
  }

  /** Whether openStore() returns at once: the store is open, or its last close was clean and no check is due (Store.opensQuickly). */
  opensStoreQuickly(): boolean {
    if (this.#store !== undefined) return true;
    try {
      return Store.opensQuickly(resolveDataDir(this.#common.dataDir));
    } catch {
      return false;
    }
  }

  /** Settles as start() does, whoever calls it first; never starts the node itself. */
  started(): Promise<SiteNode> {
    return this.#running;
  }

  /** The running node, if it runs already. */
  get node(): SiteNode | undefined {
    return this.#node;
  }

  /** The store if it is open (openStore, or the node's), without opening it. */
  get store(): Store | undefined {
    return this.#store;
  }

  /** Hands back what the store keeps cached (Store.releaseMemory), whether or not the node runs yet. */
  releaseMemory(): void {
    this.#store?.releaseMemory();
  }

  /** Why the node runs no LAN discovery (a sentence for the reader), or undefined when it does or may still. */
  get lanOff(): string | undefined {
    if (!this.#common.lan) return 'LAN discovery is off (--no-lan).';
    if (lanOptions(this.#common) === undefined) return 'LAN discovery is off: this node listens on loopback only.';
    if (this.#node !== undefined && this.#node.lan === undefined) return 'LAN discovery is not running (it could not open its socket, or is starting).';
    return undefined;
  }

  /**
   * Saves `settings` in the data folder (every node of it starts with them) and applies
   * them to the running node at once: libtorrent's rate limits, the cache budget (evicting
   * what it no longer allows), whether read versions are seeded and which sites the LAN
   * notice names (republished at once). Throws RangeError for
   * a value out of range, before anything changes.
   */
  async applySettings(dataDir: string, settings: NodeSettings): Promise<{ evicted: number }> {
    writeSettings(dataDir, settings);
    const node = this.#node;
    if (node === undefined) return { evicted: 0 };
    node.session.applySettings(rateLimitSettings(settings));
    node.store.setCacheBudget(cacheBudgetBytes(settings));
    node.setSeedReads(settings.seedReads);
    node.setLanAnnounce(settings.lanAnnounce);
    return { evicted: await node.enforceBudget() };
  }

  /** Runs the duties' cycle now (followed sites, outbox). */
  async checkNow(): Promise<void> {
    await this.#duties?.runNow();
  }

  async #start(): Promise<SiteNode> {
    if (this.#closed) throw new Error('the app is closing');
    const log = (event: NodeEvent): void => {
      for (const listener of this.#listeners) {
        try {
          listener(event);
        } catch (error) {
          process.stderr.write(`swarmpress: a node event handler failed: ${presentError(error).message}\n`);
        }
      }
    };
    const node = startNode(this.#common, { log, ...(this.#store === undefined ? {} : { store: this.#store }) });
    // The node owns the store from now on (stopNode closes it).
    this.#store = undefined;
    await this.#listening;
    if (this.#control === undefined) {
      try {
        this.#control = await listenForCommands(node, this.#windowRequest);
      } catch (error) {
        await stopNode(node);
        throw error;
      }
    }
    if (this.#isClosing()) {
      await this.#control?.close();
      this.#control = undefined;
      await stopNode(node);
      throw new Error('the app is closing');
    }
    this.#node = node;
    this.#store = node.store;
    await startLan(node, this.#common, log);
    this.#duties = startDuties(node, log);
    return node;
  }

  /** Read through a method: `close()` may have run while `#start` awaited. */
  #isClosing(): boolean {
    return this.#closed;
  }

  /** Stops everything this AppNode started (idempotent). */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#listening;
    await this.#started?.catch(() => undefined);
    this.#duties?.stop();
    this.#duties = undefined;
    const control = this.#control;
    this.#control = undefined;
    await control?.close();
    const node = this.#node;
    const store = this.#store;
    this.#node = undefined;
    this.#store = undefined;
    if (node !== undefined) await stopNode(node);
    // Opened for reading while the node never started.
    else store?.close();
  }
}
