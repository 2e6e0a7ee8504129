/**
 * swarmpress on hosts of a namespace LAN (netns.ts): the arguments that bind a node to its
 * host's address, `swarmpress serve` started there once its LAN discovery runs, and one
 * command run inside the host (handed to that host's serve node when one runs).
 */
import assert from 'node:assert/strict';
import type { LanHost } from './netns.js';
import { PROGRAM_NODE, REPO_ROOT, SWARMPRESS_BIN, type Driven, type Message } from './process.js';

/** The BitTorrent port every host's node listens on. */
export const LAN_PORT = 6881;
/** No display, and no follow rounds during a test (updates come by push). */
export const LAN_NODE_ENV = { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '', SWARMPRESS_POLL_SECONDS: '3600' };

/** The node's data folder and its host's address; the DHT off unless `dht` (then it has no route to its bootstrap nodes). */
export function hostArgs(host: LanHost, dataDir: string, options: { dht?: boolean } = {}): string[] {
  return ['--data-dir', dataDir, '--listen', `${host.address}:${LAN_PORT}`, ...(options.dht === true ? [] : ['--no-dht'])];
}

/** `swarmpress serve` on `host`, resolved once its LAN discovery runs. */
export async function serveOnHost(host: LanHost, dataDir: string, options: { dht?: boolean } = {}): Promise<Driven> {
  const node = host.startNode([SWARMPRESS_BIN, 'serve', '--json', ...hostArgs(host, dataDir, options)], { env: LAN_NODE_ENV, cwd: REPO_ROOT });
  await node.waitFor((m) => m['event'] === 'lan', 'LAN discovery to start', 30_000);
  return node;
}

/** Runs one swarmpress command inside `host`; asserts it succeeded and returns its JSON lines. */
export async function runOnHost(host: LanHost, dataDir: string, args: readonly string[], options: { dht?: boolean } = {}): Promise<Message[]> {
  const result = await host.exec(PROGRAM_NODE, [SWARMPRESS_BIN, ...args, '--json', ...hostArgs(host, dataDir, options)], 90_000);
  assert.equal(result.code, 0, `swarmpress ${args.join(' ')}: ${result.stderr}`);
  const lines = result.stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Message);
  assert.ok(lines.length > 0, result.stdout);
  return lines;
}
