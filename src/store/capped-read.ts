/**
 * Reading a whole file that someone named, with a cap: only a regular file is read (a
 * device such as /dev/zero, a FIFO, a socket or a folder is refused before a byte is read;
 * a FIFO is opened non-blocking, so one that no program writes to does not hang), and it
 * is read in bounded steps, so a file that is or grows larger than the cap is refused
 * having read at most the cap and one step. `render /dev/zero` had read 10.7 GB in 20 s
 * (issue #25): statSync gives 0 bytes for a device, and readFileSync reads until memory ends.
 */
import fs from 'node:fs';
import { AppError } from '../core/errors.js';

/** Bytes read per call. */
const READ_CHUNK_BYTES = 1024 * 1024;

/**
 * The bytes of `file`, at most `maxBytes` of them. Throws AppError ERR_FILE with a message
 * naming the file (and `limit`, e.g. 'the limit of a post', when given) otherwise.
 */
export function readFileCapped(file: string, maxBytes: number, limit?: string): Buffer {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) throw new RangeError(`maxBytes must be a whole number of bytes, not ${maxBytes}`);
  const tooLarge = (): AppError => new AppError('ERR_FILE', `${file} is larger than ${maxBytes} bytes${limit === undefined ? '' : `, ${limit}`}`);
  const fail = (error: unknown): AppError => new AppError('ERR_FILE', `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'EIO'})`, { cause: error });
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (error) {
    throw fail(error);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new AppError('ERR_FILE', `${file} is not a file (a device, FIFO, socket or folder is not read)`);
    if (stat.size > maxBytes) throw tooLarge();
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK_BYTES, maxBytes + 1 - length));
      const read = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      length += read;
      if (length > maxBytes) throw tooLarge();
    }
    return Buffer.concat(chunks, length);
  } catch (error) {
    throw error instanceof AppError ? error : fail(error);
  } finally {
    fs.closeSync(fd);
  }
}
