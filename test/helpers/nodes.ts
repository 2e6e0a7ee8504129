/**
 * swarmpress processes on a private DHT on 127.0.0.1 (dht-network.ts): one-shot commands
 * and `serve` nodes, each with its own data folder, all held to loopback (no LSD, no UPnP,
 * no public bootstrap nodes).
 */
import path from 'node:path';
import { after, afterEach, before, beforeEach } from 'node:test';
import { startDhtNetwork, type DhtNetwork } from './dht-network.js';
import { Driven, startSwarmpress, type Exit } from './process.js';
import { makeTempDir, removeDir } from './temp.js';

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

/**
 * A test file's set-up for `swarmpress serve` processes: a temporary folder for the file,
 * and a private DHT of ten nodes of each test's own (nodes a test stops stay in routing
 * tables for a while, and a lookup that reaches one waits for its timeout). Nodes started
 * with `serve` are stopped after their test. Registers the node:test hooks; call it at the
 * top level of a test file.
 */
export interface ServeBed {
  /** The file's temporary folder. */
  readonly dir: string;
  readonly dht: DhtNetwork;
  /** The DHT's bootstrap port (node 0). */
  readonly port: number;
  /** Starts `swarmpress serve` on data folder `dir/name`, stopped after the test. */
  serve(name: string, env?: NodeJS.ProcessEnv): Promise<ServeNode>;
  /** Stops a node before its test ends. */
  stop(node: ServeNode): Promise<void>;
  /** Replaces the DHT with a fresh one (within a test). */
  restartDht(): Promise<void>;
}

export function useServeBed(prefix?: string): ServeBed {
  let dir = '';
  let dht: DhtNetwork | undefined;
  const running: ServeNode[] = [];
  const network = (): DhtNetwork => {
    if (dht === undefined) throw new Error('useServeBed: the DHT is started for each test');
    return dht;
  };
  before(() => {
    dir = makeTempDir(prefix);
  });
  beforeEach(async () => {
    dht = await startDhtNetwork(10);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((node) => node.stop().catch(() => undefined)));
    await dht?.close();
    dht = undefined;
  });
  after(() => {
    removeDir(dir);
  });
  return {
    get dir() {
      return dir;
    },
    get dht() {
      return network();
    },
    get port() {
      return network().nodes[0]?.listenPort ?? 0;
    },
    serve: async (name, env = {}) => {
      const node = await startServe(path.join(dir, name), network().nodes[0]?.listenPort ?? 0, env);
      running.push(node);
      return node;
    },
    stop: async (node) => {
      await node.stop();
      running.splice(running.indexOf(node), 1);
    },
    restartDht: async () => {
      await network().close();
      dht = await startDhtNetwork(10);
    },
  };
}
