import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePage } from '../../src/core/front-matter.js';
import { FEED_PATH, GENERATOR_KEY, HOME_PATH, HOME_POSTS, homeFiles, isoTime, LIST_PAGE_POSTS, POST_LIST_PATH, sitePosts, type SitePage } from '../../src/core/site-home.js';

const DAY_MS = 86_400_000;
const START_MS = Date.UTC(2026, 0, 1);

function posts(n: number): SitePage[] {
  return Array.from({ length: n }, (_, i) => ({ path: `posts/p${i}.md`, title: `Post ${i}`, createdMs: START_MS + i * DAY_MS, generated: false, mime: 'text/markdown' }));
}

test('the home page lists the posts newest first with their dates; the list and feed beside it', () => {
  const pages: SitePage[] = [
    ...posts(3),
    { path: 'posts/2025-06-01-old-but-dated.md', title: 'Dated [by] name', createdMs: START_MS + 9 * DAY_MS, generated: false, mime: 'text/markdown' },
    { path: 'media/a.png', title: 'a.png', createdMs: START_MS, generated: false, mime: 'image/png' },
    { path: 'posts/index-old.md', title: 'made by us', createdMs: START_MS, generated: true, mime: 'text/markdown' },
  ];
  const files = homeFiles({ title: 'Bees & <honey>', description: 'A valley.', pages, taken: new Set(pages.map((page) => page.path)), siteUrl: `bittorrent://${'a'.repeat(64)}`, nowMs: START_MS });
  assert.deepEqual(files.map((file) => file.path), [HOME_PATH, POST_LIST_PATH, FEED_PATH]);
  const home = parsePage(files[0]?.text ?? '');
  assert.ok(home.ok);
  assert.equal(home.value.front.title, 'Bees & <honey>');
  assert.equal(home.value.front.meta.get(GENERATOR_KEY), 'swarmpress');
  assert.equal(home.value.body, [
    '# Bees & <honey>', '', 'A valley.', '', '## Posts', '',
    '- 2026-01-03 — [Post 2](<posts/p2.md>)',
    '- 2026-01-02 — [Post 1](<posts/p1.md>)',
    '- 2026-01-01 — [Post 0](<posts/p0.md>)',
    '- 2025-06-01 — [Dated \\[by\\] name](<posts/2025-06-01-old-but-dated.md>)',
    '',
  ].join('\n'), 'pictures and generated pages are not posts; a date in the file name wins');
  assert.match(files[1]?.text ?? '', /\[Home\]\(<\.\.\/index\.md>\)\n\n- 2026-01-03 — \[Post 2\]\(<p2\.md>\)/);
  const feed = files[2]?.text ?? '';
  assert.match(feed, /<title>Bees &amp; &lt;honey&gt;<\/title>/);
  assert.equal(feed.match(/<entry>/g)?.length, 4);
  assert.match(feed, /<link href="bittorrent:\/\/a{64}\/posts\/p2\.md"\/>/);
});

test('isoTime writes what Date writes, without a Date in core', () => {
  for (const ms of [0, 951_782_400_000, 1_709_164_799_999, START_MS, 4_102_444_800_123, 253_402_300_799_999]) {
    assert.equal(isoTime(ms), new Date(ms).toISOString());
  }
});

test("the author's own pages are never replaced, and large sites are paged", () => {
  const many = posts(HOME_POSTS + LIST_PAGE_POSTS + 1);
  const taken = new Set([HOME_PATH, ...many.map((page) => page.path)]);
  const files = homeFiles({ title: 'Big', pages: many, taken, nowMs: START_MS });
  assert.deepEqual(files.map((file) => file.path), [POST_LIST_PATH, 'posts/index-2.md'], 'no home page over the author\'s, no feed without an address');
  assert.match(files[0]?.text ?? '', /\[Older posts\]\(<index-2\.md>\)\n$/);
  assert.match(files[1]?.text ?? '', /\[Newer posts\]\(<index\.md>\)\n$/);
  assert.equal((files[1]?.text.match(/^- /gm) ?? []).length, HOME_POSTS + 1);
  const home = homeFiles({ title: 'Big', pages: many, taken: new Set(many.map((page) => page.path)), nowMs: START_MS })[0]?.text ?? '';
  assert.equal((home.match(/^- /gm) ?? []).length, HOME_POSTS);
  assert.match(home, new RegExp(`\\[All ${many.length} posts\\]\\(<posts/index\\.md>\\)\\n$`));
  const empty = homeFiles({ title: 'New', pages: [], taken: new Set(), nowMs: START_MS });
  assert.match(empty[0]?.text ?? '', /# New\n\nNothing is published here yet\.\n$/);
  assert.deepEqual(sitePosts([]), []);
});
