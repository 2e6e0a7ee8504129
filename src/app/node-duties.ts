/**
 * What a running node does besides answering requests (serve and the app): puts what waits
 * in the outbox, checks followed sites and subscribed block lists (DHT polling; pushes arrive
 * through the node), fetches the versions of reply notices not checked yet (node/site-replies.ts), re-puts
 * the records of own and followed sites (BEP 44 items expire after two hours) and keeps the
 * cache within its budget, and runs the commands handed to it over the control socket.
 *
 * Intervals: `SWARMPRESS_POLL_SECONDS` (default 300) between checks of followed sites,
 * `SWARMPRESS_REPUT_SECONDS` (default 3600) between re-puts.
 */
import { toHex } from '../core/bytes.js';
import type { NodeEvent, SiteNode } from '../net/node/site-node.js';
import type { Command, CommonOptions } from './cli.js';
import { ControlServer, type ControlConnection } from './control.js';
import { presentError } from './messages.js';
import { lanOptions } from './node-setup.js';
import { Output } from './output.js';
import { runSiteCommand } from './commands/site.js';

function seconds(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Checks every followed site and subscribed block list once; logs failures, never throws. */
export async function pollFollowed(node: SiteNode, log: (event: NodeEvent) => void): Promise<void> {
  const keys = new Map<string, Uint8Array>();
  for (const entry of node.store.follows()) if (entry.kind === 'site') keys.set(toHex(entry.key), entry.key);
  for (const key of node.store.blockLists()) keys.set(toHex(key), key);
  for (const [hex, key] of keys) {
    try {
      await node.refresh(key);
    } catch (error) {
      log({ type: 'poll-failed', key: hex, reason: presentError(error).message });
    }
  }
}

/**
 * What a node does with a `window` request (window-link.ts): the app shows the page, serve
 * hands its node over. Resolves with the exit code for the client.
 */
export type WindowRequestHandler = (command: Extract<Command, { name: 'window' }>, connection: ControlConnection, output: Output) => Promise<number>;

/**
 * Listens on `dataDir`'s control socket and runs the commands handed to it on the node
 * `node()` resolves with (the app's starts when a command first needs it), and `window`
 * requests with `onWindow`. Throws AppError `ERR_NODE_RUNNING` when another node serves the
 * folder.
 */
export function listenOnDataDir(dataDir: string, node: () => Promise<SiteNode>, onWindow: WindowRequestHandler): Promise<ControlServer | undefined> {
  return ControlServer.listen(dataDir, async (request, write, writeError, connection) => {
    const handed = new Output(request.json, write, writeError);
    try {
      if (request.command.name === 'window') return await onWindow(request.command, connection, handed);
      return await runSiteCommand(await node(), request.command, handed, true);
    } catch (error) {
      const shown = presentError(error);
      writeError(`swarmpress: ${shown.message}`);
      if (request.json) write(JSON.stringify({ error: shown.code, message: shown.message }));
      return shown.exitCode;
    }
  });
}

/** {@link listenOnDataDir} for a node that runs already. */
export function listenForCommands(node: SiteNode, onWindow: WindowRequestHandler): Promise<ControlServer | undefined> {
  return listenOnDataDir(node.dataDir, () => Promise.resolve(node), onWindow);
}

/** Starts LAN discovery when the options allow it (node-setup.ts `lanOptions`); a failure is logged, not thrown. */
export async function startLan(node: SiteNode, common: CommonOptions, log: (event: NodeEvent) => void): Promise<void> {
  const lan = lanOptions(common);
  if (lan === undefined) return;
  try {
    await node.startLan(lan);
    log({ type: 'lan', ...lan });
  } catch (error) {
    log({ type: 'warning', text: presentError(error).message, code: presentError(error).code });
  }
}

/** Running duties; `stop()` ends the timers (a cycle under way finishes on its own). */
export interface NodeDuties {
  /** Runs one cycle now (unless one is running): outbox, followed sites, reply notices, budget. */
  runNow(): Promise<void>;
  stop(): void;
}

/** Starts the periodic duties of `node`; the first cycle (with a re-put) runs at once. */
export function startDuties(node: SiteNode, log: (event: NodeEvent) => void): NodeDuties {
  let busy = false;
  const cycle = async (reput: boolean): Promise<void> => {
    if (busy) return;
    busy = true;
    try {
      const flushed = await node.flushOutbox();
      if (flushed > 0) log({ type: 'outbox-flushed', records: flushed });
      await pollFollowed(node, log);
      // Not awaited: a fetch may take a minute, and the rest of the cycle need not wait.
      void node.checkReplyNotices();
      if (reput) {
        const result = await node.reputAll();
        log({ type: 'reput', ...result });
      }
      await node.enforceBudget();
    } catch (error) {
      log({ type: 'error', text: presentError(error).message });
    } finally {
      busy = false;
    }
  };
  const timers = [
    setInterval(() => void cycle(false), seconds('SWARMPRESS_POLL_SECONDS', 300) * 1000),
    setInterval(() => void cycle(true), seconds('SWARMPRESS_REPUT_SECONDS', 3600) * 1000),
  ];
  void cycle(true);
  return {
    runNow: () => cycle(false),
    stop: () => {
      for (const timer of timers) clearInterval(timer);
    },
  };
}
