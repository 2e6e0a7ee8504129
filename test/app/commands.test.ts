import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { summarisePng } from '../helpers/png.js';
import { REPO_ROOT, SWARMPRESS_BIN } from '../helpers/process.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';

let dir: string;
before(() => {
  dir = makeTempDir();
});
after(() => {
  removeDir(dir);
});

function run(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [SWARMPRESS_BIN, '--data-dir', dir, ...args], {
    cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('--version names swarmpress and the libtorrent it runs with', () => {
  const human = run(['--version']);
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /^swarmpress \d+\.\d+\.\d+ \(libtorrent 2\.\d+\.\d+\.\d+, node \d+/);
  const json = run(['--version', '--json']);
  const parsed = JSON.parse(json.stdout) as Record<string, string>;
  assert.match(parsed['libtorrent'] ?? '', /^2\./);
});

test('--help lists every command of the contract', () => {
  const help = run(['--help']);
  assert.equal(help.code, 0);
  for (const word of ['publish', 'post', 'get', 'follow', 'unfollow', 'block', 'unblock', 'mute', 'unmute', 'block-list', 'serve', 'render', 'identity', '--kiosk', '--data-dir', '--json']) {
    assert.ok(help.stdout.includes(word), word);
  }
});

test('bad arguments: exit code 2 and one line on stderr', () => {
  const bad = run(['publish']);
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
  assert.match(bad.stderr, /^swarmpress: 'swarmpress publish' takes 1 argument/);
  for (const [args, message] of [
    [['block-list'], /'swarmpress block-list' takes 1 to 2 arguments, not 0/],
    [['block-list', 'frob'], /'swarmpress block-list' takes subscribe URL\|KEY, unsubscribe URL\|KEY, list or publish on\|off, not 'frob'/],
    [['block-list', 'publish', 'maybe'], /'swarmpress block-list publish' takes on or off/],
    [['block-list', 'subscribe'], /needs the URL or key of the site whose list it is/],
    [['mute'], /'swarmpress mute' takes 1 argument, not 0/],
  ] as const) {
    const refused = run([...args]);
    assert.equal(refused.code, 2, args.join(' '));
    assert.match(refused.stderr, message);
  }
  const json = run(['--json', '--bogus']);
  assert.equal(json.code, 2);
  assert.equal((JSON.parse(json.stdout) as { error: string }).error, 'ERR_USAGE');
});

test('site commands with bad input: one clear line, the right exit code, nothing changed', () => {
  const offline = ['--no-dht', '--no-lan', '--listen', '127.0.0.1:0'];
  const missing = run(['publish', path.join(dir, 'no-such-folder'), ...offline]);
  assert.equal(missing.code, 1, missing.stderr);
  assert.match(missing.stderr, /^swarmpress: .*no-such-folder cannot be read \(ENOENT\)\n$/);
  const notAddress = run(['get', 'http://example.com/', ...offline]);
  assert.equal(notAddress.code, 2, notAddress.stderr);
  assert.match(notAddress.stderr, /is not an address swarmpress opens/);
  const nothing = run(['get', `bittorrent://${'ab'.repeat(32)}`, ...offline, '--json']);
  assert.equal(nothing.code, 1, nothing.stderr);
  assert.equal((JSON.parse(nothing.stdout.trim().split('\n').at(-1) ?? '{}') as { error: string }).error, 'ERR_NOT_FOUND');
  assert.match(nothing.stderr, /nothing found for (ab){32}: the DHT is switched off, and no record of it is stored here/);
  const version = run(['follow', `bittorrent://${'cd'.repeat(20)}`, ...offline]);
  assert.equal(version.code, 2);
  assert.match(version.stderr, /follow, unfollow, block, mute and block lists take a site address or key/);
  const badSite = run(['publish', dir, '--site', 'Not A Name', ...offline]);
  assert.equal(badSite.code, 2);
  assert.ok(!fs.existsSync(path.join(dir, 'own-sites.json')), 'nothing was published');
});

test('render --dump prints the widget tree of a Markdown file; --png draws it', () => {
  const file = path.join(dir, 'page.md');
  fs.writeFileSync(file, '# Title <b>x</b>\n\nSome *emphasis* and [a link](bittorrent://' + 'a'.repeat(64) + ').\n\n- one\n- two\n');
  const dump = run(['render', file, '--dump', '--json']);
  assert.equal(dump.code, 0, dump.stderr);
  const tree = JSON.parse(dump.stdout) as { title: string; widgets: { role: string; text: string; links: string[] }[] };
  assert.equal(tree.title, 'Title <b>x</b>');
  assert.deepEqual(tree.widgets.map((w) => w.role), ['h1', 'paragraph', 'paragraph', 'paragraph']);
  assert.equal(tree.widgets[0]?.text, 'Title <b>x</b>', 'raw HTML is shown as text');
  assert.deepEqual(tree.widgets[1]?.links, ['bittorrent://' + 'a'.repeat(64)]);
  assert.equal(tree.widgets[2]?.text, '•\u00a0\u00a0one');

  const png = path.join(dir, 'page.png');
  const drawn = run(['render', file, '--png', png, '--width', '500']);
  assert.equal(drawn.code, 0, drawn.stderr);
  const shot = summarisePng(png);
  assert.equal(shot.width, 500);
  assert.ok(shot.colours > 8 && shot.inked > 0.005, JSON.stringify(shot));

  const missing = run(['render', path.join(dir, 'nope.md'), '--dump']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^swarmpress: cannot read .*nope\.md \(ENOENT\)/);
});

test('post reads only a regular file of at most a post: /dev/zero and a FIFO are refused at once', () => {
  const offline = ['--no-dht', '--no-lan', '--listen', '127.0.0.1:0'];
  const fifo = path.join(dir, 'post-fifo.md');
  spawnSync('mkfifo', [fifo]);
  for (const [file, message] of [['/dev/zero', /\/dev\/zero is not a file/], [fifo, /post-fifo\.md is not a file/]] as const) {
    const started = performance.now();
    const refused = run(['post', file, ...offline]);
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stderr, message);
    assert.ok(performance.now() - started < 30_000);
  }
});
