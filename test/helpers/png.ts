/** Reads a PNG file and summarises what it shows, to tell a drawn window from a blank one. */
import fs from 'node:fs';
import { PNG } from 'pngjs';

export interface PngSummary {
  readonly width: number;
  readonly height: number;
  /** Distinct RGB colours (capped at 4096 counted). */
  readonly colours: number;
  /** Share of pixels that differ from the most common colour (0..1). */
  readonly inked: number;
}

export function summarisePng(file: string): PngSummary {
  const png = PNG.sync.read(fs.readFileSync(file));
  const counts = new Map<number, number>();
  for (let i = 0; i < png.data.length; i += 4) {
    const rgb = ((png.data[i] ?? 0) << 16) | ((png.data[i + 1] ?? 0) << 8) | (png.data[i + 2] ?? 0);
    if (counts.size < 4096 || counts.has(rgb)) counts.set(rgb, (counts.get(rgb) ?? 0) + 1);
  }
  const total = png.width * png.height;
  const top = Math.max(...counts.values());
  return { width: png.width, height: png.height, colours: counts.size, inked: total === 0 ? 0 : 1 - top / total };
}
