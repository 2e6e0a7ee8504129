/**
 * The app benchmark's generated blog (blog.ts) is what the benchmark says it opens: every
 * post a page of a few KB with its title in the front matter, and an index that links every
 * post once, newest first.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { parsePage } from '../../src/core/front-matter.js';
import { writeBlog } from './blog.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';

let dir: string;
before(() => {
  dir = makeTempDir('swarmpress-blog-');
});
after(() => {
  removeDir(dir);
});

test('a blog of 1,000 posts: front matter titles, a few KB each, an index linking every post newest first; the same bytes every time', () => {
  const blog = writeBlog(path.join(dir, 'a'), 1000);
  const posts = fs.readdirSync(path.join(dir, 'a', 'posts')).sort();
  assert.equal(posts.length, 1000);
  const index = parsePage(fs.readFileSync(path.join(dir, 'a', 'index.md'), 'utf8'));
  assert.ok(index.ok);
  assert.equal(index.value.front.title, blog.title);
  assert.equal(index.value.body, blog.indexBody);
  const links = [...blog.indexBody.matchAll(/^- \[([^\]]+)\]\((posts\/[^)]+)\)/gm)].map((m) => ({ title: m[1] ?? '', file: m[2] ?? '' }));
  assert.equal(links.length, 1000);
  assert.deepEqual(links.map((l) => l.file).sort(), posts.map((p) => `posts/${p}`), 'every post linked once');
  const dates = links.map((l) => l.file.slice('posts/'.length, 'posts/'.length + 10));
  assert.deepEqual(dates, [...dates].sort().reverse(), 'newest first');
  assert.deepEqual(blog.newest.path, links[0]?.file);
  const sizes: number[] = [];
  for (const link of links) {
    const text = fs.readFileSync(path.join(dir, 'a', link.file), 'utf8');
    const page = parsePage(text);
    assert.ok(page.ok, link.file);
    assert.equal(page.value.front.title, link.title);
    assert.match(page.value.front.meta.get('date') ?? '', /^\d{4}-\d\d-\d\d$/);
    sizes.push(Buffer.byteLength(text));
  }
  assert.ok(Math.min(...sizes) >= 1000 && Math.max(...sizes) <= 8000, `post sizes ${Math.min(...sizes)}–${Math.max(...sizes)} bytes`);
  writeBlog(path.join(dir, 'b'), 1000);
  for (const name of ['index.md', blog.newest.path]) assert.ok(fs.readFileSync(path.join(dir, 'a', name)).equals(fs.readFileSync(path.join(dir, 'b', name))), name);
});
