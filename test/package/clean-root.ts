/**
 * A clean Debian root to install the package into: `debootstrap --variant=minbase` of this
 * machine's release from its configured mirror, entered with chroot(8). /proc and /dev are
 * mounted into it; /tmp/.X11-unix too when a test shows windows from it on the host's Xvfb.
 * Needs root. `close()` unmounts and removes it, and refuses to remove it while anything is
 * still mounted below it.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Driven } from '../helpers/process.js';

const run = promisify(execFile);

/** The suite and mirror this machine's apt uses (deb822 or one-line sources), for debootstrap. */
export function debianSource(): { suite: string; mirror: string } {
  const release = fs.readFileSync('/etc/os-release', 'utf8');
  const suite = /^VERSION_CODENAME=(\w+)$/m.exec(release)?.[1] ?? 'bookworm';
  const texts: string[] = [];
  for (const file of ['/etc/apt/sources.list', ...listDir('/etc/apt/sources.list.d').map((name) => path.join('/etc/apt/sources.list.d', name))]) {
    if (/\.(list|sources)$/.test(file) && fs.existsSync(file)) texts.push(fs.readFileSync(file, 'utf8'));
  }
  const text = texts.join('\n');
  const mirror = /^URIs:\s*(\S+\/debian)\s*$/m.exec(text)?.[1] ?? /^deb\s+(?:\[[^\]]*\]\s+)?(\S+\/debian)\s+\w+/m.exec(text)?.[1] ?? 'http://deb.debian.org/debian';
  return { suite, mirror };
}

function listDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

export interface ChrootResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment of a command in the root: a login's, not this process's. */
const ROOT_ENV = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root', LANG: 'C.UTF-8', DEBIAN_FRONTEND: 'noninteractive' };

export class CleanRoot {
  readonly dir: string;
  readonly #mounts: string[] = [];

  private constructor(dir: string) {
    this.dir = dir;
  }

  /** debootstraps a minimal root into a new folder under `parent`. */
  static async create(parent: string): Promise<CleanRoot> {
    const { suite, mirror } = debianSource();
    const root = new CleanRoot(fs.mkdtempSync(path.join(parent, 'root-')));
    await run('debootstrap', ['--variant=minbase', suite, root.dir, mirror], { maxBuffer: 64 * 1024 * 1024 });
    fs.copyFileSync('/etc/resolv.conf', path.join(root.dir, 'etc/resolv.conf'));
    await root.#mount(['-t', 'proc', 'proc'], 'proc');
    await root.#mount(['--bind', '/dev'], 'dev');
    return root;
  }

  /** The host path of `inside` (an absolute path in the root). */
  path(inside: string): string {
    return path.join(this.dir, inside);
  }

  /** Makes the host's X server sockets visible in the root. */
  async shareX11(): Promise<void> {
    await this.#mount(['--bind', '/tmp/.X11-unix'], 'tmp/.X11-unix');
  }

  async #mount(args: readonly string[], target: string): Promise<void> {
    const at = this.path(target);
    fs.mkdirSync(at, { recursive: true });
    await run('mount', [...args, at]);
    this.#mounts.push(at);
  }

  /** Runs `args` in the root to its end. */
  async exec(args: readonly string[], env: Readonly<Record<string, string>> = {}, timeoutMs = 600_000): Promise<ChrootResult> {
    return new Promise((resolve, reject) => {
      const child = spawn('chroot', [this.dir, ...args], { env: { ...ROOT_ENV, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`'${args.join(' ')}' in the clean root did not end within ${timeoutMs} ms; stderr:\n${stderr}`));
      }, timeoutMs);
      child.once('error', reject);
      child.once('close', (code) => {
        clearTimeout(timer);
        resolve({ code: code ?? -1, stdout, stderr });
      });
    });
  }

  /**
   * Starts `args` in the root, driven like the app in the other tests (stdin/stdout JSON
   * lines). With `isolated`, in a network namespace of its own with no interface up: it
   * reaches nothing but files and Unix sockets (the X server, node.sock).
   */
  start(args: readonly string[], env: Readonly<Record<string, string>> = {}, isolated = false): Driven {
    const command = isolated ? ['unshare', '--net', 'chroot', this.dir, ...args] : ['chroot', this.dir, ...args];
    return new Driven(command[0] ?? 'chroot', command.slice(1), { env: { ...ROOT_ENV, ...env } });
  }

  /** Unmounts what it mounted, then removes the root (never while something is mounted in it). */
  async close(): Promise<void> {
    for (const at of this.#mounts.splice(0).reverse()) {
      await run('umount', [at]).catch(() => run('umount', ['-l', at]));
    }
    const mounted = fs.readFileSync('/proc/mounts', 'utf8').split('\n').map((line) => line.split(' ')[1] ?? '').filter((at) => at.startsWith(`${this.dir}/`));
    if (mounted.length > 0) throw new Error(`not removing ${this.dir}: still mounted there: ${mounted.join(', ')}`);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
