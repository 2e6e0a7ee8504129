/**
 * Drives a child process that speaks JSON lines on stdout (the app's automation channel,
 * test fixtures): wait for a message that matches, send commands, wait for the exit.
 * Every wait has a deadline and says what it was waiting for when it runs out.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const SWARMPRESS_BIN = path.join(REPO_ROOT, 'bin', 'swarmpress.js');

/** Names the node binary that runs the programs under test, when it is not this process's. */
export const PROGRAM_NODE_ENV = 'SWARMPRESS_PROGRAM_NODE';
/**
 * The node binary that runs swarmpress and every other measured process: the one the
 * tests run on, unless the benchmark harness runs on a copy of it (test/bench/run.ts).
 */
export const PROGRAM_NODE = process.env[PROGRAM_NODE_ENV] ?? process.execPath;

export type Message = Readonly<Record<string, unknown>>;

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export class Driven {
  readonly child: ChildProcess;
  readonly messages: Message[] = [];
  stdout = '';
  stderr = '';
  readonly #waiters = new Set<() => void>();
  readonly exited: Promise<Exit>;

  constructor(command: string, args: readonly string[], options: SpawnOptions = {}) {
    this.child = spawn(command, [...args], { stdio: ['pipe', 'pipe', 'pipe'], ...options });
    let pending = '';
    this.child.stdout?.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      this.stdout += text;
      pending += text;
      let newline;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        if (line.startsWith('{')) {
          try {
            this.messages.push(JSON.parse(line) as Message);
          } catch {
            // not one of ours
          }
        }
      }
      this.#wake();
    });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
      this.#wake();
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.#wake();
        resolve({ code, signal });
      });
    });
  }

  /** Writes one JSON command line to the child's stdin. */
  send(command: Message): void {
    this.child.stdin?.write(`${JSON.stringify(command)}\n`);
  }

  /** Resolves with the first message (from the start) that `match` accepts. */
  async waitFor(match: (message: Message) => boolean, what: string, timeoutMs = 20_000, from = 0): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.slice(from).find(match);
      if (found !== undefined) return found;
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`process exited (${String(this.child.exitCode ?? this.child.signalCode)}) before ${what}; stderr:\n${this.stderr}`);
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; stderr:\n${this.stderr}\nstdout:\n${this.stdout}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.#waiters.add(done);
      });
    }
  }

  /** Sends `command` and waits for the answer tagged `automation: <name>`. */
  async request(command: Message & { cmd: string }, timeoutMs = 20_000): Promise<Message> {
    const from = this.messages.length;
    this.send(command);
    return this.waitFor((m) => m['automation'] === command.cmd, `the answer to ${command.cmd}`, timeoutMs, from);
  }

  /** Waits for the process to end; kills it with SIGKILL and fails when it does not. */
  async waitExit(timeoutMs = 20_000): Promise<Exit> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        reject(new Error(`process did not exit within ${timeoutMs} ms; stderr:\n${this.stderr}`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  #wake(): void {
    for (const waiter of this.#waiters) waiter();
    this.#waiters.clear();
  }
}

/** Starts `swarmpress` with `args`, automation on, in its own data folder. */
export function startSwarmpress(args: readonly string[], env: NodeJS.ProcessEnv): Driven {
  return new Driven(PROGRAM_NODE, [SWARMPRESS_BIN, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, SWARMPRESS_AUTOMATION: '1', ...env },
  });
}
