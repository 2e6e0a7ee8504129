/**
 * `swarmpress identity show|export FILE|import FILE`: the author's identity in the data
 * folder (store/identity-file.ts has the rules).
 *
 * - `show` prints the public key (and the site address it names). With no identity yet
 *   it fails and says so: only creating one on purpose makes a new identity.
 * - `new` creates one, and refuses when the data folder has one (valid or not).
 * - `export FILE` writes a backup in the key file format (0600), checked by reading it
 *   back; an existing file only with `--force`, and never one that is not a backup of
 *   the same identity.
 * - `import FILE` installs a backup. Importing the identity already installed changes
 *   nothing. Replacing a different identity happens only if that one was exported first
 *   (otherwise it would be lost for good, and with it the sites it signs); the replaced
 *   key is kept in `keys/retired/`. A corrupt key file is kept aside and replaced.
 */
import fs from 'node:fs';
import { formatSiteMagnet } from '../../core/address.js';
import { AppError } from '../../core/errors.js';
import { toHex } from '../../core/bytes.js';
import { ensureDataDir, resolveDataDir } from '../../store/data-dir.js';
import { createIdentity, exportIdentity, hasIdentity, identityKeyPath, importIdentity, loadIdentity } from '../../store/identity-file.js';
import type { Command, CommonOptions } from '../cli.js';
import { EXIT_OK } from '../messages.js';
import type { Output } from '../output.js';

export function identity(command: Extract<Command, { name: 'identity' }>, common: CommonOptions, out: Output): number {
  const dataDir = ensureDataDir(resolveDataDir(common.dataDir));
  switch (command.action) {
    case 'show': {
      const publicKey = loadIdentity(dataDir).publicKey;
      const key = toHex(publicKey);
      out.print({ publicKey: key, url: `bittorrent://${key}`, magnet: formatSiteMagnet(publicKey), keyFile: identityKeyPath(dataDir) }, key);
      return EXIT_OK;
    }
    case 'new': {
      if (hasIdentity(dataDir)) {
        throw new AppError('ERR_IDENTITY_EXISTS', `this data folder has an identity already (${identityKeyPath(dataDir)}): a new one would orphan the sites it signs; use another --data-dir for a second identity`);
      }
      const publicKey = createIdentity(dataDir).publicKey;
      const key = toHex(publicKey);
      out.print(
        { event: 'created', publicKey: key, url: `bittorrent://${key}`, keyFile: identityKeyPath(dataDir) },
        `created identity ${key}\nback it up with 'swarmpress identity export FILE': without it you cannot update your sites`,
      );
      return EXIT_OK;
    }
    case 'export': {
      const file = command.file ?? '';
      if (!command.force && fs.existsSync(file)) throw new AppError('ERR_FILE_EXISTS', `${file} exists: choose another file name, or add --force to overwrite it (a key file of another identity is never overwritten)`);
      const key = toHex(exportIdentity(dataDir, file).publicKey);
      out.print({ publicKey: key, file }, `exported identity ${key} to ${file}; keep it private: anyone who has it can publish as you`);
      return EXIT_OK;
    }
    case 'import': {
      const report = importIdentity(dataDir, command.file ?? '');
      const key = toHex(report.identity.publicKey);
      const human = !report.changed
        ? `identity ${key} is already this data folder's identity; nothing changed`
        : `imported identity ${key}${report.keptOldKeyAt === undefined ? '' : `; the key it replaced is kept in ${report.keptOldKeyAt}`}`;
      out.print({ publicKey: key, changed: report.changed, ...(report.keptOldKeyAt === undefined ? {} : { keptOldKeyAt: report.keptOldKeyAt }) }, human);
      return EXIT_OK;
    }
  }
}
