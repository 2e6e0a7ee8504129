/** Test folders of files with known random content. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Writes `files` (relative path -> size in bytes) of random bytes under `root`. */
export function makeFolder(root: string, files: Readonly<Record<string, number>>): void {
  for (const [name, size] of Object.entries(files)) {
    const file = path.join(root, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, crypto.randomBytes(size));
  }
}

/** True when every file of `a` exists in `b` with the same bytes, and no other file. */
export function sameTree(a: string, b: string): boolean {
  const list = (root: string): string[] => (fs.readdirSync(root, { recursive: true, withFileTypes: true }))
    .filter((d) => d.isFile())
    .map((d) => path.relative(root, path.join(d.parentPath, d.name)))
    .sort();
  const left = list(a);
  const right = list(b);
  if (JSON.stringify(left) !== JSON.stringify(right)) return false;
  return left.every((rel) => fs.readFileSync(path.join(a, rel)).equals(fs.readFileSync(path.join(b, rel))));
}
