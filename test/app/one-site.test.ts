/**
 * One site however it is edited (issue #21): posts written one by one (`post`, the path
 * the window's editor takes), then `publish` of the site's folder, then one more `post` —
 * every post stays in the current version and on the generated home page, on the author's
 * running node and on a follower's. Publishing another folder is refused; `--replace`
 * says what would disappear. Real `swarmpress serve` nodes on a private DHT on loopback.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { localArgs, runCli, useServeBed, type CliResult } from '../helpers/nodes.js';

const bed = useServeBed();

async function cli(dataDir: string, args: readonly string[]): Promise<CliResult> {
  return runCli([...args, '--json', '--data-dir', dataDir, ...localArgs(bed.port)]);
}

function last(result: CliResult): Record<string, unknown> {
  assert.equal(result.code, 0, `exit ${String(result.code ?? result.signal)}: ${result.stderr}`);
  const message = result.messages.at(-1);
  assert.ok(message !== undefined, result.stdout);
  return message;
}

function failure(result: CliResult): { code: number | null; error: string; message: string } {
  const message = result.messages.at(-1) as { error: string; message: string } | undefined;
  assert.ok(message !== undefined, `a JSON error line: ${result.stdout} ${result.stderr}`);
  return { code: result.code, ...message };
}

function postFile(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

test('posts, then publish of the site folder, then one more post: every post is in the version and on the home page, for the author and a follower', async () => {
  const a = await bed.serve('author');
  const b = await bed.serve('follower');
  const drafts = path.join(bed.dir, 'drafts');
  fs.mkdirSync(drafts, { recursive: true });
  const titles = ['Bees of the valley', 'Summer plans', 'Naïve café'];
  let url = '';
  const sitePaths: string[] = [];
  for (const [i, title] of titles.entries()) {
    // "Summer plans" has no heading: its front-matter title is its only title.
    const body = i === 1 ? `---\ntitle: ${title}\n---\nNo heading, only words.\n` : `# ${title}\n\nPost ${i + 1}.\n`;
    const posted = last(await cli(a.dataDir, ['post', postFile(drafts, `p${i}.md`, body)]));
    assert.equal(posted['event'], 'published');
    url = posted['url'] as string;
    sitePaths.push(posted['post'] as string);
  }
  assert.ok(sitePaths.includes(`posts/${new Date().toISOString().slice(0, 10)}-naive-cafe.md`), `one slug function: ${sitePaths.join(', ')}`);
  const folder = path.join(a.dataDir, 'sites', 'default');
  assert.ok(fs.existsSync(path.join(folder, sitePaths[0] ?? '')), 'the posts are in the site folder');
  assert.ok(!fs.existsSync(path.join(folder, 'index.md')), 'the author wrote no index.md: the home page is generated in the version, not the folder');

  // `publish` of the site's folder keeps every post.
  const republished = last(await cli(a.dataDir, ['publish', folder, '--title', 'The bee site']));
  assert.equal(republished['title'], 'The bee site');
  assert.equal(republished['items'], 3);

  // Another folder is refused, naming both; --replace lists what would go; nothing changed.
  const other = path.join(bed.dir, 'other-site');
  fs.mkdirSync(other, { recursive: true });
  fs.writeFileSync(path.join(other, 'about.md'), '# About\n');
  const ownSites = fs.readFileSync(path.join(a.dataDir, 'own-sites.json'), 'utf8');
  const refused = failure(await cli(a.dataDir, ['publish', other]));
  assert.equal(refused.code, 1);
  assert.equal(refused.error, 'ERR_OTHER_FOLDER');
  assert.ok(refused.message.includes(folder) && refused.message.includes(other), refused.message);
  assert.match(refused.message, /add --replace/);
  const unconfirmed = failure(await cli(a.dataDir, ['publish', other, '--replace']));
  assert.equal(unconfirmed.error, 'ERR_CONFIRM');
  assert.match(unconfirmed.message, /3 pages would disappear from it: .*posts\/.*-bees-of-the-valley\.md/);
  assert.match(unconfirmed.message, /Add --yes to do it/);
  assert.equal(fs.readFileSync(path.join(a.dataDir, 'own-sites.json'), 'utf8'), ownSites, 'a refused publish changes no folder record');

  const fourth = last(await cli(a.dataDir, ['post', postFile(drafts, 'p3.md', '# Honey harvest\n\nJars.\n')]));
  sitePaths.push(fourth['post'] as string);
  assert.equal(fourth['items'], 4);
  const allTitles = [...titles, 'Honey harvest'];

  // The author's own node and the follower's: the home page lists every post, each opens.
  for (const [who, dataDir] of [['author', a.dataDir], ['follower', b.dataDir]] as const) {
    const home = last(await cli(dataDir, ['get', url]));
    assert.equal(home['infohash'], fourth['infohash'], `${who}: the newest version`);
    assert.equal(home['title'], 'The bee site', `${who}: the site's title heads its home page`);
    const text = home['text'] as string;
    for (const title of allTitles) assert.ok(text.includes(`[${title}]`), `${who}: the home page lists '${title}':\n${text}`);
    assert.match(text, new RegExp(`^- ${new Date().toISOString().slice(0, 10)} — \\[Honey harvest\\]`, 'm'), `${who}: posts with their dates`);
    assert.ok(text.indexOf('[Honey harvest]') < text.indexOf('[Bees of the valley]'), `${who}: newest first`);
    const list = last(await cli(dataDir, ['get', `${url}/posts/index.md`]));
    for (const title of allTitles) assert.ok((list['text'] as string).includes(`[${title}]`), `${who}: the post list has '${title}'`);
    for (const [i, sitePath] of sitePaths.entries()) {
      const page = last(await cli(dataDir, ['get', `${url}/${sitePath}`]));
      assert.equal(page['title'], allTitles[i], `${who}: ${sitePath} has the title typed for it`);
    }
  }
  const feed = await runCli(['get', `${url}/feed.xml`, '--out', path.join(bed.dir, 'copy'), '--data-dir', b.dataDir, ...localArgs(bed.port)]);
  assert.equal(feed.code, 0, feed.stderr);
  const atom = fs.readFileSync(path.join(bed.dir, 'copy', 'feed.xml'), 'utf8');
  assert.match(atom, /^<\?xml version="1\.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom">/);
  for (const title of allTitles) assert.ok(atom.includes(`<title>${title}</title>`), `the feed has '${title}'`);

  // An unchanged folder publishes nothing, generated pages and all.
  const again = last(await cli(a.dataDir, ['publish', folder]));
  assert.equal(again['event'], 'unchanged');
});

test("an author's own index.md is kept as written; the post list is generated beside it", async () => {
  const a = await bed.serve('own-index');
  const site = path.join(bed.dir, 'own-index-site');
  fs.mkdirSync(path.join(site, 'posts'), { recursive: true });
  fs.writeFileSync(path.join(site, 'index.md'), '# My garden\n\nHand written.\n');
  fs.writeFileSync(path.join(site, 'posts', 'tomatoes.md'), '# Tomatoes\n');
  const published = last(await cli(a.dataDir, ['publish', site]));
  assert.equal(published['title'], 'My garden');
  assert.equal(published['items'], 2);
  const home = last(await cli(a.dataDir, ['get', published['url'] as string]));
  assert.equal(home['text'], '# My garden\n\nHand written.\n');
  const list = last(await cli(a.dataDir, ['get', `${published['url'] as string}/posts/index.md`]));
  assert.match(list['text'] as string, /\[Tomatoes\]\(<tomatoes\.md>\)/);
  assert.match(list['text'] as string, /\[Home\]\(<\.\.\/index\.md>\)/);
});
