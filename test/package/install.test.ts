/**
 * The package installed into a clean Debian root (issue #24): `debootstrap --variant=minbase`
 * of this machine's release from its configured mirror, then `apt-get install` of the
 * package, which fetches its Depends from that mirror. Run from /usr/bin inside it:
 * `--version`, `render` to PNG, `publish` and `get` between two data folders (on a private
 * DHT on 127.0.0.1), and under this machine's Xvfb, `xdg-open bittorrent://KEY/` opening the
 * window at the site and a second `xdg-open` going to the same window.
 *
 * Node 20 is not in Debian 12 (its nodejs is 18): the root gets this machine's own nodejs
 * package first (dpkg-repack), as a user adds NodeSource's repository (README).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { pageText, untilDump } from '../helpers/app-window.js';
import { artifactPath } from '../helpers/artifacts.js';
import { startDhtNetwork, type DhtNetwork } from '../helpers/dht-network.js';
import { localArgs } from '../helpers/nodes.js';
import { summarisePng } from '../helpers/png.js';
import type { Driven } from '../helpers/process.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';
import { startXvfb, type XServer } from '../helpers/xvfb.js';
import { buildPackage } from './build.js';
import { CleanRoot, debianSource } from './clean-root.js';

const run = promisify(execFile);

async function has(command: string): Promise<boolean> {
  return run('sh', ['-c', `command -v ${command}`]).then(() => true, () => false);
}

/** Why this machine cannot run the test, or undefined. */
async function cannotRun(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'issue #24: installing the package into a clean root needs root (debootstrap, chroot, mount)';
  for (const command of ['debootstrap', 'dpkg-repack', 'unshare', 'chroot', 'Xvfb']) {
    if (!(await has(command))) return `issue #24: ${command} is not installed (make's APT_PACKAGES has it)`;
  }
  const node = await run('dpkg-query', ['-W', '-f', '${Version}', 'nodejs']).then(({ stdout }) => stdout, () => '');
  if (!/^(\d+)/.test(node) || Number(/^(\d+)/.exec(node)?.[1]) < 20) return `issue #24: this machine's nodejs package is '${node}', not a Node 20 to install into the clean root`;
  const { suite, mirror } = debianSource();
  const reachable = await fetch(`${mirror}/dists/${suite}/Release`, { method: 'HEAD', signal: AbortSignal.timeout(15_000) }).then((answer) => answer.ok, () => false);
  if (!reachable) return `issue #24: Debian's mirror ${mirror} (apt's configuration) cannot be reached to debootstrap ${suite}`;
  return undefined;
}

const skip = await cannotRun();

/** Runs `args` in the root and fails with its output unless it exits 0. */
async function inRoot(root: CleanRoot, args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<string> {
  const result = await root.exec(args, env);
  assert.equal(result.code, 0, `'${args.join(' ')}' in the clean root: exit ${result.code}\n${result.stderr}\n${result.stdout}`);
  return result.stdout;
}

test('installed into a clean Debian root: --version, render, publish and get from /usr/bin; xdg-open opens the window at the site and a second xdg-open goes to it', { skip, timeout: 30 * 60_000 }, async (t) => {
  const dir = makeTempDir('swarmpress-install-');
  let root: CleanRoot | undefined;
  let dht: DhtNetwork | undefined;
  let x: XServer | undefined;
  const started: Driven[] = [];
  let windowPid: number | undefined;
  const timed = async <T>(what: string, step: () => Promise<T>): Promise<T> => {
    const at = performance.now();
    const value = await step();
    t.diagnostic(`${what}: ${((performance.now() - at) / 1000).toFixed(1)} s`);
    return value;
  };
  try {
    const deb = await timed('tools/deb.sh', () => buildPackage(path.join(dir, 'deb')));
    const nodeDeb = await timed("this machine's nodejs, repacked", async () => {
      const work = path.join(dir, 'node');
      fs.mkdirSync(work);
      await run('dpkg-repack', ['--generate', 'nodejs'], { cwd: work, maxBuffer: 64 * 1024 * 1024 });
      const generated = fs.readdirSync(work).find((name) => name.startsWith('dpkg-repack.'));
      assert.ok(generated !== undefined, 'dpkg-repack made its tree');
      // Uncompressed: it is unpacked once, at once; compressing its 190 MB took minutes.
      await run('dpkg-deb', ['-Znone', '--root-owner-group', '--build', path.join(work, generated), path.join(work, 'nodejs.deb')]);
      return path.join(work, 'nodejs.deb');
    });
    root = await timed('debootstrap --variant=minbase', () => CleanRoot.create(dir));
    const clean = root;
    fs.copyFileSync(deb, clean.path('/tmp/swarmpress.deb'));
    fs.renameSync(nodeDeb, clean.path('/tmp/nodejs.deb'));
    await timed('apt-get install of the package and its Depends (with xdg-utils and desktop-file-utils, as on a desktop)', async () => {
      await inRoot(clean, ['apt-get', 'update', '-qq']);
      await inRoot(clean, ['apt-get', 'install', '-y', '-qq', '--no-install-recommends', '/tmp/nodejs.deb', '/tmp/swarmpress.deb', 'xdg-utils', 'desktop-file-utils']);
    });
    const installed = await inRoot(clean, ['du', '-sk', '--apparent-size', '/usr/lib/swarmpress']);
    t.diagnostic(`/usr/lib/swarmpress: ${installed.split('\t')[0] ?? ''} KiB`);

    assert.equal((await inRoot(clean, ['sh', '-c', 'command -v swarmpress'])).trim(), '/usr/bin/swarmpress');
    assert.match(await inRoot(clean, ['swarmpress', '--version']), /^swarmpress \d+\.\d+\.\d+ \(libtorrent 2\.0\.\d+\.\d+, node 20\.\d+\.\d+\)$/m);

    fs.writeFileSync(clean.path('/root/page.md'), '# Installed\n\nA page drawn by the **installed** program, with `code` and a list:\n\n- one\n- two\n');
    await inRoot(clean, ['swarmpress', 'render', '/root/page.md', '--png', '/root/page.png']);
    fs.copyFileSync(clean.path('/root/page.png'), artifactPath('package-render.png'));
    const png = summarisePng(clean.path('/root/page.png'));
    assert.equal(png.width, 800);
    assert.ok(png.inked > 0.005 && png.colours > 8, `the picture has text on it: ${JSON.stringify(png)}`);

    // publish and get between two data folders, on a private DHT on 127.0.0.1.
    dht = await startDhtNetwork(10);
    const port = dht.nodes[0]?.listenPort ?? 0;
    const site = clean.path('/root/site');
    fs.mkdirSync(site);
    fs.writeFileSync(path.join(site, 'index.md'), '# Installed site\n\nServed from the clean root.\n\n[Second page](second.md)\n');
    fs.writeFileSync(path.join(site, 'second.md'), '# Second page\n\nOpened by the second link.\n');
    const serve = clean.start(['swarmpress', 'serve', '--json', '--data-dir', '/root/author', ...localArgs(port)]);
    started.push(serve);
    await serve.waitFor((m) => m['event'] === 'started', 'serve in the clean root', 60_000);
    const published = JSON.parse((await inRoot(clean, ['swarmpress', 'publish', '/root/site', '--json', '--data-dir', '/root/author', ...localArgs(port)])).trim().split('\n').at(-1) ?? '{}') as { url?: string };
    const url = published.url ?? '';
    assert.match(url, /^bittorrent:\/\/[0-9a-f]{64}$/);
    const reader = '/root/.local/share/swarmpress';
    await timed('get from the other data folder', () => inRoot(clean, ['swarmpress', 'get', url, '--out', '/root/got', '--timeout', '120', '--data-dir', reader, ...localArgs(port)]));
    const got = clean.path('/root/got');
    for (const page of ['index.md', 'second.md']) {
      assert.equal(fs.readFileSync(path.join(got, page), 'utf8'), fs.readFileSync(path.join(site, page), 'utf8'), `get wrote ${page} as published (it wrote ${fs.readdirSync(got, { recursive: true }).join(', ')})`);
    }

    // xdg-open, as a link in a mail or a chat opens it: the window (in a network namespace
    // of its own: it shows the stored copy and reaches no network) at the site.
    x = await startXvfb();
    await clean.shareX11();
    const display = { DISPLAY: x.display, SWARMPRESS_AUTOMATION: '1' };
    const openedAt = performance.now();
    const window = clean.start(['xdg-open', `${url}/`], display, true);
    started.push(window);
    const ready = await window.waitFor((m) => m['automation'] === 'ready', 'the window opened by xdg-open', 60_000);
    windowPid = ready['pid'] as number;
    await untilDump(window, (dump) => pageText(dump).includes('Served from the clean root.'), 'the site in the window xdg-open opened', 60_000);
    t.diagnostic(`xdg-open to the site's page on screen (first start of the installed window): ${Math.round(performance.now() - openedAt)} ms`);
    const grab = async (name: string): Promise<void> => {
      const answer = await window.request({ cmd: 'grab', path: `/tmp/${name}` });
      assert.equal(answer['ok'], true);
      fs.copyFileSync(clean.path(`/tmp/${name}`), artifactPath(name));
    };
    await grab('package-xdg-open-first.png');
    const second = clean.start(['xdg-open', `${url}/second.md`], display, true);
    started.push(second);
    assert.equal((await second.waitExit(60_000)).code, 0, second.stderr);
    assert.match(second.stderr, /in the running window/);
    await untilDump(window, (dump) => pageText(dump).includes('Opened by the second link.'), 'the second page in the same window', 60_000);
    await grab('package-xdg-open-second.png');
    // The window's own process (xdg-open waits for it): closed as the user would.
    process.kill(windowPid, 'SIGTERM');
    assert.equal((await window.waitExit(30_000)).code, 0, window.stderr);
  } finally {
    // xdg-open does not pass a signal on to the window it started.
    if (windowPid !== undefined) {
      try {
        process.kill(windowPid, 'SIGTERM');
      } catch {
        // ended already
      }
    }
    for (const child of started) if (child.child.exitCode === null && child.child.signalCode === null) child.child.kill('SIGTERM');
    await Promise.all(started.map((child) => child.waitExit(20_000).catch(() => undefined)));
    await x?.stop();
    await dht?.close();
    await root?.close();
    removeDir(dir);
  }
});
