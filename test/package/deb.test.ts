/**
 * The Debian package (issue #24): built by tools/deb.sh (`make deb` after `make build`) into
 * a folder of this test's own, then checked as Debian's tools check it: what dpkg-deb says
 * it holds and depends on, lintian, desktop-file-validate, appstreamcli, man.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../helpers/process.js';
import { buildPackage } from './build.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';
import { summarisePng } from '../helpers/png.js';

const run = promisify(execFile);

let dir = '';
let deb = '';
let tree = '';

before(async () => {
  dir = makeTempDir('swarmpress-deb-');
  const startedAt = performance.now();
  deb = await buildPackage(dir);
  process.stderr.write(`# tools/deb.sh: ${Math.round(performance.now() - startedAt)} ms\n`);
  tree = path.join(dir, 'tree');
  await run('dpkg-deb', ['-x', deb, tree]);
});

after(() => {
  removeDir(dir);
});

async function field(name: string): Promise<string> {
  return (await run('dpkg-deb', ['-f', deb, name])).stdout.trim();
}

test('the package is named swarmpress_<version>_<arch>.deb and holds the program, its addons and the desktop files, and nothing of the build', async (t) => {
  const version = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const arch = (await run('dpkg', ['--print-architecture'])).stdout.trim();
  assert.equal(path.basename(deb), `swarmpress_${version}_${arch}.deb`);
  assert.equal(await field('Version'), version);
  const listing = (await run('dpkg-deb', ['-c', deb], { maxBuffer: 16 * 1024 * 1024 })).stdout.trim().split('\n');
  const files = listing.map((line) => (/ \.\/(\S*)( -> .*)?$/.exec(line)?.[1] ?? '')).filter((file) => file !== '' && !file.endsWith('/'));
  for (const wanted of [
    'usr/bin/swarmpress', 'usr/lib/swarmpress/bin/swarmpress.js', 'usr/lib/swarmpress/package.json',
    'usr/lib/swarmpress/dist/bundle/app/swarmpress.cjs', 'usr/lib/swarmpress/dist/bundle/app/parse-worker.js', 'usr/lib/swarmpress/dist/vendor/nodegui.cjs',
    'usr/lib/swarmpress/native/build/Release/swarmpress_torrent.node', 'usr/lib/swarmpress/native/build/Release/swarmpress_qt_runtime.node',
    'usr/lib/swarmpress/native/build/Release/swarmpress_preload.node', 'usr/lib/swarmpress/node_modules/@nodegui/nodegui/build/Release/nodegui_core.node',
    'usr/lib/swarmpress/node_modules/better-sqlite3/build/Release/better_sqlite3.node', 'usr/lib/swarmpress/assets/welcome.md',
    'usr/share/applications/swarmpress.desktop', 'usr/share/icons/hicolor/scalable/apps/swarmpress.svg', 'usr/share/icons/hicolor/48x48/apps/swarmpress.png',
    'usr/share/metainfo/org.swarmpress.swarmpress.metainfo.xml', 'usr/lib/systemd/user/swarmpress.service', 'usr/share/man/man1/swarmpress.1.gz',
    'usr/share/doc/swarmpress/copyright',
  ]) assert.ok(files.includes(wanted), `the package has ${wanted}`);
  assert.equal(fs.readlinkSync(path.join(tree, 'usr/bin/swarmpress')), '../lib/swarmpress/bin/swarmpress.js');
  // Nothing of the sources, the tests or the build: no TypeScript, no unbundled modules, no
  // package but the four the installed program loads.
  const unwanted = files.filter((file) => /\.(ts|map|gyp|cpp|h)$/.test(file) || /(^|\/)(test|src|\.stamps)\//.test(file) || file.includes('/obj.target/'));
  assert.deepEqual(unwanted, []);
  const packages = new Set(files.filter((file) => file.startsWith('usr/lib/swarmpress/node_modules/')).map((file) => /^usr\/lib\/swarmpress\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1]));
  assert.deepEqual([...packages].sort(), ['@nodegui/nodegui', 'better-sqlite3', 'bindings', 'file-uri-to-path']);
  const size = fs.statSync(deb).size;
  t.diagnostic(`package ${(size / 1e6).toFixed(2)} MB, installed ${await field('Installed-Size')} KiB, ${files.length} files`);
});

test('Depends names the runtime package of every library the addons link, nodejs (>= 20), and no -dev package or compiler', async () => {
  const depends = (await field('Depends')).split(',').map((entry) => entry.trim());
  const names = depends.map((entry) => entry.split(/[\s(]/)[0] ?? '');
  assert.ok(depends.includes('nodejs (>= 20)'), depends.join(', '));
  for (const name of ['libqt6core6', 'libqt6gui6', 'libqt6widgets6', 'libtorrent-rasterbar2.0', 'fonts-dejavu-core']) assert.ok(names.includes(name), `Depends has ${name}`);
  assert.deepEqual(names.filter((name) => /-dev$|^(gcc|g\+\+|cpp|cmake|make|python3|clang)/.test(name)), []);
  // Independently of dpkg-shlibdeps: each library an addon links itself (NEEDED), found
  // where ldd finds it, is owned (dpkg -S) by a package that Depends names.
  const addons = (await run('find', [tree, '-name', '*.node'])).stdout.trim().split('\n');
  assert.equal(addons.length, 5, addons.join('\n'));
  const owners = new Set<string>();
  for (const addon of addons) {
    const needed = [...(await run('objdump', ['-p', addon])).stdout.matchAll(/^\s*NEEDED\s+(\S+)$/gm)].map((match) => match[1] ?? '');
    const found = new Map([...(await run('ldd', [addon])).stdout.matchAll(/^\s*(\S+) => (\/\S+) \(/gm)].map((match) => [match[1] ?? '', match[2] ?? '']));
    for (const name of needed) {
      const file = found.get(name) ?? (name.startsWith('ld-linux') ? `/lib64/${name}` : undefined);
      assert.ok(file !== undefined, `ldd finds ${name}, which ${path.basename(addon)} links`);
      // Merged /usr: dpkg knows a library under the path its package ships it at.
      const candidates = [file, fs.realpathSync(file), file.replace(/^\/lib/, '/usr/lib'), file.replace(/^\/usr\/lib/, '/lib')];
      let owner: string | undefined;
      for (const candidate of candidates) {
        owner ??= await run('dpkg', ['-S', candidate]).then(({ stdout }) => stdout.split(':')[0]?.trim(), () => undefined);
      }
      assert.ok(owner !== undefined, `a package holds ${file}`);
      owners.add(owner);
    }
  }
  assert.ok(owners.size >= 8, [...owners].join(', '));
  for (const owner of owners) assert.ok(names.includes(owner), `Depends names ${owner}, which holds a library an addon links`);
});

test('lintian finds no error', async (t) => {
  const { stdout } = await run('lintian', ['--tag-display-limit', '0', deb], { maxBuffer: 16 * 1024 * 1024 }).catch((error: unknown) => ({ stdout: (error as { stdout?: string }).stdout ?? '' })); // lintian exits 1 on an error tag
  const lines = stdout.trim().split('\n').filter((line) => line !== '');
  assert.deepEqual(lines.filter((line) => line.startsWith('E:')), []);
  t.diagnostic(`lintian: ${lines.filter((line) => line.startsWith('W:')).length} warnings`);
});

test('the desktop entry handles bittorrent: and magnet: links and is valid; the AppStream metadata is valid; the icons are the SVG and PNGs of its sizes', async () => {
  const desktop = path.join(tree, 'usr/share/applications/swarmpress.desktop');
  const validated = await run('desktop-file-validate', [desktop]);
  assert.equal(validated.stdout + validated.stderr, '');
  const entry = fs.readFileSync(desktop, 'utf8');
  assert.match(entry, /^Exec=swarmpress %u$/m);
  assert.match(entry, /^MimeType=x-scheme-handler\/bittorrent;x-scheme-handler\/magnet;$/m);
  assert.match(entry, /^Icon=swarmpress$/m);
  const metainfo = path.join(tree, 'usr/share/metainfo/org.swarmpress.swarmpress.metainfo.xml');
  const appstream = await run('appstreamcli', ['validate', '--no-net', metainfo]);
  assert.match(appstream.stdout, /Validation was successful/);
  assert.match(fs.readFileSync(metainfo, 'utf8'), /<launchable type="desktop-id">swarmpress\.desktop<\/launchable>/);
  for (const size of [16, 24, 32, 48, 64, 128, 256]) {
    const png = summarisePng(path.join(tree, `usr/share/icons/hicolor/${size}x${size}/apps/swarmpress.png`));
    assert.deepEqual([png.width, png.height], [size, size]);
  }
});

test('the man page is the one made from the --help table, and the user unit runs `swarmpress serve`', async () => {
  const page = path.join(tree, 'usr/share/man/man1/swarmpress.1.gz');
  const { stdout, stderr } = await run('man', ['--warnings', '-l', page], { env: { ...process.env, MANWIDTH: '200', LC_ALL: 'C.UTF-8' } });
  assert.equal(stderr, '');
  assert.match(stdout, /swarmpress serve/);
  const unit = fs.readFileSync(path.join(tree, 'usr/lib/systemd/user/swarmpress.service'), 'utf8');
  assert.match(unit, /^ExecStart=\/usr\/bin\/swarmpress serve$/m);
  assert.match(unit, /^WantedBy=default\.target$/m);
});
