/**
 * `swarmpress serve`: the headless node (a "pub"). It seeds every version it holds, puts
 * what waits in the outbox, keeps followed sites current (records pushed over BEP 10, LAN
 * discovery unless --no-lan or on loopback, DHT polling as the fallback), re-puts the
 * records of own and followed sites (BEP 44 items expire after two hours), keeps the cache
 * within its budget, runs the commands handed to it over the control socket (node-duties.ts,
 * shared with the app), and logs one line per event. It runs until SIGINT or SIGTERM.
 */
import { libtorrentVersion } from '../../net/native.js';
import { describeEvent, eventRecord, type NodeEvent } from '../../net/node/events.js';
import type { CommonOptions } from '../cli.js';
import type { ControlServer } from '../control.js';
import { EXIT_OK } from '../messages.js';
import { listenForCommands, startDuties, startLan, type NodeDuties } from '../node-duties.js';
import { startNode, stopNode } from '../node-setup.js';
import type { Output } from '../output.js';

function logLine(out: Output): (event: NodeEvent) => void {
  return (event) => {
    out.print({ time: new Date().toISOString(), ...eventRecord(event) }, `${new Date().toISOString()} ${describeEvent(event)}`);
  };
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
  let duties: NodeDuties | undefined;
  try {
    control = await listenForCommands(node);
    await startLan(node, common, log);
    const version = libtorrentVersion();
    log({ type: 'started', dataDir: node.dataDir, pid: process.pid, port: node.session.listenPort, libtorrent: version.runtime, seeding: node.seeding.length });
    duties = startDuties(node, log);
    const signal = await stopped;
    log({ type: 'stopped', signal });
  } finally {
    duties?.stop();
    stop('SIGTERM');
    await control?.close();
    await stopNode(node);
  }
  return EXIT_OK;
}
