/** Small tmpfs mounts for the disk-full and read-only tests (needs root; the tests skip otherwise). */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

/** Mounts a tmpfs of `bytes` at `dir` (created); returns `undefined`, or why it cannot. */
export function mountTmpfs(dir: string, bytes: number): string | undefined {
  fs.mkdirSync(dir, { recursive: true });
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root';
  const result = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes},mode=0700`, 'tmpfs', dir], { encoding: 'utf8' });
  return result.status === 0 ? undefined : `mount -t tmpfs failed: ${(result.stderr || String(result.error)).trim()}`;
}

/** Remounts `dir` read-only (or read-write again). */
export function remount(dir: string, mode: 'ro' | 'rw'): void {
  const result = spawnSync('mount', ['-o', `remount,${mode}`, dir], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`remount ${mode} failed: ${result.stderr}`);
}

/** Unmounts `dir` (lazily, so a test failure with open files still cleans up). */
export function unmount(dir: string): void {
  spawnSync('umount', ['-l', dir]);
}

/** Fills the file system of `dir` with one file until the disk is full; returns its path. */
export function fillDisk(dir: string): string {
  const filler = `${dir}/filler`;
  const fd = fs.openSync(filler, 'w');
  const chunk = Buffer.alloc(64 * 1024, 7);
  try {
    for (;;) {
      try {
        fs.writeSync(fd, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
        // the last partial chunk: fill the remaining bytes one small write at a time
        for (let size = 32 * 1024; size >= 1; size = Math.floor(size / 2)) {
          try {
            for (;;) fs.writeSync(fd, chunk.subarray(0, size));
          } catch {
            // next smaller size
          }
        }
        return filler;
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}
