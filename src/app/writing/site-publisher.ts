/**
 * The editor's publisher: a new post goes into the folder of the author's site it is for
 * exactly like `swarmpress post --site NAME` (site-pages.ts: `posts/<date>-<slug>.md` with
 * front matter, its pictures in `posts/media/`); an edited page is written back over its
 * file (front matter kept) with its new pictures beside it. Then the node publishes the
 * site's next version. The outcome is the page's `bittorrent://` address under the site key
 * and the new version's seq. `ownPages` is what the editor opens pages of those folders with.
 */
import { toHex } from '../../core/bytes.js';
import { DEFAULT_SITE_NAME, isSiteName } from '../../core/identity.js';
import { AppError } from '../../core/errors.js';
import type { SiteNode } from '../../net/node/site-node.js';
import { ownSiteNames, pageFile, plannedPost, readOwnPage, rewritePage, siteFolder, writePost } from '../site-pages.js';
import type { OwnPages, PostPublisher, PublishOutcome, PublishRequest, PublishSummary } from './publisher.js';

function pageAddress(key: Uint8Array, sitePath: string): string {
  return `bittorrent://${toHex(key)}/${sitePath.split('/').map(encodeURIComponent).join('/')}`;
}

function siteOf(request: PublishRequest): string {
  const name = request.site ?? DEFAULT_SITE_NAME;
  if (!isSiteName(name)) throw new AppError('ERR_SITE_NAME', `'${name}' is not a name of a site`);
  return name;
}

/** Publishes into the author's sites through the node `node()` gives. */
export function sitePublisher(node: () => Promise<SiteNode>, now: () => number = Date.now): PostPublisher {
  const front = (request: PublishRequest) => ({
    title: request.title.trim() === '' ? 'Untitled' : request.title.trim(),
    related: request.replyTo === undefined ? [] : [{ id: request.replyTo.id, rel: 'reply', ...(request.replyTo.href === undefined ? {} : { href: request.replyTo.href }) }],
    meta: new Map<string, string>(),
  });
  return {
    async describe(request: PublishRequest): Promise<PublishSummary> {
      const running = await node();
      const name = siteOf(request);
      const postBytes = Buffer.byteLength(request.body);
      if (request.edit !== undefined) {
        if (pageFile(running, name, request.edit) === undefined) throw new AppError('ERR_FILE', `${request.edit} is no longer in the folder of your site '${name}'`);
        const folderOf = request.edit.split('/').slice(0, -1).join('/');
        const files = [{ path: request.edit, bytes: postBytes }, ...request.media.map((media) => ({ path: `${folderOf === '' ? '' : `${folderOf}/`}${media.path}`, bytes: media.bytes }))];
        return {
          title: request.title,
          site: `your site '${name}' (folder ${siteFolder(running, name)})`,
          bytes: files.reduce((sum, file) => sum + file.bytes, 0),
          files,
          replaces: true,
          notes: [`This replaces ${request.edit} in a new version of the site; the other pages stay as they are, and the earlier version stays readable.`],
        };
      }
      const { folder, sitePath } = plannedPost(running, name, front(request).title, now());
      const folderOf = sitePath.split('/').slice(0, -1).join('/');
      const files = [{ path: sitePath, bytes: postBytes }, ...request.media.map((media) => ({ path: `${folderOf}/${media.path}`, bytes: media.bytes }))];
      return {
        title: request.title,
        site: `your site '${name}' (folder ${folder})`,
        bytes: files.reduce((sum, file) => sum + file.bytes, 0),
        files,
        notes: request.replyTo === undefined ? [] : ['This post is a reply: it names the post it answers, which shows it under that post for its readers.'],
      };
    },
    async publish(request: PublishRequest): Promise<PublishOutcome> {
      const running = await node();
      const name = siteOf(request);
      if (request.edit !== undefined) {
        const { result } = await rewritePage(running, name, request.edit, { title: request.title, body: request.body, media: request.media });
        return { url: pageAddress(result.key, request.edit), seq: result.seq };
      }
      const { result, sitePath } = await writePost(running, { front: front(request), body: request.body, media: request.media }, name, now());
      return { url: pageAddress(result.key, sitePath), seq: result.seq };
    },
  };
}

/** The author's sites and their pages, through the node `node()` gives (for the editor). */
export function ownPages(node: () => Promise<SiteNode>, dataDir: string): OwnPages {
  return {
    sites: () => ownSiteNames(dataDir),
    async read(site, sitePath) {
      const running = await node();
      const page = readOwnPage(running, site, sitePath);
      return { title: page.title, body: page.body, folder: siteFolder(running, site) };
    },
  };
}
