/**
 * The header check an image passes before Qt's decoders see a byte of it: the format by
 * its magic bytes (PNG, JPEG, GIF only), the dimensions read from the header, and caps on
 * both the file size and the pixel count (a 60,000 × 60,000 PNG of a few KB would
 * otherwise ask for 14 GB). Pure: bytes in, verdict out.
 */

export type ImageFormat = 'PNG' | 'JPEG' | 'GIF';

/** Largest image file decoded, in bytes. */
export const MAX_IMAGE_BYTES = 8 * 1024 * 1024;
/** Largest width or height decoded, in pixels. */
export const MAX_IMAGE_SIDE_PX = 8192;
/** Most pixels decoded (32-bit: 64 MiB once decoded). */
export const MAX_IMAGE_PIXELS = 16 * 1024 * 1024;
/** Bytes of the file's start that the check reads; enough for PNG and GIF, and JPEG with ordinary metadata. */
export const IMAGE_HEADER_BYTES = 256 * 1024;

export type ImageVerdict =
  | { readonly ok: true; readonly format: ImageFormat; readonly width: number; readonly height: number }
  | { readonly ok: false; readonly reason: string };

function refuse(reason: string): ImageVerdict {
  return { ok: false, reason };
}

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((value, index) => bytes[index] === value);
}

function u16be(bytes: Uint8Array, at: number): number {
  return ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0);
}

function u32be(bytes: Uint8Array, at: number): number {
  return (((bytes[at] ?? 0) << 24) >>> 0) + (((bytes[at + 1] ?? 0) << 16) | ((bytes[at + 2] ?? 0) << 8) | (bytes[at + 3] ?? 0));
}

function pngSize(bytes: Uint8Array): [number, number] | string {
  // PNG spec 5.3/11.2.2: the first chunk is IHDR (length 13), width and height big-endian.
  if (bytes.length < 24 || u32be(bytes, 8) !== 13 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') return 'the PNG header is damaged';
  return [u32be(bytes, 16), u32be(bytes, 20)];
}

function gifSize(bytes: Uint8Array): [number, number] | string {
  if (bytes.length < 10) return 'the GIF header is damaged';
  // GIF89a: logical screen width and height, little-endian, after the 6-byte signature.
  return [(bytes[6] ?? 0) | ((bytes[7] ?? 0) << 8), (bytes[8] ?? 0) | ((bytes[9] ?? 0) << 8)];
}

function jpegSize(bytes: Uint8Array): [number, number] | string {
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) return 'the JPEG header is damaged';
    const marker = bytes[at + 1] ?? 0;
    if (marker === 0xff) {
      at++;
      continue;
    }
    // Start-of-frame markers (ITU T.81 B.1.1.3) except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return [u16be(bytes, at + 7), u16be(bytes, at + 5)];
    }
    if (marker === 0xd9 || marker === 0xda) return 'the JPEG has no frame header';
    at += 2 + u16be(bytes, at + 2);
  }
  return 'the JPEG frame header is not near the start of the file';
}

/** Checks an image from the first bytes of its file and the file's full size. */
export function checkImageHeader(head: Uint8Array, fileBytes: number): ImageVerdict {
  if (fileBytes > MAX_IMAGE_BYTES) return refuse(`the image is larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MB`);
  let format: ImageFormat;
  let size: [number, number] | string;
  if (startsWith(head, PNG_MAGIC)) {
    format = 'PNG';
    size = pngSize(head);
  } else if (startsWith(head, [0xff, 0xd8, 0xff])) {
    format = 'JPEG';
    size = jpegSize(head);
  } else if (startsWith(head, [0x47, 0x49, 0x46, 0x38]) && (head[4] === 0x37 || head[4] === 0x39) && head[5] === 0x61) {
    format = 'GIF';
    size = gifSize(head);
  } else {
    return refuse('the file is not a PNG, JPEG or GIF image');
  }
  if (typeof size === 'string') return refuse(size);
  const [width, height] = size;
  if (width === 0 || height === 0) return refuse('the image has no pixels');
  if (width > MAX_IMAGE_SIDE_PX || height > MAX_IMAGE_SIDE_PX || width * height > MAX_IMAGE_PIXELS) {
    return refuse(`the image is too large (${width} × ${height} pixels)`);
  }
  return { ok: true, format, width, height };
}

/** Width and height of an image of `width` × `height` shown in a column `column` pixels wide (never enlarged). */
export function fitToColumn(width: number, height: number, column: number): { width: number; height: number } {
  if (width <= column) return { width, height };
  const scale = column / width;
  return { width: Math.max(1, Math.round(column)), height: Math.max(1, Math.round(height * scale)) };
}
