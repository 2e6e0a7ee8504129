/**
 * The app benchmark's site (app.ts): a blog as a static blog generator leaves it. `posts`
 * posts of varied Markdown (a few KB each: headings, lists, quotes, code, tables, links to
 * earlier posts) under posts/DATE-SLUG.md with front matter (title, date, tags), and an
 * index.md that lists every post newest first, by year, with its link and date.
 * Deterministic: the same `posts` always writes the same bytes.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface Blog {
  readonly title: string;
  /** The index page without its front matter (what a browser would be given as HTML). */
  readonly indexBody: string;
  readonly bytes: number;
  /** The newest post: its path in the site and its title. */
  readonly newest: { readonly path: string; readonly title: string; readonly bytes: number };
}

const WORDS = (
  'garden morning river stone winter harvest bread window letter market bicycle lantern orchard ' +
  'kitchen notebook harbour bridge meadow village station chapter evening island mountain ' +
  'workshop weather forest library cellar ladder engine pocket candle meadow thread compass ' +
  'the a of and to in that it was for on with as his at by from they we say her she or an will ' +
  'my one all would there their what so up out if about who get which go me when make can like ' +
  'time no just him know take people into year your good some could them see other than then now ' +
  'look only come its over think also back after use two how our work first well way even new want'
).split(' ');
const TAGS = ['travel', 'cooking', 'gardening', 'tools', 'reading', 'weather', 'bicycles', 'notes', 'family', 'music'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Post {
  readonly title: string;
  bytes?: number;
  readonly date: Date;
  readonly file: string;
}

export function writeBlog(dir: string, posts: number): Blog {
  const next = random(posts);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const words = (n: number): string => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  const sentence = (): string => {
    const text = words(6 + Math.floor(next() * 14));
    return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
  };
  const paragraph = (): string => {
    const parts = Array.from({ length: 3 + Math.floor(next() * 4) }, sentence);
    const at = Math.floor(next() * parts.length);
    parts[at] = `${parts[at] ?? ''} Some of it was *${words(2)}*, and some **${words(2)}**.`;
    return parts.join(' ');
  };
  const title = 'Notes from the Workshop';
  const list: Post[] = [];
  const newest = Date.UTC(2026, 10, 1);
  for (let i = 0; i < posts; i++) {
    const date = new Date(newest - Math.floor(i * 1.7 + next() * 0.6) * 86_400_000);
    const heading = words(2 + Math.floor(next() * 4));
    const postTitle = `${heading.charAt(0).toUpperCase()}${heading.slice(1)}`;
    const slug = `${date.toISOString().slice(0, 10)}-${heading.replace(/\s+/g, '-')}-${i}`;
    list.push({ title: postTitle, date, file: `posts/${slug}.md` });
  }
  fs.mkdirSync(path.join(dir, 'posts'), { recursive: true });
  let bytes = 0;
  list.forEach((post, i) => {
    const body: string[] = [`# ${post.title}`, '', paragraph(), ''];
    const sections = 2 + Math.floor(next() * 3);
    for (let s = 0; s < sections; s++) {
      body.push(`## ${sentence().slice(0, -1)}`, '', paragraph(), '');
      const kind = Math.floor(next() * 5);
      if (kind === 0) body.push(...Array.from({ length: 3 + Math.floor(next() * 4) }, () => `- ${words(3 + Math.floor(next() * 6))}`), '');
      if (kind === 1) body.push(`> ${paragraph()}`, '');
      if (kind === 2) body.push('```sh', `cd ~/${pick(WORDS)}`, `tar xf ${pick(WORDS)}-${i}.tar.gz`, `make ${pick(WORDS)}`, '```', '');
      if (kind === 3) body.push('| item | count | note |', '|:--|--:|:--|', ...Array.from({ length: 3 }, () => `| ${pick(WORDS)} | ${Math.floor(next() * 100)} | ${words(3)} |`), '');
      if (kind === 4) body.push(...Array.from({ length: 3 }, (_, n) => `${n + 1}. ${words(4 + Math.floor(next() * 5))}`), '');
      body.push(paragraph(), '');
    }
    const older = list[i + 1 + Math.floor(next() * 20)];
    if (older !== undefined) body.push(`Earlier: [${older.title}](${path.basename(older.file)}). More [on the web](https://example.org/${pick(WORDS)}).`, '');
    const text = `---\ntitle: ${post.title}\ndate: ${post.date.toISOString().slice(0, 10)}\ntags: ${pick(TAGS)}, ${pick(TAGS)}\n---\n${body.join('\n')}`;
    fs.writeFileSync(path.join(dir, post.file), text);
    post.bytes = Buffer.byteLength(text);
    bytes += post.bytes;
  });
  const index: string[] = [`# ${title}`, '', `Things made, mended and read, ${list.length} posts so far. The newest first.`, ''];
  let year = -1;
  for (const post of list) {
    if (post.date.getUTCFullYear() !== year) {
      year = post.date.getUTCFullYear();
      index.push(`## ${year}`, '');
    }
    index.push(`- [${post.title}](${post.file}) — ${post.date.getUTCDate()} ${MONTHS[post.date.getUTCMonth()] ?? ''}`);
  }
  const indexBody = `${index.join('\n')}\n`;
  const indexText = `---\ntitle: ${title}\n---\n${indexBody}`;
  fs.writeFileSync(path.join(dir, 'index.md'), indexText);
  bytes += Buffer.byteLength(indexText);
  const newestPost = list[0];
  if (newestPost === undefined) throw new Error('a blog needs at least one post');
  return { title, indexBody, bytes, newest: { path: newestPost.file, title: newestPost.title, bytes: newestPost.bytes ?? 0 } };
}
