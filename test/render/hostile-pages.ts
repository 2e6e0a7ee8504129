/**
 * The hostile-page corpus (issue #25 item 3): pages made to exhaust the window's memory,
 * each written into a folder of its own that is the page's site (pictures beside it).
 * Generated, not stored: each is a few lines of code and most are megabytes.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

/** One page of the corpus. */
export interface HostilePage {
  readonly name: string;
  /** The Markdown file, in its site folder. */
  readonly file: string;
  /** What it attacks, for messages. */
  readonly what: string;
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** Compressed pixels by size: distinct files of one size share them (they differ in a text chunk). */
const pixelData = new Map<string, Buffer>();

function bandedIdat(width: number, height: number): Buffer {
  const key = `${width}x${height}`;
  let idat = pixelData.get(key);
  if (idat === undefined) {
    const stride = 1 + width * 4;
    const rows: Buffer[] = [];
    for (let band = 0; band < 8; band++) {
      const row = Buffer.alloc(stride);
      row.fill(Buffer.from([(band * 32) & 255, 96, (255 - band * 32) & 255, 255]), 1);
      const count = Math.floor((height * (band + 1)) / 8) - Math.floor((height * band) / 8);
      for (let y = 0; y < count; y++) rows.push(row);
    }
    idat = zlib.deflateSync(Buffer.concat(rows), { level: 6 });
    pixelData.set(key, idat);
  }
  return idat;
}

/**
 * A true-colour PNG with alpha (Qt decodes it at 4 bytes a pixel) of `width` × `height`:
 * eight bands of colour, so that it compresses to a few tens of KB and still shows
 * something. `seed` makes distinct files of the same picture.
 */
export function bandedPng(width: number, height: number, seed = 0): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8 bits per channel, RGBA, deflate, adaptive filters, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('tEXt', Buffer.from(`Comment\0copy ${seed}`, 'latin1')),
    chunk('IDAT', bandedIdat(width, height)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function write(dir: string, name: string, files: Readonly<Record<string, string | Buffer>>): string {
  const site = path.join(dir, name);
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(site, file)), { recursive: true });
    fs.writeFileSync(path.join(site, file), content);
  }
  return path.join(site, 'index.md');
}

/**
 * Writes the corpus under `dir`. `scale` 1 is the reproductions at full size;
 * smaller scales (benchmark smoke runs) shrink every page in proportion.
 */
export function writeHostileCorpus(dir: string, scale = 1): HostilePage[] {
  const n = (count: number): number => Math.max(1, Math.round(count * scale));
  const pages: HostilePage[] = [];
  const add = (name: string, what: string, files: Readonly<Record<string, string | Buffer>>): void => {
    pages.push({ name, what, file: write(dir, name, files) });
  };
  const big = scale >= 1 ? bandedPng(8192, 2048) : bandedPng(1024, 256);
  add('one-png-many-times', `${n(200)} references to one ${big.length} byte PNG of 8192 × 2048`, {
    'index.md': `# One picture\n\n${Array.from({ length: n(200) }, (_, i) => `![copy ${i}](wide.png)\n`).join('\n')}`,
    'wide.png': big,
  });
  const distinct: Record<string, string | Buffer> = {};
  const count = n(120);
  for (let i = 0; i < count; i++) distinct[`p/${i}.png`] = bandedPng(scale >= 1 ? 2048 : 256, scale >= 1 ? 2048 : 256, i);
  distinct['index.md'] = `# Many pictures\n\n${Array.from({ length: count }, (_, i) => `![picture ${i}](p/${i}.png)\n`).join('\n')}`;
  add('many-pictures', `${count} distinct PNGs of 2048 × 2048`, distinct);
  const rows = n(120_000);
  add('long-table', `a table of ${rows} rows`, {
    'index.md': `# A long table\n\n|n|x|\n|-|-|\n${Array.from({ length: rows }, (_, i) => `|${i % 1000}|x|\n`).join('')}`,
  });
  add('deep-nesting', 'quotes, lists and emphasis nested thousands deep', {
    'index.md': `${'> '.repeat(n(5000))}quoted\n\n${Array.from({ length: n(2000) }, (_, i) => `${'  '.repeat(i)}- item ${i}`).join('\n')}\n\n${'*a **b '.repeat(n(3000))}\n`,
  });
  add('huge-lines', 'a paragraph and a code line of a megabyte each', {
    'index.md': `# Huge lines\n\n${'word '.repeat(n(200_000))}\n\n\`\`\`\n${'x'.repeat(n(900_000))}\n\`\`\`\n`,
  });
  return pages;
}
