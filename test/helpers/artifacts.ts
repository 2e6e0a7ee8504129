/** Where tests keep what a person may want to look at afterwards (screenshots). */
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './process.js';

export function artifactPath(name: string): string {
  const dir = path.join(REPO_ROOT, 'test-artifacts');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}
