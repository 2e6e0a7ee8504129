/**
 * `swarmpress serve`: the headless node (a "pub"). It seeds every version it holds, puts
 * what waits in the outbox, keeps followed sites current (records pushed over BEP 10, LAN
 * discovery unless --no-lan or on loopback, DHT polling as the fallback), re-puts the
 * records of own and followed sites (BEP 44 items expire after two hours), keeps the cache
 * within its budget, runs the commands handed to it over the control socket (node-duties.ts,
 * shared with the app), and logs one line per event. It runs until SIGINT or SIGTERM.
 *
 * A window opened on the same data folder (window-link.ts) takes the node over: serve stops
 * its node — one libtorrent session and one writer of the store per data folder — and
 * starts it again when the window's process has ended. The process itself keeps running
 * (as the systemd user unit does), so nothing restarts it meanwhile. Started while another
 * node runs there (a window opened first), it waits until that one's process ends.
 */
import { libtorrentVersion } from '../../net/native.js';
import { describeEvent, eventRecord, type NodeEvent } from '../../net/node/events.js';
import type { CommonOptions } from '../cli.js';
import { watchNode, type ControlConnection, type ControlServer } from '../control.js';
import { ensureDataDir, resolveDataDir } from '../../store/data-dir.js';
import { EXIT_FAILED, EXIT_OK } from '../messages.js';
import { listenForCommands, startDuties, startLan, type NodeDuties } from '../node-duties.js';
import { startNode, stopNode } from '../node-setup.js';
import type { Output } from '../output.js';

function logLine(out: Output): (event: NodeEvent) => void {
  return (event) => {
    out.print({ time: new Date().toISOString(), ...eventRecord(event) }, `${new Date().toISOString()} ${describeEvent(event)}`);
  };
}

/** Why the node of one run stopped: a signal, or a window that takes it over. */
type Stopped = { readonly signal: NodeJS.Signals } | { readonly handover: ControlConnection; readonly answered: () => void };

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
  try {
    const dataDir = ensureDataDir(resolveDataDir(common.dataDir));
    let again = false;
    for (;;) {
      // Another node runs here (a window, or another serve): this one waits for its turn.
      const running = await watchNode(dataDir);
      if (running !== undefined) {
        log({ type: 'waiting', dataDir });
        const signal = await Promise.race([running.stopped.then(() => undefined), stopped]);
        if (signal !== undefined) {
          log({ type: 'stopped', signal });
          return EXIT_OK;
        }
        continue;
      }
      const why = await runNode(common, log, stopped, again);
      again = true;
      if ('signal' in why) {
        log({ type: 'stopped', signal: why.signal });
        return EXIT_OK;
      }
      log({ type: 'handed-over' });
      const back = await Promise.race([why.handover.handOver().then(() => undefined), stopped]);
      why.answered();
      if (back !== undefined) {
        log({ type: 'stopped', signal: back });
        return EXIT_OK;
      }
    }
  } finally {
    stop('SIGTERM');
  }
}

/** Runs the node until a signal or a window's handover; it is stopped when this resolves. */
async function runNode(common: CommonOptions, log: (event: NodeEvent) => void, stopped: Promise<NodeJS.Signals>, again: boolean): Promise<Stopped> {
  let takeOver: (request: { handover: ControlConnection; answered: () => void }) => void = () => undefined;
  const handover = new Promise<{ handover: ControlConnection; answered: () => void }>((resolve) => {
    takeOver = resolve;
  });
  let asked = false;
  const node = startNode(common, { log });
  let control: ControlServer | undefined;
  let duties: NodeDuties | undefined;
  try {
    control = await listenForCommands(node, (_command, connection, output) => {
      // A second window asking while the first takes over: it finds no node once this one
      // has stopped, and may try again then.
      if (asked) {
        output.note('swarmpress: this node is being handed over to another window; try again in a moment');
        return Promise.resolve(EXIT_FAILED);
      }
      asked = true;
      // serve() answers once this node has stopped (handOver), and the client has gone.
      return new Promise<number>((resolve) => {
        takeOver({ handover: connection, answered: () => { resolve(EXIT_OK); } });
      });
    });
    await startLan(node, common, log);
    const version = libtorrentVersion();
    log({ type: again ? 'resumed' : 'started', dataDir: node.dataDir, pid: process.pid, port: node.session.listenPort, libtorrent: version.runtime, seeding: node.seeding.length });
    duties = startDuties(node, log);
    return await Promise.race([stopped.then((signal) => ({ signal })), handover]);
  } finally {
    duties?.stop();
    await control?.close();
    await stopNode(node);
  }
}
