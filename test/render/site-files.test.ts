import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { folderSiteFiles, layeredSiteFiles, NO_SITE_FILES } from '../../src/render/site-files.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';

let dir: string;
let site: string;
const PNG_1x1 = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
before(() => {
  dir = makeTempDir();
  site = path.join(dir, 'site');
  fs.mkdirSync(path.join(site, 'posts', 'img'), { recursive: true });
  fs.writeFileSync(path.join(site, 'posts', 'img', 'a.png'), PNG_1x1);
  fs.writeFileSync(path.join(site, 'top.png'), PNG_1x1);
  fs.writeFileSync(path.join(dir, 'secret.png'), PNG_1x1);
  fs.symlinkSync(path.join(dir, 'secret.png'), path.join(site, 'link.png'));
});
after(() => {
  removeDir(dir);
});

test('resources resolve against the page folder and stay inside the site', () => {
  const files = folderSiteFiles(site, 'posts/hello.md');
  const found = files.find('img/a.png');
  assert.equal(found.ok && found.bytes, PNG_1x1.length);
  assert.equal(files.find('../top.png').ok, true);
  for (const escape of ['../../secret.png', '../../../etc/passwd', '/etc/passwd', '../link.png', 'img', 'missing.png', 'a\\b.png']) {
    assert.equal(files.find(escape).ok, false, escape);
  }
});

test('an image is read only after its header passed', () => {
  const files = folderSiteFiles(site, 'posts/hello.md');
  const good = files.readImage('img/a.png');
  assert.equal(good.verdict.ok, true);
  assert.equal(good.data?.length, PNG_1x1.length);
  fs.writeFileSync(path.join(site, 'posts', 'fake.png'), '<svg/>');
  const fake = files.readImage('fake.png');
  assert.equal(fake.verdict.ok, false);
  assert.equal(fake.data, undefined);
  assert.equal(NO_SITE_FILES.readImage('img/a.png').verdict.ok, false);
});

test("an edited post's pictures resolve from the draft first, then from the page in its site folder (issue #21)", () => {
  const draft = path.join(dir, 'draft');
  fs.mkdirSync(path.join(draft, 'img'), { recursive: true });
  fs.writeFileSync(path.join(draft, 'img', 'new.png'), PNG_1x1);
  const files = layeredSiteFiles(folderSiteFiles(draft, 'post.md'), folderSiteFiles(site, 'posts/hello.md'));
  const added = files.find('img/new.png');
  assert.equal(added.ok && added.file, fs.realpathSync(path.join(draft, 'img', 'new.png')));
  const published = files.find('img/a.png');
  assert.equal(published.ok && published.file, fs.realpathSync(path.join(site, 'posts', 'img', 'a.png')), 'posts/img/a.png, not img/a.png at the root');
  assert.equal(files.readImage('img/a.png').verdict.ok, true);
  const missing = files.find('img/none.png');
  assert.equal(missing.ok ? '' : missing.reason, 'posts/img/none.png is not in this site (yet)');
  assert.equal(files.find('../../secret.png').ok, false);
});
