import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCommandLine, parseEndpoint } from '../../src/app/cli.js';
import { UsageError } from '../../src/core/errors.js';

test('no arguments open the window; a lone URL opens it on that address', () => {
  assert.deepEqual(parseCommandLine([]).command, { name: 'window', url: undefined, kiosk: false });
  const key = 'bittorrent://' + 'ab'.repeat(32);
  assert.deepEqual(parseCommandLine([key]).command, { name: 'window', url: key, kiosk: false });
  assert.deepEqual(parseCommandLine(['--kiosk', key]).command, { name: 'window', url: key, kiosk: true, kioskIdleS: 120, kioskAllow: [] });
});

test('every command of the contract parses with its options', () => {
  assert.deepEqual(parseCommandLine(['publish', 'site', '--site', 'blog']).command, { name: 'publish', dir: 'site', site: 'blog', title: undefined, replace: false, yes: false });
  assert.deepEqual(parseCommandLine(['publish', 'other', '--replace', '--yes', '--title', 'Bees']).command, { name: 'publish', dir: 'other', site: undefined, title: 'Bees', replace: true, yes: true });
  assert.deepEqual(parseCommandLine(['post', 'a.md', '--title', 'T', '--reply-to', 'x']).command, {
    name: 'post', file: 'a.md', title: 'T', replyTo: 'x', site: undefined,
  });
  assert.deepEqual(parseCommandLine(['get', 'u', '--out', 'd', '--timeout', '30']).command, { name: 'get', url: 'u', out: 'd', timeoutS: 30 });
  // A link the desktop hands over opens the window even when malformed (its status says why).
  assert.deepEqual(parseCommandLine(['magnet:?dn=x']).command, { name: 'window', url: 'magnet:?dn=x', kiosk: false });
  for (const name of ['follow', 'unfollow', 'block'] as const) assert.deepEqual(parseCommandLine([name, 'k']).command, { name, target: 'k' });
  assert.deepEqual(parseCommandLine(['serve']).command, { name: 'serve' });
  assert.deepEqual(parseCommandLine(['render', 'a.md', '--dump']).command, { name: 'render', file: 'a.md', png: undefined, dump: true, width: 800 });
  assert.deepEqual(parseCommandLine(['render', 'a.md', '--png', 'o.png', '--width', '640']).command, { name: 'render', file: 'a.md', png: 'o.png', dump: false, width: 640 });
  assert.deepEqual(parseCommandLine(['identity', 'show']).command, { name: 'identity', action: 'show', file: undefined, force: false });
  assert.deepEqual(parseCommandLine(['identity', 'new']).command, { name: 'identity', action: 'new', file: undefined, force: false });
  assert.deepEqual(parseCommandLine(['identity', 'export', 'k']).command, { name: 'identity', action: 'export', file: 'k', force: false });
  assert.deepEqual(parseCommandLine(['identity', 'export', 'k', '--force']).command, { name: 'identity', action: 'export', file: 'k', force: true });
  assert.deepEqual(parseCommandLine(['sites']).command, { name: 'sites' });
  assert.deepEqual(parseCommandLine(['search', 'bees', 'of', 'the', 'valley']).command, { name: 'search', words: 'bees of the valley' });
  assert.deepEqual(parseCommandLine(['history', 'bittorrent://x']).command, { name: 'history', url: 'bittorrent://x' });
  assert.deepEqual(parseCommandLine(['help', 'publish']).command, { name: 'help', topic: 'publish' });
  assert.deepEqual(parseCommandLine(['help']).command, { name: 'help' });
  assert.equal(parseCommandLine(['--help']).command.name, 'help');
  assert.equal(parseCommandLine(['serve', '--version']).command.name, 'version');
});

test('common options apply to every command', () => {
  const { common } = parseCommandLine(['serve', '--data-dir', '/tmp/d', '--json', '--listen', '127.0.0.1:6881', '--dht-bootstrap', '127.0.0.1:1,[::1]:2', '--no-dht', '--no-lan']);
  assert.deepEqual(common, {
    dataDir: '/tmp/d', json: true, listen: { host: '127.0.0.1', port: 6881 },
    dhtBootstrap: [{ host: '127.0.0.1', port: 1 }, { host: '::1', port: 2 }], dht: false, lan: false,
  });
});

test('bad arguments are refused with one line that says what is wrong', () => {
  const cases: [string[], RegExp][] = [
    [['--frobnicate'], /Unknown option '--frobnicate'/],
    [['publish'], /'swarmpress publish' takes 1 argument, not 0/],
    [['publish', 'a', 'b'], /takes 1 argument, not 2/],
    [['serve', '--site', 'x'], /--site does not go with 'swarmpress serve'/],
    [['render', 'a.md'], /exactly one of --dump and --png/],
    [['render', 'a.md', '--dump', '--width', '0'], /--width expects a whole number from 100 to 8192/],
    [['get', 'u', '--timeout', '1e3'], /--timeout expects a whole number/],
    [['serve', '--listen', 'localhost'], /--listen expects HOST:PORT/],
    [['serve', '--listen', '1.2.3.4:70000'], /--listen expects HOST:PORT/],
    [['identity', 'rotate'], /takes show, new, export FILE or import FILE/],
    [['publish', 'site', '--yes'], /--yes confirms --replace: give both, or neither/],
    [['help', 'nope'], /there is no command 'nope'/],
    [['identity', 'export'], /needs a FILE/],
    [['a', 'b'], /unknown command 'a'/],
    [['pubish', 'site'], /unknown command 'pubish'/],
    [['pubish'], /unknown command 'pubish', and not a swarm address either/],
    [['--kiosk', 'news'], /--kiosk expects a swarm address: the address has no scheme/],
    [['--kiosk', 'magnet:?dn=nothing'], /--kiosk expects a swarm address/],
    [['--kiosk', 'u', 'v'], /either after --kiosk or alone/],
  ];
  for (const [argv, message] of cases) {
    assert.throws(() => parseCommandLine(argv), (error: unknown) => error instanceof UsageError && message.test(error.message) && !error.message.includes('\n'), argv.join(' '));
  }
});

test('endpoints', () => {
  assert.deepEqual(parseEndpoint('[::1]:6881', '--listen'), { host: '::1', port: 6881 });
  assert.throws(() => parseEndpoint('::1:6881', '--listen'), UsageError);
});
