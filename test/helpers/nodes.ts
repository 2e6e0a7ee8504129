/**
 * swarmpress processes on a private DHT on 127.0.0.1 (dht-network.ts): one-shot commands
 * and `serve` nodes, each with its own data folder, all held to loopback (no LSD, no UPnP,
 * no public bootstrap nodes).
 */
import { Driven, startSwarmpress, type Exit } from './process.js';

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The JSON lines of stdout. */
  readonly messages: readonly Record<string, unknown>[];
}

/** The options that keep a node on the local test network. */
export function localArgs(bootstrapPort: number): string[] {
  return ['--listen', '127.0.0.1:0', '--dht-bootstrap', `127.0.0.1:${bootstrapPort}`, '--no-lan'];
}

/** Runs one swarmpress command to its end. */
export async function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 90_000): Promise<CliResult> {
  const driven = startSwarmpress(args, { DISPLAY: '', WAYLAND_DISPLAY: '', ...env });
  const exit: Exit = await driven.waitExit(timeoutMs);
  return { code: exit.code, signal: exit.signal, stdout: driven.stdout, stderr: driven.stderr, messages: driven.messages };
}

/** A running `swarmpress serve --json`. */
export interface ServeNode {
  readonly process: Driven;
  readonly dataDir: string;
  readonly port: number;
  stop(): Promise<void>;
}

export async function startServe(dataDir: string, bootstrapPort: number, env: NodeJS.ProcessEnv = {}): Promise<ServeNode> {
  const process = startSwarmpress(['serve', '--json', '--data-dir', dataDir, ...localArgs(bootstrapPort)], {
    DISPLAY: '', WAYLAND_DISPLAY: '', SWARMPRESS_POLL_SECONDS: '1', ...env,
  });
  const started = await process.waitFor((m) => m['event'] === 'started', 'the node to start', 30_000);
  return {
    process,
    dataDir,
    port: started['port'] as number,
    stop: async () => {
      process.child.kill('SIGTERM');
      await process.waitExit(20_000);
    },
  };
}
