/**
 * .torrent files: reading an untrusted one, and making one of a folder. Both run in the
 * binding; neither needs a session.
 */
import { NativeError } from './native-error.js';
import { loadTorrentNative, type CreatedTorrent, type CreateTorrentOptions, type TorrentDescription } from './native.js';

/** What a parser of untrusted bytes returns: the value, or libtorrent's error. */
export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: NativeError };

/** Reads an untrusted .torrent file; returns the error rather than throwing it. */
export function parseTorrent(bytes: Uint8Array): ParseResult<TorrentDescription> {
  try {
    return { ok: true, value: loadTorrentNative().parseTorrent(bytes) };
  } catch (error) {
    if (error instanceof NativeError && error.code === 'ERR_LIBTORRENT') return { ok: false, error };
    throw error;
  }
}

/** Makes a hybrid v1+v2 torrent of a folder (hashing runs off the JS thread). */
export function createTorrent(folder: string, options: CreateTorrentOptions = {}): Promise<CreatedTorrent> {
  return loadTorrentNative().createTorrent(folder, options);
}
