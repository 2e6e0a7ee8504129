/**
 * The commands of issue #21 item 8 on one data folder without a network: `identity new`,
 * `identity export --force`, `sites`, `search WORDS`, `history URL`, `help [COMMAND]` —
 * their text, their `--json` output and their errors for bad input.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { REPO_ROOT, SWARMPRESS_BIN } from '../helpers/process.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';

let dir: string;
let dataDir: string;
before(() => {
  dir = makeTempDir();
  dataDir = path.join(dir, 'data');
});
after(() => {
  removeDir(dir);
});

const OFFLINE = ['--no-dht', '--no-lan', '--listen', '127.0.0.1:0'];

function run(args: readonly string[]): { code: number | null; stdout: string; stderr: string; json: Record<string, unknown>[] } {
  const result = spawnSync(process.execPath, [SWARMPRESS_BIN, '--data-dir', dataDir, ...args], {
    cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '' },
  });
  const json = args.includes('--json') ? result.stdout.trim().split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>) : [];
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, json };
}

test('identity new makes a key once and never replaces it; export refuses an existing file unless --force', () => {
  const shownBefore = run(['identity', 'show']);
  assert.equal(shownBefore.code, 1);
  assert.match(shownBefore.stderr, /makes one with 'swarmpress identity new'/);
  const made = run(['identity', 'new', '--json']);
  assert.equal(made.code, 0, made.stderr);
  const key = made.json[0]?.['publicKey'] as string;
  assert.match(key, /^[0-9a-f]{64}$/);
  assert.equal(made.json[0]?.['url'], `bittorrent://${key}`);
  assert.equal(run(['identity', 'show']).stdout.trim(), key);
  const again = run(['identity', 'new']);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /^swarmpress: this data folder has an identity already \(.*identity\.key\)/);
  assert.equal(run(['identity', 'show']).stdout.trim(), key, 'the key was not replaced');
  const human = run(['identity', 'new', '--data-dir', path.join(dir, 'second')]);
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /^created identity [0-9a-f]{64}\nback it up with 'swarmpress identity export FILE'/);

  const backup = path.join(dir, 'backup.key');
  fs.writeFileSync(backup, 'my notes');
  const refused = run(['identity', 'export', backup, '--json']);
  assert.equal(refused.code, 1);
  assert.equal(refused.json[0]?.['error'], 'ERR_FILE_EXISTS');
  assert.match(refused.stderr, /backup\.key exists: choose another file name, or add --force/);
  assert.equal(fs.readFileSync(backup, 'utf8'), 'my notes');
  fs.rmSync(backup);
  assert.equal(run(['identity', 'export', backup]).code, 0);
  assert.equal(run(['identity', 'export', backup]).code, 1, 'a second export to the same file needs --force');
  const forced = run(['identity', 'export', backup, '--force', '--json']);
  assert.equal(forced.code, 0, forced.stderr);
  assert.equal(forced.json[0]?.['publicKey'], key);
  for (const [args, message] of [
    [['identity', 'new', 'file'], /'swarmpress identity new' takes no file/],
    [['identity', 'show', '--force'], /--force goes only with 'swarmpress identity export FILE'/],
    [['identity', 'renew'], /takes show, new, export FILE or import FILE, not 'renew'/],
  ] as const) {
    const bad = run(args);
    assert.equal(bad.code, 2, args.join(' '));
    assert.match(bad.stderr, message);
  }
});

test('sites, search and history: text, --json, and bad input', () => {
  const empty = run(['sites', ...OFFLINE]);
  assert.equal(empty.code, 0, empty.stderr);
  assert.match(empty.stdout, /^no sites yet: publish one with 'swarmpress publish DIR'/);
  const emptyJson = run(['sites', '--json', ...OFFLINE]);
  assert.deepEqual(emptyJson.json, [{ event: 'sites', sites: [] }]);

  const site = path.join(dir, 'site');
  fs.mkdirSync(path.join(site, 'posts'), { recursive: true });
  fs.writeFileSync(path.join(site, 'posts', 'hives.md'), '# Hives in winter\n\nThe bees cluster for warmth.\n');
  const first = run(['publish', site, '--title', 'Bee notes', '--json', ...OFFLINE]);
  assert.equal(first.code, 0, first.stderr);
  const search = run(['search', 'bees', 'warmth', '--json', ...OFFLINE]);
  assert.equal(search.code, 0, search.stderr);
  assert.deepEqual(search.json.map((hit) => hit['title']), ['Hives in winter'], 'generated pages are not hits');
  assert.equal(search.json[0]?.['url'], `${(first.json.at(-1) ?? {})['url'] as string}/posts/hives.md`);
  fs.writeFileSync(path.join(site, 'posts', 'honey.md'), '# Honey\n\nJars of it.\n');
  const second = run(['publish', site, '--json', ...OFFLINE]);
  assert.equal(second.code, 0, second.stderr);
  const published = second.json.at(-1) ?? {};
  assert.equal(published['title'], 'Bee notes', 'the title set once stays');

  const sites = run(['sites', '--json', ...OFFLINE]);
  assert.equal(sites.code, 0, sites.stderr);
  assert.equal(sites.json.length, 1);
  const own = sites.json[0] ?? {};
  assert.equal(own['kind'], 'own');
  assert.equal(own['title'], 'Bee notes');
  assert.equal(own['url'], published['url']);
  assert.equal(own['seq'], published['seq']);
  assert.equal(own['infohash'], published['infohash']);
  assert.match(own['arrivedAt'] as string, /^\d{4}-\d\d-\d\dT/);
  const sitesText = run(['sites', ...OFFLINE]);
  assert.match(sitesText.stdout, new RegExp(`^own {7}Bee notes \\[--site default\\] — version ${published['seq'] as string}, 2 items, arrived \\S+\\n {10}bittorrent://[0-9a-f]{64}\\n$`));

  const searchText = run(['search', 'honey', ...OFFLINE]);
  assert.match(searchText.stdout, /^Honey\n {2}.*\[Honey\].*\n {2}bittorrent:\/\/[0-9a-f]{64}\/posts\/honey\.md\n$/);
  assert.match(run(['search', 'zebra', ...OFFLINE]).stdout, /^nothing stored here matches 'zebra'\n$/);
  assert.deepEqual(run(['search', 'zebra', '--json', ...OFFLINE]).json, [{ event: 'hit', hits: 0 }]);

  const history = run(['history', published['url'] as string, '--json', ...OFFLINE]);
  assert.equal(history.code, 0, history.stderr);
  assert.equal(history.json.length, 2);
  assert.equal(history.json[0]?.['infohash'], published['infohash']);
  assert.equal(history.json[0]?.['seq'], published['seq']);
  assert.equal(history.json[1]?.['seq'], (first.json.at(-1) ?? {})['seq']);
  assert.deepEqual(history.json.map((version) => version['items']), [2, 1], 'the pages the author wrote');
  const historyText = run(['history', published['url'] as string, ...OFFLINE]);
  assert.match(historyText.stdout, /^2 stored versions of bittorrent:\/\/[0-9a-f]{64}, newest first:\nversion \d+ {2}\S+ {2}2 items {2}[0-9a-f]{40} {2}'Bee notes'\n/);

  for (const [args, code, message] of [
    [['history', 'http://example.com/'], 2, /'http:\/\/example\.com\/' is not an address swarmpress opens/],
    [['history', `bittorrent://${'ab'.repeat(32)}`], 1, /no version of bittorrent:\/\/(ab){32} is stored here: open it first/],
    [['history'], 2, /'swarmpress history' takes 1 argument, not 0/],
    [['search'], 2, /'swarmpress search' takes 1 to 64 arguments, not 0/],
    [['search', '  '], 2, /'swarmpress search' needs words to look for/],
    [['sites', 'extra'], 2, /'swarmpress sites' takes 0 arguments, not 1/],
  ] as const) {
    const bad = run([...args, ...OFFLINE, '--json']);
    assert.equal(bad.code, code, `${args.join(' ')}: ${bad.stderr}`);
    assert.match(bad.stderr, message);
    assert.equal(bad.json.length, 1, `one JSON error line: ${bad.stdout}`);
  }
});

test('help lists every command; help COMMAND says more; an unknown one is refused', () => {
  const help = run(['help']);
  assert.equal(help.code, 0);
  for (const word of ['publish', 'post', 'get', 'sites', 'search', 'history', 'identity show|new|export FILE [--force]', 'help [COMMAND]', '--replace']) assert.ok(help.stdout.includes(word), word);
  const publish = run(['help', 'publish']);
  assert.match(publish.stdout, /^swarmpress publish DIR \[--site NAME\] \[--title T\] \[--replace \[--yes\]\]\n/);
  assert.match(publish.stdout, /publishing another folder is refused/);
  const json = run(['help', 'history', '--json']);
  assert.equal(json.json[0]?.['command'], 'history');
  assert.match(json.json[0]['help'] as string, /^swarmpress history URL/);
  const unknown = run(['help', 'frobnicate']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /^swarmpress: there is no command 'frobnicate' \(see 'swarmpress help'\)\n$/);
});
