/**
 * The pages swarmpress writes for a site whose author did not (issue #21): a home page
 * (`index.md`: the site's title, its description, its newest posts with their dates), the
 * list of every post (`posts/index.md`, paged as `posts/index-2.md`, … for large sites) and
 * an Atom feed (`feed.xml`, RFC 4287) that ordinary feed readers can follow through any
 * gateway. Pure: the caller gives the site's pages and the time; nothing here reads a clock.
 *
 * A generated page carries `meta.generator = swarmpress` so that a later build (on this
 * device or another) knows it may replace it, and never lists it as a post.
 */
import { formatFrontMatter } from './front-matter.js';

/** Meta key and value that mark a page swarmpress generated. */
export const GENERATOR_KEY = 'generator';
export const GENERATOR_VALUE = 'swarmpress';

/** The home page's path. */
export const HOME_PATH = 'index.md';
/** The first page of the list of every post. */
export const POST_LIST_PATH = 'posts/index.md';
/** The Atom feed's path. */
export const FEED_PATH = 'feed.xml';

/** Posts on the home page; the rest are on the post list. */
export const HOME_POSTS = 50;
/** Posts on one page of the post list (a line is ~100 bytes: far below a page's 1 MiB). */
export const LIST_PAGE_POSTS = 500;
/** Entries of the feed (the newest). */
export const FEED_POSTS = 50;

/** A page of the site, as the list shows it. */
export interface SitePage {
  readonly path: string;
  readonly title: string;
  readonly createdMs: number;
  readonly generated: boolean;
  readonly mime: string;
}

/** A page to add to the version. */
export interface HomeFile {
  readonly path: string;
  readonly title: string;
  readonly text: string;
  readonly mime: 'text/markdown' | 'application/atom+xml';
}

export interface HomeRequest {
  readonly title: string;
  readonly description?: string;
  /** Every item of the version (generated ones are ignored). */
  readonly pages: readonly SitePage[];
  /** Paths the author's pages take: nothing is generated there. */
  readonly taken: ReadonlySet<string>;
  /** The site's address (`bittorrent://KEY`), for the feed's links; no feed without it. */
  readonly siteUrl?: string;
  /** The version's time (the feed's `updated` when the site has no item of its author's). */
  readonly nowMs: number;
}

/** Whether a path is the generated list's page `n` (1 is posts/index.md). */
export function postListPath(n: number): string {
  return n === 1 ? POST_LIST_PATH : `posts/index-${n}.md`;
}

/** The date a post is shown with: the `YYYY-MM-DD-` its file name starts with, else when its item was made. */
export function postDate(page: SitePage): string {
  const named = /(?:^|\/)(\d{4}-\d{2}-\d{2})-[^/]*$/.exec(page.path)?.[1];
  return named ?? isoTime(page.createdMs).slice(0, 10);
}

const DAY_MS = 86_400_000;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/**
 * `ms` since 1970 (UTC) as RFC 3339 text, `YYYY-MM-DDTHH:MM:SS.mmmZ` (what Atom's dates
 * are). Arithmetic only (H. Hinnant's days-to-civil), so core reads no clock and needs no Date.
 */
export function isoTime(ms: number): string {
  const days = Math.floor(ms / DAY_MS);
  const inDay = ms - days * DAY_MS;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const time = `${pad(Math.floor(inDay / 3_600_000))}:${pad(Math.floor(inDay / 60_000) % 60)}:${pad(Math.floor(inDay / 1000) % 60)}.${pad(Math.floor(inDay) % 1000, 3)}`;
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}T${time}Z`;
}

/** The posts of a site newest first: its Markdown pages, without the home page and generated ones. */
export function sitePosts(pages: readonly SitePage[]): SitePage[] {
  return pages
    .filter((page) => !page.generated && page.mime.toLowerCase() === 'text/markdown' && page.path !== HOME_PATH)
    .sort((a, b) => {
      const byDate = postDate(b).localeCompare(postDate(a));
      if (byDate !== 0) return byDate;
      return b.createdMs - a.createdMs || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
    });
}

/** Text shown as the words of a Markdown link: brackets and backslashes escaped, one line. */
function linkText(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/([\\[\]*_`<>])/g, '\\$1');
}

/** A site path as a relative link target from a page in `fromFolder` ('' or 'posts'). */
function linkTarget(sitePath: string, fromFolder: string): string {
  const relative = fromFolder !== '' && sitePath.startsWith(`${fromFolder}/`) ? sitePath.slice(fromFolder.length + 1) : fromFolder !== '' ? `../${sitePath}` : sitePath;
  return `<${relative.split('/').map(encodeURIComponent).join('/')}>`;
}

function listLines(posts: readonly SitePage[], fromFolder: string): string[] {
  return posts.map((post) => `- ${postDate(post)} — [${linkText(post.title)}](${linkTarget(post.path, fromFolder)})`);
}

function page(title: string, lines: readonly string[]): string {
  return `${formatFrontMatter({ title, related: [], meta: new Map([[GENERATOR_KEY, GENERATOR_VALUE]]) })}${lines.join('\n')}\n`;
}

function xml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'))
    // XML 1.0 has no place for most control characters: a title holding one would break the feed.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

/**
 * The pages to generate: the home page unless the author wrote one, the post list unless
 * the author has a `posts/index.md`, the feed unless a `feed.xml` is theirs.
 */
export function homeFiles(request: HomeRequest): HomeFile[] {
  const posts = sitePosts(request.pages);
  const files: HomeFile[] = [];
  const listPages = Math.max(1, Math.ceil(posts.length / LIST_PAGE_POSTS));
  const hasList = !request.taken.has(POST_LIST_PATH);
  if (!request.taken.has(HOME_PATH)) {
    const lines = [`# ${request.title.replace(/[\r\n]+/g, ' ')}`, ''];
    if (request.description !== undefined && request.description.trim() !== '') lines.push(request.description.trim(), '');
    if (posts.length === 0) lines.push('Nothing is published here yet.');
    else lines.push('## Posts', '', ...listLines(posts.slice(0, HOME_POSTS), ''));
    if (posts.length > HOME_POSTS && hasList) lines.push('', `[All ${posts.length} posts](${linkTarget(POST_LIST_PATH, '')})`);
    files.push({ path: HOME_PATH, title: request.title, text: page(request.title, lines), mime: 'text/markdown' });
  }
  if (hasList) {
    for (let n = 1; n <= listPages; n++) {
      const sitePath = postListPath(n);
      if (n > 1 && request.taken.has(sitePath)) break;
      const title = listPages === 1 ? `All posts — ${request.title}` : `All posts (${n} of ${listPages}) — ${request.title}`;
      const lines = [`# ${title.replace(/[\r\n]+/g, ' ')}`, '', `[Home](${linkTarget(HOME_PATH, 'posts')})`, ''];
      const shown = posts.slice((n - 1) * LIST_PAGE_POSTS, n * LIST_PAGE_POSTS);
      lines.push(...(shown.length === 0 ? ['Nothing is published here yet.'] : listLines(shown, 'posts')));
      const nav = [
        ...(n > 1 ? [`[Newer posts](${linkTarget(postListPath(n - 1), 'posts')})`] : []),
        ...(n < listPages && !request.taken.has(postListPath(n + 1)) ? [`[Older posts](${linkTarget(postListPath(n + 1), 'posts')})`] : []),
      ];
      if (nav.length > 0) lines.push('', nav.join(' · '));
      files.push({ path: sitePath, title, text: page(title, lines), mime: 'text/markdown' });
    }
  }
  if (request.siteUrl !== undefined && !request.taken.has(FEED_PATH)) files.push(feed(request, posts.slice(0, FEED_POSTS)));
  return files;
}

function feed(request: HomeRequest, posts: readonly SitePage[]): HomeFile {
  const site = request.siteUrl ?? '';
  const url = (sitePath: string): string => `${site}/${sitePath.split('/').map(encodeURIComponent).join('/')}`;
  // From the site's own items, never the clock: an unchanged site must give the same feed
  // (and so publish nothing new).
  const authored = request.pages.filter((page) => !page.generated);
  const updated = isoTime(authored.length === 0 ? request.nowMs : authored.reduce((newest, page) => Math.max(newest, page.createdMs), 0));
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <title>${xml(request.title)}</title>`,
    ...(request.description === undefined || request.description.trim() === '' ? [] : [`  <subtitle>${xml(request.description.trim())}</subtitle>`]),
    `  <id>${xml(site)}</id>`,
    `  <link href="${xml(site)}"/>`,
    `  <link rel="self" href="${xml(url(FEED_PATH))}"/>`,
    `  <updated>${updated}</updated>`,
    `  <author><name>${xml(request.title)}</name></author>`,
    `  <generator>swarmpress</generator>`,
    ...posts.flatMap((post) => [
      '  <entry>',
      `    <title>${xml(post.title)}</title>`,
      `    <id>${xml(url(post.path))}</id>`,
      `    <link href="${xml(url(post.path))}"/>`,
      `    <updated>${isoTime(post.createdMs)}</updated>`,
      '  </entry>',
    ]),
    '</feed>',
  ];
  return { path: FEED_PATH, title: `${request.title} (Atom feed)`, text: `${lines.join('\n')}\n`, mime: 'application/atom+xml' };
}
