/**
 * The author's identity for publishing, made on first use only in a data folder that has
 * never published (issue #25 item 4). A data folder that has published (its own sites,
 * its outbox, its kept own records) and lost its key must get the same key back: a new
 * one would put the user's sites out under new addresses at seq 0, without a word, and
 * readers of the old address would never see them again. So it is refused, with the
 * command that restores a backup.
 */
import type { Identity } from '../core/identity.js';
import { createIdentity, hasIdentity, identityKeyPath, loadIdentity } from './identity-file.js';
import { readKeptDecisions } from './kept-state.js';
import { readOwnSites } from './local-files.js';
import type { Store } from './store.js';
import { StoreError } from './store-error.js';

/** What shows that the data folder `dataDir` (with its open `store`) has published, or undefined. */
export function publishedTrace(dataDir: string, store: Store): string | undefined {
  const names = readOwnSites(dataDir).map((site) => site.name);
  if (names.length > 0) return `it has published the site${names.length === 1 ? '' : 's'} ${names.map((name) => `'${name}'`).join(', ')}`;
  const own = store.sites().filter((site) => site.isOwn).length + (readKeptDecisions(dataDir)?.ownSites.length ?? 0);
  if (own > 0) return 'its index and kept decisions name sites of its own';
  const pending = store.pendingPublishes().length;
  if (pending > 0) return `its outbox holds ${pending} record${pending === 1 ? '' : 's'} signed here`;
  return undefined;
}

/**
 * The identity of `dataDir`, created if there is none and the data folder has never
 * published. Throws StoreError `ERR_KEY_FILE_MISSING` with the restore command when it
 * has published, and loadIdentity's errors for a bad key file.
 */
export function authorIdentity(dataDir: string, store: Store): Identity {
  if (hasIdentity(dataDir)) return loadIdentity(dataDir);
  const trace = publishedTrace(dataDir, store);
  if (trace !== undefined) {
    throw new StoreError(
      'ERR_KEY_FILE_MISSING',
      `the identity key ${identityKeyPath(dataDir)} is missing, but this data folder has published (${trace}): a new key would put your sites out under new addresses; restore your key with 'swarmpress identity import FILE'`,
    );
  }
  return createIdentity(dataDir);
}
