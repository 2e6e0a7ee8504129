/**
 * What `swarmpress [URL]` asks the node already running on its data folder, before it opens
 * a window (control.ts has the protocol). There is one node per data folder, and so:
 *
 * - a window runs there: it shows URL (or comes to the front) and this process ends — a
 *   second `bittorrent:` link opened by the desktop goes to the window already open;
 * - `swarmpress serve` runs there (the systemd user unit): it stops its node and hands it
 *   over; the window then starts its own, and serve starts it again once this process has
 *   ended (its end closes the connection, however it ends);
 * - nothing runs there: the window starts as usual.
 */
import fs from 'node:fs';
import net from 'node:net';
import { AppError } from '../core/errors.js';
import type { Command } from './cli.js';
import { socketPath } from './control.js';
import { lineSplitter } from './lines.js';

export type WindowLink =
  | { readonly kind: 'none' }
  | { readonly kind: 'shown'; readonly exitCode: number }
  | { readonly kind: 'handed-over'; readonly release: () => void };

/** Asks the node running on `dataDir`, if any, to show `command`'s page; see the module's comment. */
export async function linkToRunningNode(dataDir: string, command: Extract<Command, { name: 'window' }>, json: boolean): Promise<WindowLink> {
  const file = socketPath(dataDir);
  if (file === undefined || !fs.existsSync(file)) return { kind: 'none' };
  const socket = await new Promise<net.Socket | undefined>((resolve) => {
    const connecting = net.connect(file);
    connecting.once('connect', () => { resolve(connecting); });
    connecting.once('error', () => {
      connecting.destroy();
      resolve(undefined);
    });
  });
  if (socket === undefined) return { kind: 'none' };
  return new Promise<WindowLink>((resolve, reject) => {
    let settled = false;
    const settle = (link: WindowLink): void => {
      settled = true;
      resolve(link);
    };
    socket.setEncoding('utf8');
    socket.write(`${JSON.stringify({ command, json })}\n`);
    socket.on('data', lineSplitter((line) => {
      let message: { out?: unknown; err?: unknown; exit?: unknown; handover?: unknown };
      try {
        message = JSON.parse(line) as typeof message;
      } catch {
        return;
      }
      if (typeof message.out === 'string') process.stdout.write(`${message.out}\n`);
      if (typeof message.err === 'string') process.stderr.write(`${message.err}\n`);
      if (typeof message.exit === 'number' && !settled) settle({ kind: 'shown', exitCode: message.exit });
      if (message.handover === true && !settled) {
        // Held open, but not holding the process: its end is what hands the node back.
        socket.unref();
        settle({ kind: 'handed-over', release: () => { socket.destroy(); } });
      }
    }));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (!settled) reject(new AppError('ERR_NODE_LOST', `the swarmpress node running on ${dataDir} closed the connection without answering`));
    });
  });
}
