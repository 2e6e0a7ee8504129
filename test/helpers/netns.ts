/**
 * Real hosts on a private LAN, made of Linux network namespaces, for tests that need
 * several machines: multicast (mDNS, LSD), one address per host, real TCP/UDP between them.
 *
 * Topology: one "switch" namespace holds a bridge (`sw0`) and one veth end per host; each
 * host namespace holds the other end as `eth0` with an address in a private /24, and its
 * own loopback. There is no default route and no link to the machine's own namespace, so
 * nothing a host sends can leave the LAN; 224.0.0.0/4 is routed to `eth0` so that a
 * multicast socket with no interface set still reaches the other hosts. IPv6 is off in
 * every namespace: the LAN is IPv4 only, with no link-local chatter (router solicitations,
 * MLD, duplicate address detection) that a test would see or wait for.
 *
 * Names: every namespace is called `swarmpress-lan-<pid>-<n>-…` after the process that made
 * it, so concurrent test files never collide, and namespaces left by a process that died
 * (a crashed or killed test run) are found and removed the next time a LAN is created.
 * Interface names live inside the namespaces and so never collide either. The subnet is
 * derived from the same pid and counter, which keeps the addresses of concurrent runs
 * apart for whoever reads a capture.
 *
 * Needs root (or CAP_NET_ADMIN + CAP_SYS_ADMIN): call {@link netnsUnavailable} and skip
 * with its reason when it returns one.
 *
 * Ownership: the test that calls {@link createLan} calls `close()` (idempotent); it kills
 * every process started in the LAN's hosts and deletes the namespaces, which deletes
 * their links. An `exit` hook does the same if the test process ends without closing.
 */
import { execFile, spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { Driven, PROGRAM_NODE } from './process.js';

/** Every namespace this helper makes starts with this. */
const FAMILY = 'swarmpress-lan-';
const STALE_NAME = new RegExp(`^${FAMILY}(\\d+)-`);
/** First two octets of every LAN's subnet (RFC 1918 space, unlikely to be in use on a CI machine). */
const SUBNET_PREFIX = '10.77';
/** Hosts per LAN: .1 to .250 of the /24. */
export const MAX_HOSTS = 250;
const IP_TIMEOUT_MS = 10_000;
const KILL_WAIT_MS = 5_000;

export interface ExecResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface LanHost {
  /** The host's namespace (for `ip netns exec`, `ip -n`). */
  readonly namespace: string;
  /** 0-based position in {@link Lan.hosts}. */
  readonly index: number;
  /** The host's IPv4 address on the LAN. */
  readonly address: string;
  /** The host's interface on the LAN. */
  readonly interfaceName: string;
  /** argv that runs `command args` inside this host: `['ip', ['netns', 'exec', …]]`. */
  command(command: string, args?: readonly string[]): [string, string[]];
  /** Runs `command args` inside this host to its end (killed after `timeoutMs`). */
  exec(command: string, args?: readonly string[], timeoutMs?: number): Promise<ExecResult>;
  /** Starts `command args` inside this host; the LAN kills it when it closes. */
  spawn(command: string, args?: readonly string[], options?: SpawnOptions): ChildProcess;
  /** Starts `node args` inside this host as a {@link Driven} process (JSON lines); killed when the LAN closes. */
  startNode(args: readonly string[], options?: SpawnOptions): Driven;
}

export interface Lan {
  /** The prefix of every name of this LAN. */
  readonly prefix: string;
  /** The LAN's subnet, e.g. `10.77.42.0/24`. */
  readonly subnet: string;
  readonly hosts: readonly LanHost[];
  /** Every namespace of the LAN (switch included). */
  readonly namespaces: readonly string[];
  /** Kills every process started in the LAN and deletes its namespaces. Idempotent. */
  close(): Promise<void>;
}

function run(command: string, args: readonly string[], timeoutMs = IP_TIMEOUT_MS): Promise<ExecResult> {
  return new Promise((resolve) => {
    execFile(command, [...args], { timeout: timeoutMs, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ code, stdout, stderr: stderr || (error === null ? '' : error.message) });
    });
  });
}

async function ip(args: readonly string[]): Promise<string> {
  const result = await run('ip', args);
  if (result.code !== 0) throw new Error(`ip ${args.join(' ')} failed (${String(result.code)}): ${result.stderr.trim()}`);
  return result.stdout;
}

function listNamespacesSync(): string[] {
  const result = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  if (result.status !== 0) return [];
  // Lines look like "name" or "name (id: 3)".
  return result.stdout
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name !== '');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Kills what still runs in `namespace` and deletes it; synchronous so that it also works in an `exit` hook. */
function removeNamespaceSync(namespace: string): string | undefined {
  const pids = spawnSync('ip', ['netns', 'pids', namespace], { encoding: 'utf8' });
  for (const pid of (pids.stdout || '').split('\n')) {
    const number = Number(pid);
    if (Number.isSafeInteger(number) && number > 0) {
      try {
        process.kill(number, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  const result = spawnSync('ip', ['netns', 'del', namespace], { encoding: 'utf8' });
  if (result.status === 0 || /No such file/.test(result.stderr)) return undefined;
  return `ip netns del ${namespace}: ${result.stderr.trim()}`;
}

/** Removes the namespaces of earlier runs whose process is gone (a crash, a kill). */
export function removeStaleNamespaces(): string[] {
  const removed: string[] = [];
  for (const name of listNamespacesSync()) {
    const match = STALE_NAME.exec(name);
    if (match === null || isAlive(Number(match[1]))) continue;
    if (removeNamespaceSync(name) === undefined) removed.push(name);
  }
  return removed;
}

let probed: Promise<string | undefined> | undefined;

/**
 * Why network namespaces cannot be made here (not root, no `ip`, a kernel or container
 * that refuses), or `undefined` when they can. Probed once per process.
 */
export function netnsUnavailable(): Promise<string | undefined> {
  probed ??= (async () => {
    if (process.platform !== 'linux') return 'network namespaces need Linux';
    if (process.getuid?.() !== 0) return 'network namespaces need root';
    const name = `${FAMILY}${process.pid}-probe`;
    const added = await run('ip', ['netns', 'add', name]);
    if (added.code !== 0) return `ip netns add is not permitted: ${added.stderr.trim()}`;
    const bridge = await run('ip', ['-n', name, 'link', 'add', 'name', 'sw0', 'type', 'bridge']);
    removeNamespaceSync(name);
    if (bridge.code !== 0) return `bridges cannot be made in a namespace: ${bridge.stderr.trim()}`;
    return undefined;
  })();
  return probed;
}

const open = new Set<Lan>();
let counter = 0;
let exitHook = false;

function installExitHook(): void {
  if (exitHook) return;
  exitHook = true;
  process.on('exit', () => {
    for (const lan of open) for (const namespace of lan.namespaces) removeNamespaceSync(namespace);
  });
}

/** Creates a LAN of `size` hosts (see the module comment). Throws when namespaces cannot be made. */
export async function createLan(size: number): Promise<Lan> {
  if (!Number.isSafeInteger(size) || size < 1 || size > MAX_HOSTS) throw new RangeError(`size must be 1 to ${MAX_HOSTS}`);
  const unavailable = await netnsUnavailable();
  if (unavailable !== undefined) throw new Error(unavailable);
  removeStaleNamespaces();
  installExitHook();

  const serial = counter++;
  const prefix = `${FAMILY}${process.pid}-${serial}`;
  const octet = (process.pid * 31 + serial) % 256;
  const subnet = `${SUBNET_PREFIX}.${octet}.0/24`;
  const switchNamespace = `${prefix}-sw`;
  const namespaces: string[] = [];
  const children = new Set<ChildProcess>();
  let closing: Promise<void> | undefined;

  const close = (): Promise<void> => {
    closing ??= (async () => {
      await Promise.all(
        [...children].map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) {
                resolve();
                return;
              }
              const timer = setTimeout(resolve, KILL_WAIT_MS);
              child.once('exit', () => {
                clearTimeout(timer);
                resolve();
              });
              child.kill('SIGKILL');
            }),
        ),
      );
      // Hosts first, then the switch: each deletion takes the namespace's links with it.
      const failures = [...namespaces].reverse().flatMap((namespace) => removeNamespaceSync(namespace) ?? []);
      open.delete(lan);
      if (failures.length > 0) throw new Error(`the LAN ${prefix} was not removed completely:\n${failures.join('\n')}`);
    })();
    return closing;
  };

  const makeHost = (index: number): LanHost => {
    const namespace = `${prefix}-h${index}`;
    const command = (program: string, args: readonly string[] = []): [string, string[]] => ['ip', ['netns', 'exec', namespace, program, ...args]];
    const track = <T extends ChildProcess>(child: T): T => {
      children.add(child);
      child.once('exit', () => children.delete(child));
      return child;
    };
    return {
      namespace,
      index,
      address: `${SUBNET_PREFIX}.${octet}.${index + 1}`,
      interfaceName: 'eth0',
      command,
      exec: (program, args = [], timeoutMs = IP_TIMEOUT_MS) => run(...command(program, args), timeoutMs),
      spawn: (program, args = [], options = {}) => {
        if (closing !== undefined) throw new Error(`the LAN ${prefix} is closed`);
        return track(spawn(...command(program, args), options));
      },
      startNode: (args, options = {}) => {
        if (closing !== undefined) throw new Error(`the LAN ${prefix} is closed`);
        const driven = new Driven(...command(PROGRAM_NODE, args), options);
        track(driven.child);
        return driven;
      },
    };
  };

  const hosts = Array.from({ length: size }, (_, index) => makeHost(index));
  const lan: Lan = { prefix, subnet, hosts, namespaces, close };
  open.add(lan);
  try {
    namespaces.push(switchNamespace);
    await ip(['netns', 'add', switchNamespace]);
    await ip(['-n', switchNamespace, 'link', 'add', 'name', 'sw0', 'type', 'bridge']);
    // 224.0.0.251 (mDNS) and 239.192.152.143 (LSD) must reach every port whatever IGMP says.
    await ip(['-n', switchNamespace, 'link', 'set', 'sw0', 'type', 'bridge', 'mcast_snooping', '0']);
    await ip(['-n', switchNamespace, 'link', 'set', 'sw0', 'up']);
    for (const host of hosts) {
      namespaces.push(host.namespace);
      await ip(['netns', 'add', host.namespace]);
      const sysctl = await host.exec('sysctl', ['-q', '-w', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
      if (sysctl.code !== 0) throw new Error(`turning IPv6 off in ${host.namespace} failed: ${sysctl.stderr.trim()}`);
      const port = `p${host.index}`;
      await ip(['-n', switchNamespace, 'link', 'add', port, 'type', 'veth', 'peer', 'name', host.interfaceName, 'netns', host.namespace]);
      await ip(['-n', switchNamespace, 'link', 'set', port, 'master', 'sw0', 'up']);
      await ip(['-n', host.namespace, 'link', 'set', 'lo', 'up']);
      await ip(['-n', host.namespace, 'addr', 'add', `${host.address}/24`, 'dev', host.interfaceName]);
      await ip(['-n', host.namespace, 'link', 'set', host.interfaceName, 'up']);
      await ip(['-n', host.namespace, 'route', 'add', '224.0.0.0/4', 'dev', host.interfaceName]);
    }
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
  return lan;
}
