/**
 * Starting a node from the command line's common options, and running a command on the
 * node that serves this data folder (control.ts) or on one of its own.
 *
 * `SWARMPRESS_TORRENT_FORMAT=hybrid` publishes versions as hybrid v1+v2 torrents (BEP 52)
 * instead of v1 ones (README "Publishing": the Debian clients cannot read hybrid torrents).
 * `SWARMPRESS_PUSH=0` switches pushed updates off (the reference of `make bench`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { NativeError, type SessionOptions } from '../net/session.js';
import { SiteNode, type NodeEvent } from '../net/node/site-node.js';
import { writeFileAtomic } from '../store/atomic-file.js';
import { ensureDataDir, resolveDataDir } from '../store/data-dir.js';
import { cacheBudgetBytes, rateLimitSettings, readSettings } from '../store/settings-file.js';
import { describeRecovery, Store } from '../store/store.js';
import type { Command, CommonOptions, Endpoint } from './cli.js';
import { delegate } from './control.js';
import type { Output } from './output.js';

/** The mainline DHT's usual entry points, used when no --dht-bootstrap is given. */
export const PUBLIC_BOOTSTRAP: readonly Endpoint[] = [
  { host: 'router.bittorrent.com', port: 6881 },
  { host: 'dht.transmissionbt.com', port: 6881 },
  { host: 'dht.libtorrent.org', port: 25401 },
  { host: 'router.utorrent.com', port: 6881 },
];

const STATE_FILE = 'session.state';

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

function formatEndpoint(endpoint: Endpoint): string {
  return endpoint.host.includes(':') ? `[${endpoint.host}]:${endpoint.port}` : `${endpoint.host}:${endpoint.port}`;
}

/**
 * The session of a node: where it listens, its DHT and LAN discovery. A node that listens
 * on loopback, or whose DHT starts from loopback nodes only, is a test or a single-machine
 * network: every peer shares one address, and nothing is sent to the LAN (no LSD, no UPnP).
 */
export function sessionOptions(common: CommonOptions, dataDir: string): SessionOptions {
  const bootstrap = common.dhtBootstrap ?? PUBLIC_BOOTSTRAP;
  const listenLocal = common.listen !== undefined && isLoopback(common.listen.host);
  const local = listenLocal || (common.dhtBootstrap !== undefined && common.dhtBootstrap.every((endpoint) => isLoopback(endpoint.host)));
  let state: Uint8Array | undefined;
  try {
    state = fs.readFileSync(path.join(dataDir, STATE_FILE));
  } catch {
    state = undefined;
  }
  return {
    listen: common.listen === undefined ? '0.0.0.0:0,[::]:0' : formatEndpoint(common.listen),
    dht: common.dht,
    dhtBootstrap: bootstrap,
    lsd: common.lan && !listenLocal,
    portMapping: !local,
    sameHostPeers: local,
    ...(state === undefined ? {} : { state }),
  };
}

/**
 * Where LAN discovery runs, or undefined when it does not: not with --no-lan, and not on a
 * node that listens on loopback (a local test node: nothing it says belongs on the LAN).
 * A node told to listen on one IPv4 address (a host in a network namespace, a machine with
 * several networks) uses that address's interface.
 */
export function lanOptions(common: CommonOptions): { interfaceAddress?: string } | undefined {
  if (!common.lan || (common.listen !== undefined && isLoopback(common.listen.host))) return undefined;
  const host = common.listen?.host;
  return host !== undefined && /^\d+\.\d+\.\d+\.\d+$/.test(host) && host !== '0.0.0.0' ? { interfaceAddress: host } : {};
}

/**
 * Saves the session's DHT state for a faster start next time: atomically, as a full disk
 * once left it empty and every later command failed reading it (issue #25 item 6).
 */
export function saveSessionState(node: SiteNode): void {
  try {
    writeFileAtomic(path.join(node.dataDir, STATE_FILE), node.session.saveState());
  } catch {
    // a cache only: the old state stays, or none
  }
}

/**
 * Opens the store and starts a node for this data folder, with the folder's settings
 * (settings-file.ts: cache budget, rate limits, seeding what is read, what the LAN hears; a malformed file is
 * logged and the defaults are used). A `transient` node (one command
 * that ends in seconds) is a read-only DHT node (BEP 43): it looks up and puts, but other
 * nodes do not add it to their routing tables, where it would soon be a dead entry that
 * every lookup waits for.
 */
export function startNode(common: CommonOptions, options: { log?: (event: NodeEvent) => void; transient?: boolean; store?: Store } = {}): SiteNode {
  const dataDir = ensureDataDir(resolveDataDir(common.dataDir));
  const { settings, problem } = readSettings(dataDir);
  if (problem !== undefined) options.log?.({ type: 'warning', text: problem, code: 'ERR_SETTINGS' });
  // A store opened already (the window reads stored pages before the node starts) becomes the node's.
  const store = options.store ?? Store.open({ dataDir, cacheBudgetBytes: cacheBudgetBytes(settings) });
  if (options.store !== undefined) store.setCacheBudget(cacheBudgetBytes(settings));
  if (store.recovery !== undefined) options.log?.({ type: 'warning', text: describeRecovery(store.recovery), code: 'ERR_STORE_RECOVERED' });
  try {
    const { state, ...base } = sessionOptions(common, dataDir);
    const session = { ...base, settings: { ...base.settings, ...rateLimitSettings(settings) } };
    const format = process.env['SWARMPRESS_TORRENT_FORMAT'];
    const start = (sessionOptions: SessionOptions): SiteNode =>
      SiteNode.start({
        store,
        ...(format === 'hybrid' || format === 'v1' ? { torrentFormat: format } : {}),
        // The reference of the LAN benchmark: updates found by polling only.
        ...(process.env['SWARMPRESS_PUSH'] === '0' ? { push: false } : {}),
        session: options.transient === true ? { ...sessionOptions, settings: { ...sessionOptions.settings, dht_read_only: true } } : sessionOptions,
        transient: options.transient === true,
        seedReads: settings.seedReads,
        lanAnnounce: settings.lanAnnounce,
        ...(options.log === undefined ? {} : { log: options.log }),
      });
    if (state === undefined) return start(session);
    try {
      return start({ ...session, state });
    } catch (error) {
      // A damaged session.state (a cache of the DHT's routing table) is as if absent.
      if (!(error instanceof NativeError && error.operation === 'read_session_params')) throw error;
      options.log?.({ type: 'warning', text: `${STATE_FILE} cannot be read (${error.message}): starting without it`, code: 'ERR_SESSION_STATE' });
      return start(session);
    }
  } catch (error) {
    if (options.store === undefined) store.close();
    throw error;
  }
}

/** Stops a node started by {@link startNode}, and its store. */
export async function stopNode(node: SiteNode): Promise<void> {
  saveSessionState(node);
  await node.close();
  node.store.close();
}

/** Paths of a command made absolute, so the running node reads the same files. */
function absolutePaths(command: Command): Command {
  switch (command.name) {
    case 'publish':
      return { ...command, dir: path.resolve(command.dir) };
    case 'post':
      return { ...command, file: path.resolve(command.file) };
    case 'get':
      return { ...command, out: command.out === undefined ? undefined : path.resolve(command.out) };
    default:
      return command;
  }
}

/**
 * Runs `command` on the node serving this data folder if one runs, else on a node started
 * for the command and stopped after it.
 */
export async function onNode(
  command: Command,
  common: CommonOptions,
  out: Output,
  run: (node: SiteNode, command: Command, out: Output, delegated: boolean) => Promise<number>,
): Promise<number> {
  const dataDir = ensureDataDir(resolveDataDir(common.dataDir));
  const absolute = absolutePaths(command);
  const delegated = await delegate(dataDir, { command: absolute, json: out.json });
  if (delegated !== undefined) return delegated;
  // Its log is not shown (the command's output says what happened), but for a damaged
  // session.state, which the user should know was thrown away.
  const log = (event: NodeEvent): void => {
    if (event.type === 'warning' && event.code === 'ERR_SESSION_STATE') out.note(`warning: ${event.text}`);
  };
  const node = startNode(common, { transient: true, log });
  if (node.store.recovery !== undefined) out.note(`note: ${describeRecovery(node.store.recovery)}`);
  try {
    // A read with no node running here still asks the LAN neighbours (a mesh without
    // internet); the node is announced on the LAN for as long as the command runs.
    if (command.name === 'get' || command.name === 'follow') {
      const lan = lanOptions(common);
      if (lan !== undefined) await node.startLan(lan).catch((error: unknown) => { out.note(`LAN discovery did not start: ${error instanceof Error ? error.message : String(error)}`); });
    }
    return await run(node, absolute, out, false);
  } finally {
    await stopNode(node);
  }
}
