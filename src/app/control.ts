/**
 * The control socket of a running node (`swarmpress serve`, or the app): a Unix socket
 * `node.sock` in the data folder (0600, in a 0700 folder). Commands that need the network
 * (publish, post, get, follow, unfollow, block and the other social commands) are handed to the running node when there
 * is one, so that what they publish is seeded by it and what they fetch joins its swarms;
 * otherwise they start a node of their own for the time of the command.
 *
 * Protocol: the client sends one JSON line `{command, json}`; the node answers with JSON
 * lines `{out: line}` (what the command prints), `{err: line}` and lastly `{exit: code}`.
 *
 * Trust, both ways (issue #25 item 11): the kernel says who is at the other end of the
 * socket (SO_PEERCRED, through the native binding), and each side talks only to a
 * process of its own user. The node refuses a client of another user; a client refuses a
 * socket file another user owns, or a node of another user answering on it, with a clear
 * error, and never prints what such a node says (it could claim a publish that never
 * happened). The data folder being private (data-dir.ts) keeps others from planting a
 * socket in the first place; these checks hold even if it was not.
 *
 * A `window` command (`swarmpress [URL]`, and so a `bittorrent:` link opened by the desktop)
 * goes to the running node too, before the window opens (window-link.ts): a window answers
 * by showing URL and `{exit: 0}`, and no second window opens; `swarmpress serve` answers by
 * handing its node over — it stops it, sends `{handover: true}`, and starts it again when
 * the client's connection closes, which it does when its process ends, however it ends.
 *
 * `{watch: true}` instead of a command is answered `{watching: true}`, and the connection
 * is then kept until the node's process ends: a serve started while another node runs on
 * its data folder waits so for its turn (watchNode). A serve that handed its node over to a
 * window lives on, and so its watchers keep waiting: it runs the node again after the window.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { AppError } from '../core/errors.js';
import { loadTorrentNative } from '../net/native.js';
import type { Command } from './cli.js';
import { lineSplitter } from './lines.js';

export const SOCKET_FILE = 'node.sock';
/** Longest request line accepted. */
const MAX_REQUEST_BYTES = 64 * 1024;
/** How long a refused client may take to read why before it is cut. */
const REFUSED_LINGER_MS = 5000;
/** Unix socket paths are limited to 107 bytes (sun_path). */
const MAX_SOCKET_PATH_BYTES = 107;

export interface ControlRequest {
  readonly command: Command;
  readonly json: boolean;
}

/** One client's connection, as its handler sees it. */
export interface ControlConnection {
  /**
   * Sends `{handover: true}` and resolves when the client closes the connection: the node
   * that sent it is stopped, and runs again once the client (a window) has ended. A
   * `window` request's connection is never one that {@link ControlServer.close} waits for.
   */
  handOver(): Promise<void>;
}

export type Handler = (request: ControlRequest, write: (line: string) => void, writeError: (line: string) => void, connection: ControlConnection) => Promise<number>;

export function socketPath(dataDir: string): string | undefined {
  const file = path.join(dataDir, SOCKET_FILE);
  return Buffer.byteLength(file) <= MAX_SOCKET_PATH_BYTES ? file : undefined;
}

/** The user id of the process at the other end of a connected Unix socket (SO_PEERCRED). */
export function peerUid(socket: net.Socket): number {
  // net.Socket has no public API for its descriptor; its libuv pipe handle exposes it on Unix.
  const fd = (socket as unknown as { _handle?: { fd?: unknown } })._handle?.fd;
  if (typeof fd !== 'number' || fd < 0) throw new AppError('ERR_CONTROL_SOCKET', 'the control socket has no file descriptor to ask who is at its other end');
  return loadTorrentNative().peerCredentials(fd).uid;
}

/** This process's user id (`undefined` where there are none). */
function ownUid(): number | undefined {
  return process.getuid?.();
}

function connect(file: string): Promise<net.Socket | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect(file);
    socket.once('connect', () => {
      resolve(socket);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(undefined);
    });
  });
}

/** A running node's control server; `close()` removes the socket. */
export class ControlServer {
  readonly #server: net.Server;
  readonly #file: string;
  /** Connections running a command, shared with the server's listener: close() waits for them (not for one handed over). */
  readonly #active: Set<net.Socket>;

  private constructor(server: net.Server, file: string, active: Set<net.Socket>) {
    this.#server = server;
    this.#file = file;
    this.#active = active;
  }

  /**
   * Listens on the data folder's socket. Throws AppError `ERR_NODE_RUNNING` when another
   * node answers there; a socket left by a node that died is replaced.
   */
  static async listen(dataDir: string, handler: Handler): Promise<ControlServer | undefined> {
    const file = socketPath(dataDir);
    if (file === undefined) return undefined;
    const other = await connect(file);
    if (other !== undefined) {
      other.destroy();
      throw new AppError('ERR_NODE_RUNNING', `another swarmpress node is running on ${dataDir}: stop it first, or use another --data-dir`);
    }
    fs.rmSync(file, { force: true });
    const active = new Set<net.Socket>();
    const server = net.createServer((socket) => {
      if (!fromOwnUser(socket)) return;
      active.add(socket);
      socket.once('close', () => active.delete(socket));
      serveConnection(socket, handler, () => active.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(file, () => {
        server.off('error', reject);
        resolve();
      });
    });
    fs.chmodSync(file, 0o600);
    return new ControlServer(server, file, active);
  }

  /**
   * Stops accepting connections, waits for the commands running to finish, and removes the
   * socket. A connection handed over stays open: it ends with its client.
   */
  async close(): Promise<void> {
    this.#server.close();
    fs.rmSync(this.#file, { force: true });
    await Promise.all([...this.#active].map((socket) => new Promise<void>((resolve) => {
      if (socket.destroyed) resolve();
      else socket.once('close', () => { resolve(); });
    })));
  }
}

/** Whether a client is a process of this user; another user's is told so and closed. */
function fromOwnUser(socket: net.Socket): boolean {
  socket.on('error', () => undefined);
  let uid: number;
  try {
    uid = peerUid(socket);
  } catch {
    socket.destroy();
    return false;
  }
  const own = ownUid();
  if (own === undefined || uid === own) return true;
  // What the client sends is read and dropped, so that its end is seen (a socket never read
  // would hold up close()); one that never ends is cut after a while.
  socket.resume();
  socket.setTimeout(REFUSED_LINGER_MS, () => { socket.destroy(); });
  socket.end(`${JSON.stringify({ err: `this node serves only user ${own}, not user ${uid}` })}\n${JSON.stringify({ exit: 1 })}\n`);
  return false;
}

function serveConnection(socket: net.Socket, handler: Handler, release: () => void): void {
  let buffered = '';
  let started = false;
  socket.setEncoding('utf8');
  socket.on('error', () => undefined);
  const send = (data: Record<string, unknown>): void => {
    if (!socket.destroyed) socket.write(`${JSON.stringify(data)}\n`);
  };
  socket.on('data', (chunk: string) => {
    if (started) return;
    buffered += chunk;
    if (buffered.length > MAX_REQUEST_BYTES) {
      socket.destroy();
      return;
    }
    const newline = buffered.indexOf('\n');
    if (newline < 0) return;
    started = true;
    let request: ControlRequest;
    try {
      request = JSON.parse(buffered.slice(0, newline)) as ControlRequest;
      if ((request as { watch?: unknown }).watch === true) {
        // Held until this process ends: after its node has stopped, whatever stopped it.
        release();
        send({ watching: true });
        return;
      }
      if (typeof request !== 'object' || typeof request.command !== 'object' || typeof request.command.name !== 'string') throw new Error('bad request');
    } catch {
      send({ err: 'malformed request' });
      send({ exit: 2 });
      socket.end();
      return;
    }
    // A window request is answered at once (a window) or held for as long as its client
    // runs (a handover): closing the server never waits for it.
    if (request.command.name === 'window') release();
    const connection: ControlConnection = {
      handOver: () => {
        send({ handover: true });
        return new Promise<void>((resolve) => {
          if (socket.destroyed) resolve();
          else socket.once('close', () => { resolve(); });
        });
      },
    };
    handler(request, (line) => {
      send({ out: line });
    }, (line) => {
      send({ err: line });
    }, connection).then((code) => {
      send({ exit: code });
      socket.end();
    }, (error: unknown) => {
      send({ err: (error as Error).message });
      send({ exit: 1 });
      socket.end();
    });
  });
}

/**
 * Hands `request` to the node running on `dataDir`, printing what it prints. Resolves
 * with the exit code, or undefined when no node is running there.
 */
export async function delegate(dataDir: string, request: ControlRequest): Promise<number | undefined> {
  const file = socketPath(dataDir);
  if (file === undefined) return undefined;
  let stats: fs.Stats;
  try {
    stats = fs.lstatSync(file);
  } catch {
    return undefined;
  }
  const own = ownUid();
  if (!stats.isSocket() || (own !== undefined && stats.uid !== own)) {
    const what = stats.isSocket() ? `belongs to user ${stats.uid}, not to this user (${String(own)})` : 'is not a socket';
    throw new AppError('ERR_CONTROL_SOCKET', `${file} ${what}: it was not made by a swarmpress of yours, and nothing is handed to it; remove it`);
  }
  const socket = await connect(file);
  if (socket === undefined) return undefined;
  let uid: number;
  try {
    uid = peerUid(socket);
  } catch (error) {
    socket.destroy();
    throw error;
  }
  if (own !== undefined && uid !== own) {
    socket.destroy();
    throw new AppError('ERR_CONTROL_SOCKET', `the node answering on ${file} runs as user ${uid}, not as this user (${own}): nothing is handed to it`);
  }
  return new Promise((resolve, reject) => {
    let exit: number | undefined;
    socket.setEncoding('utf8');
    socket.write(`${JSON.stringify(request, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))}\n`);
    socket.on(
      'data',
      lineSplitter((line) => {
        try {
          const message = JSON.parse(line) as { out?: string; err?: string; exit?: number };
          if (typeof message.out === 'string') process.stdout.write(`${message.out}\n`);
          if (typeof message.err === 'string') process.stderr.write(`${message.err}\n`);
          if (typeof message.exit === 'number') exit = message.exit;
        } catch {
          // not a line of the protocol: ignore
        }
      }),
    );
    socket.on('error', (error) => {
      reject(new AppError('ERR_NODE_LOST', `the running node stopped answering (${error.message})`));
    });
    socket.on('close', () => {
      if (exit === undefined) reject(new AppError('ERR_NODE_LOST', 'the running node closed the connection before the command finished'));
      else resolve(exit);
    });
  });
}

/**
 * When a node runs on `dataDir`: `stopped`, which resolves once its process has ended (see
 * the module's comment). Undefined when none answers there.
 */
export async function watchNode(dataDir: string): Promise<{ readonly stopped: Promise<void> } | undefined> {
  const file = socketPath(dataDir);
  if (file === undefined || !fs.existsSync(file)) return undefined;
  const socket = await connect(file);
  if (socket === undefined) return undefined;
  return new Promise((resolve) => {
    const ended = new Promise<void>((end) => {
      socket.once('close', () => { end(); });
    });
    socket.on('error', () => undefined);
    socket.setEncoding('utf8');
    socket.write(`${JSON.stringify({ watch: true })}\n`);
    // Answered, or closed at once (a node of an older version): either way, what to wait for.
    socket.once('data', () => { resolve({ stopped: ended }); });
    void ended.then(() => { resolve({ stopped: ended }); });
  });
}
