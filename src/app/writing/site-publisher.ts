/**
 * The editor's publisher: the post goes into the author's site folder exactly like
 * `swarmpress post` (site-pages.ts: `posts/<date>-<slug>.md` with front matter, its pictures
 * in `posts/media/`), and the node publishes the site's next version. The outcome is the
 * post's `bittorrent://` address under the site key and the new version's seq.
 */
import { DEFAULT_SITE_NAME } from '../../core/identity.js';
import type { SiteNode } from '../../net/site-node.js';
import { plannedPost, writePost } from '../site-pages.js';
import type { PostPublisher, PublishOutcome, PublishRequest, PublishSummary } from './publisher.js';

/** Publishes into site `name` (default: the author's main site) through the node `node()` gives. */
export function sitePublisher(node: () => Promise<SiteNode>, name: string = DEFAULT_SITE_NAME, now: () => number = Date.now): PostPublisher {
  const front = (request: PublishRequest) => ({
    title: request.title.trim() === '' ? 'Untitled' : request.title.trim(),
    related: request.replyTo === undefined ? [] : [{ id: request.replyTo.id, rel: 'reply', ...(request.replyTo.href === undefined ? {} : { href: request.replyTo.href }) }],
    meta: new Map<string, string>(),
  });
  return {
    async describe(request: PublishRequest): Promise<PublishSummary> {
      const running = await node();
      const { folder, sitePath } = plannedPost(running, name, front(request).title, now());
      const postBytes = Buffer.byteLength(request.body);
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
      const { result, sitePath } = await writePost(running, { front: front(request), body: request.body, media: request.media }, name, now());
      const address = `bittorrent://${Buffer.from(result.key).toString('hex')}/${sitePath.split('/').map(encodeURIComponent).join('/')}`;
      return { url: address, seq: result.seq };
    },
  };
}
