/**
 * Pictures added to drafts: checked like the renderer checks pictures, copied under a plain
 * name, listed only while the text refers to them, removed with their draft.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { altFromName, DraftMedia, pictureName } from '../../../src/app/writing/draft-media.js';
import { REPO_ROOT } from '../../helpers/process.js';
import { makeTempDir, removeDir } from '../../helpers/temp.js';

const PICTURE = path.join(REPO_ROOT, 'assets', 'sample', 'picture.png');
const GIF = path.join(REPO_ROOT, 'assets', 'sample', 'small.gif');
const FAKE = path.join(REPO_ROOT, 'assets', 'sample', 'fake.png');

let root: string;
before(() => {
  root = makeTempDir('swarmpress-media-');
});
after(() => {
  removeDir(root);
});

test('picture names are plain and take the extension of the real format; descriptions come from the name', () => {
  assert.equal(pictureName('/x/Mon Été (1).JPG', 'JPEG'), 'mon-ete-1.jpg');
  assert.equal(pictureName('/x/.png', 'PNG'), 'picture.png');
  assert.equal(pictureName('/x/片.gif', 'GIF'), 'picture.gif');
  assert.equal(pictureName(`/x/${'a'.repeat(100)}.png`, 'PNG').length, 64);
  assert.equal(altFromName('/x/my_cat-2.final.png'), 'my cat 2 final');
});

test('a picture is checked, copied into the draft, deduplicated, and listed while referenced', () => {
  const media = new DraftMedia(path.join(root, 'draft-media'));
  const first = media.add('post-1', PICTURE);
  assert.deepEqual(first, { path: 'media/picture.png', alt: 'picture' });
  assert.deepEqual(media.add('post-1', PICTURE), first, 'the same picture again is the same file');
  const renamed = path.join(root, 'picture.png');
  fs.writeFileSync(renamed, fs.readFileSync(GIF));
  assert.deepEqual(media.add('post-1', renamed), { path: 'media/picture.gif', alt: 'picture' }, 'a GIF named .png is stored as what it is');
  assert.throws(() => media.add('post-1', FAKE), /not a PNG, JPEG or GIF/);
  assert.throws(() => media.add('post-1', root), /is not a file/);
  assert.throws(() => media.add('../x', PICTURE), RangeError);

  const body = 'text ![picture](media/picture.png)';
  const referenced = media.referenced('post-1', body);
  assert.deepEqual(referenced.map((item) => item.path), ['media/picture.png'], 'the GIF is not referenced');
  assert.equal(referenced[0]?.bytes, fs.statSync(PICTURE).size);
  assert.equal(media.siteFiles('post-1').readImage('media/picture.png').verdict.ok, true, 'the preview finds it');

  media.remove('post-1');
  assert.equal(fs.existsSync(media.folder('post-1')), false);
});
