/**
 * TEMPORARY — until issue #7 brings the swarm publisher. "Publishes" a post by writing it
 * into a folder on this computer, `<dataDir>/temporary-local-site/`: `posts/<slug>.md`
 * (the title as a heading, then the text) and `posts/media/<name>` for its pictures; the
 * "version" is a counter in `.version`. The address it reports is the post's `file:` URL.
 * Nothing leaves the machine, and the confirmation says so.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { slugify } from '../../core/slug.js';
import type { PostPublisher, PublishOutcome, PublishRequest, PublishSummary } from './publisher.js';

/** The folder name inside the data folder. */
export const TEMPORARY_SITE_FOLDER = 'temporary-local-site';
const POSTS_DIR = 'posts';
const VERSION_FILE = '.version';
const MAX_SLUG_CHARS = 60;

/** A file name from a title: lower-case letters, digits and dashes ("post" when nothing is left). */
export function slugOf(title: string): string {
  return slugify(title, { maxChars: MAX_SLUG_CHARS });
}

function postText(request: PublishRequest): string {
  const title = request.title.trim();
  return title === '' ? request.body : `# ${title}\n\n${request.body}`;
}

/** The temporary publisher writing into `folder` (see the file comment). */
export function temporaryFolderPublisher(folder: string): PostPublisher {
  const postsDir = path.join(folder, POSTS_DIR);
  const postPath = (request: PublishRequest): string => {
    const slug = slugOf(request.title);
    for (let n = 1; ; n++) {
      const name = n === 1 ? `${slug}.md` : `${slug}-${n}.md`;
      if (!fs.existsSync(path.join(postsDir, name))) return `${POSTS_DIR}/${name}`;
    }
  };
  return {
    describe(request: PublishRequest): Promise<PublishSummary> {
      const post = postPath(request);
      const text = Buffer.byteLength(postText(request));
      const files = [{ path: post, bytes: text }, ...request.media.map((media) => ({ path: `${POSTS_DIR}/${media.path}`, bytes: media.bytes }))];
      return Promise.resolve({
        title: request.title,
        site: `a folder on this computer (${folder})`,
        bytes: files.reduce((sum, file) => sum + file.bytes, 0),
        files,
        notes: ['Temporary: this version of swarmpress writes the post into that folder only; publishing to the swarm arrives with issue #7.'],
      });
    },
    publish(request: PublishRequest): Promise<PublishOutcome> {
      fs.mkdirSync(path.join(postsDir, 'media'), { recursive: true });
      for (const media of request.media) fs.copyFileSync(media.file, path.join(postsDir, ...media.path.split('/')));
      const post = postPath(request);
      const file = path.join(folder, ...post.split('/'));
      fs.writeFileSync(file, postText(request), { flag: 'wx' });
      const versionFile = path.join(folder, VERSION_FILE);
      const previous = fs.existsSync(versionFile) ? Number(fs.readFileSync(versionFile, 'utf8')) : 0;
      const seq = (Number.isSafeInteger(previous) ? previous : 0) + 1;
      fs.writeFileSync(versionFile, String(seq));
      return Promise.resolve({ url: pathToFileURL(file).href, seq });
    },
  };
}
