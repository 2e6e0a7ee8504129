/**
 * `swarmpress serve`: the headless node. It runs until SIGINT or SIGTERM and logs one line
 * per event. Seeding, following and re-putting records come with issues #3 and #7; today
 * the node opens its data folder, loads libtorrent and waits.
 */
import { libtorrentVersion } from '../../net/native.js';
import { ensureDataDir, resolveDataDir } from '../../store/data-dir.js';
import type { CommonOptions } from '../cli.js';
import { EXIT_OK } from '../messages.js';
import type { Output } from '../output.js';

export async function serve(common: CommonOptions, out: Output): Promise<number> {
  // Signals first: a Ctrl-C right after "started" must stop the node, not kill it.
  let stop: (signal: NodeJS.Signals) => void = () => undefined;
  const stopped = new Promise<NodeJS.Signals>((resolve) => {
    // An interval with nothing to do keeps libuv alive; the signals end the wait.
    const keepAlive = setInterval(() => undefined, 2 ** 30);
    stop = (signal) => {
      clearInterval(keepAlive);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  try {
    const dataDir = ensureDataDir(resolveDataDir(common.dataDir));
    const version = libtorrentVersion();
    out.print(
      { event: 'started', dataDir, libtorrent: version.runtime, pid: process.pid },
      `swarmpress node started (pid ${process.pid}): data in ${dataDir}, libtorrent ${version.runtime}; Ctrl-C stops it`,
    );
    out.print(
      { event: 'notice', message: 'seeding and following arrive with issues #3 and #7' },
      'nothing to seed or follow yet: seeding and following arrive with issues #3 and #7',
    );
  } catch (error) {
    stop('SIGTERM');
    throw error;
  }
  const signal = await stopped;
  out.print({ event: 'stopped', signal }, `swarmpress node stopped (${signal})`);
  return EXIT_OK;
}
