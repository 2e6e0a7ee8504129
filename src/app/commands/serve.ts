/**
 * `swarmpress serve`: the headless node (a "pub"). It seeds every version it holds, puts
 * what waits in the outbox, keeps followed sites current (records pushed over BEP 10, LAN
 * discovery unless --no-lan or on loopback, DHT polling as the fallback), re-puts the records of own and followed sites (BEP 44 items expire after two
 * hours), keeps the cache within its budget, runs the commands handed to it over the
 * control socket, and logs one line per event. It runs until SIGINT or SIGTERM.
 *
 * Intervals: `SWARMPRESS_POLL_SECONDS` (default 300) between checks of followed sites,
 * `SWARMPRESS_REPUT_SECONDS` (default 3600) between re-puts.
 */
import { toHex } from '../../core/bytes.js';
import { libtorrentVersion } from '../../net/native.js';
import type { NodeEvent, SiteNode } from '../../net/site-node.js';
import type { CommonOptions } from '../cli.js';
import { ControlServer } from '../control.js';
import { EXIT_OK, presentError } from '../messages.js';
import { lanOptions, startNode, stopNode } from '../node-setup.js';
import { Output } from '../output.js';
import { runSiteCommand } from './site.js';

function seconds(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

function logLine(out: Output): (event: NodeEvent) => void {
  return (event) => {
    out.print({ time: new Date().toISOString(), ...event }, `${new Date().toISOString()} ${event.message}`);
  };
}

/** Checks every followed site once; logs failures, never throws. */
async function pollFollowed(node: SiteNode, log: (event: NodeEvent) => void): Promise<void> {
  for (const entry of node.store.follows()) {
    if (entry.kind !== 'site') continue;
    try {
      await node.refresh(entry.key);
    } catch (error) {
      log({ event: 'poll-failed', message: `${toHex(entry.key)}: ${presentError(error).message}`, key: toHex(entry.key) });
    }
  }
}

export async function serve(common: CommonOptions, out: Output): Promise<number> {
  // Signals first: a Ctrl-C right after "started" must stop the node, not kill it.
  let stop: (signal: NodeJS.Signals) => void = () => undefined;
  const stopped = new Promise<NodeJS.Signals>((resolve) => {
    stop = (signal) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  const log = logLine(out);
  const node = startNode(common, { log });
  let control: ControlServer | undefined;
  const timers: NodeJS.Timeout[] = [];
  try {
    control = await ControlServer.listen(node.dataDir, async (request, write, writeError) => {
      const handed = new Output(request.json, write, writeError);
      try {
        return await runSiteCommand(node, request.command, handed, true);
      } catch (error) {
        const shown = presentError(error);
        writeError(`swarmpress: ${shown.message}`);
        if (request.json) write(JSON.stringify({ error: shown.code, message: shown.message }));
        return shown.exitCode;
      }
    });
    const lan = lanOptions(common);
    if (lan !== undefined) {
      try {
        await node.startLan(lan);
        log({ event: 'lan', message: `LAN discovery on${lan.interfaceAddress === undefined ? '' : ` (${lan.interfaceAddress})`}`, ...lan });
      } catch (error) {
        log({ event: 'warning', message: presentError(error).message, code: presentError(error).code });
      }
    }
    const version = libtorrentVersion();
    log({
      event: 'started',
      message: `swarmpress node started (pid ${process.pid}): data in ${node.dataDir}, listening on port ${node.session.listenPort}, libtorrent ${version.runtime}; Ctrl-C stops it`,
      dataDir: node.dataDir, pid: process.pid, port: node.session.listenPort, libtorrent: version.runtime, seeding: node.seeding.length,
    });
    let busy = false;
    const cycle = async (reput: boolean): Promise<void> => {
      if (busy) return;
      busy = true;
      try {
        const flushed = await node.flushOutbox();
        if (flushed > 0) log({ event: 'outbox', message: `put ${flushed} pending record${flushed === 1 ? '' : 's'}` });
        await pollFollowed(node, log);
        if (reput) {
          const result = await node.reputAll();
          log({ event: 'reput', message: `re-put ${result.put} record${result.put === 1 ? '' : 's'}${result.failed > 0 ? ` (${result.failed} failed)` : ''}`, ...result });
        }
        await node.enforceBudget();
      } catch (error) {
        log({ event: 'error', message: presentError(error).message });
      } finally {
        busy = false;
      }
    };
    timers.push(setInterval(() => void cycle(false), seconds('SWARMPRESS_POLL_SECONDS', 300) * 1000));
    timers.push(setInterval(() => void cycle(true), seconds('SWARMPRESS_REPUT_SECONDS', 3600) * 1000));
    void cycle(true);
    const signal = await stopped;
    log({ event: 'stopped', message: `swarmpress node stopped (${signal})`, signal });
  } finally {
    for (const timer of timers) clearInterval(timer);
    stop('SIGTERM');
    await control?.close();
    await stopNode(node);
  }
  return EXIT_OK;
}
