/**
 * The typed contract of swarmpress's libtorrent binding (`swarmpress_torrent.node`,
 * native/src/torrent/). Nothing else imports the raw module. The full binding (sessions,
 * torrents, alerts, DHT records, extension messages) is issue #3.
 */
import { createRequire } from 'node:module';
import { AppError } from '../core/errors.js';

/** The libtorrent the binding was built against and the one it runs with. */
export interface LibtorrentVersion {
  /** `LIBTORRENT_VERSION` at compile time, e.g. "2.0.8.0". */
  readonly compiled: string;
  /** `lt::version()` of the shared library loaded now. */
  readonly runtime: string;
  readonly revision: string;
  readonly major: number;
  readonly minor: number;
  readonly tiny: number;
}

interface TorrentNative {
  readonly libtorrentVersion: LibtorrentVersion;
}

const MODULE_PATH = '../../../native/build/Release/swarmpress_torrent.node';

let native: TorrentNative | undefined;

/** Loads the binding once. Throws an AppError that says how to build it when it is missing. */
export function loadTorrentNative(): TorrentNative {
  if (native !== undefined) return native;
  try {
    native = createRequire(import.meta.url)(MODULE_PATH) as TorrentNative;
  } catch (error) {
    throw new AppError('ERR_NATIVE_MISSING', `the libtorrent binding could not be loaded (run 'make build'): ${String(error)}`, { cause: error });
  }
  return native;
}

/** Which libtorrent swarmpress runs with. */
export function libtorrentVersion(): LibtorrentVersion {
  return loadTorrentNative().libtorrentVersion;
}
