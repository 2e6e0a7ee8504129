/**
 * The presenters of the window's two forms (widgets/form-dialog.ts):
 * - Edit → Settings: the cache budget (MB), upload and download limits (KB/s, 0 = no limit)
 *   whether what is read is seeded, whether the block list is published and which sites the
 *   LAN hears of. The values typed are checked first — a bad one gets
 *   a message naming it and changes nothing — then saved in the data folder's settings.json
 *   (every node of the folder starts with them) and applied to the running node at once.
 * - File → New site: a name (as `swarmpress publish DIR --site NAME` takes it) and a title;
 *   the site's folder is made in the data folder and its first version published.
 *
 * Threading: JS thread only. The dialogs close themselves; `onClosed` reports it.
 */
import type { Qt } from '../render/nodegui-subset.js';
import { toHex } from '../core/bytes.js';
import { checkSettings, readSettings, type LanAnnounce, type NodeSettings } from '../store/settings-file.js';
import { FormDialog } from '../widgets/form-dialog.js';
import type { AppNode } from './app-node.js';
import { presentError } from './messages.js';
import { createSite } from './site-pages.js';

/** `message` as a sentence (the node's messages start in lower case, for "swarmpress: …"). */
function sentence(message: string): string {
  const text = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** The choices of "Announce on the local network", as the settings dialog shows them. */
const LAN_ANNOUNCE_LABELS: Readonly<Record<LanAnnounce, string>> = {
  'own-and-followed': 'My sites and the sites I follow',
  own: 'My sites only',
  nothing: 'Nothing (still find and read from neighbours)',
};

/** A whole number typed in a field, or why it is not one. */
function wholeNumber(text: string, what: string): number | string {
  const trimmed = text.trim();
  if (!/^\d{1,10}$/.test(trimmed)) return `${what} must be a whole number (digits only), not '${text}'. Nothing was changed.`;
  return Number(trimmed);
}

/** The settings the form's values say, or the message for the first bad value. */
export function settingsFromForm(values: Readonly<Record<string, string | boolean>>): NodeSettings | string {
  const budget = wholeNumber(String(values['cacheBudgetMb'] ?? ''), 'The cache budget');
  if (typeof budget === 'string') return budget;
  const upload = wholeNumber(String(values['uploadKBps'] ?? ''), 'The upload limit');
  if (typeof upload === 'string') return upload;
  const download = wholeNumber(String(values['downloadKBps'] ?? ''), 'The download limit');
  if (typeof download === 'string') return download;
  const checked = checkSettings({ cacheBudgetMb: budget, uploadKBps: upload, downloadKBps: download, seedReads: values['seedReads'] === true, publishBlockList: values['publishBlockList'] === true, lanAnnounce: values['lanAnnounce'] ?? 'own-and-followed' });
  if (!checked.ok) return `${sentence(checked.error.message)} Nothing was changed.`;
  return checked.value;
}

/** Opens Edit → Settings on the settings of `dataDir`. */
export function openSettingsDialog(
  qt: Qt,
  options: { appNode: AppNode; dataDir: string; onApplied: (message: string) => void; onClosed: () => void },
): FormDialog {
  const { settings, problem } = readSettings(options.dataDir);
  const dialog = new FormDialog(qt, {
    name: 'settings',
    title: 'Settings — swarmpress',
    intro: `These apply to this app and to 'swarmpress serve' on the same data folder (${options.dataDir}).${problem === undefined ? '' : ` ${problem}.`}`,
    fields: [
      { kind: 'text', name: 'cacheBudgetMb', label: 'Cache budget (MB)', value: String(settings.cacheBudgetMb), hint: 'Sites you read are kept up to this size; beyond it the farthest and oldest go first. Your own and followed sites are always kept. A site larger than this is not downloaded.' },
      { kind: 'text', name: 'uploadKBps', label: 'Upload limit (KB/s, 0 = unlimited)', value: String(settings.uploadKBps) },
      { kind: 'text', name: 'downloadKBps', label: 'Download limit (KB/s, 0 = unlimited)', value: String(settings.downloadKBps) },
      { kind: 'check', name: 'seedReads', label: 'Seed what I read (share the sites I read with other readers)', value: settings.seedReads, hint: 'Your own sites are always seeded.' },
      { kind: 'check', name: 'publishBlockList', label: 'Publish my block list (with my sites, for others to subscribe to)', value: settings.publishBlockList, hint: 'Included the next time you publish.' },
      {
        kind: 'choice',
        name: 'lanAnnounce',
        label: 'Announce on the local network',
        value: settings.lanAnnounce,
        choices: Object.entries(LAN_ANNOUNCE_LABELS).map(([value, label]) => ({ value, label })),
        hint: 'Everyone on your network hears which sites this app announces (their address and title). Sites you only read are never announced; follow a site to share it.',
      },
    ],
    submitText: 'Save',
    onSubmit: async (values) => {
      const chosen = settingsFromForm(values);
      if (typeof chosen === 'string') return chosen;
      try {
        const { evicted } = await options.appNode.applySettings(options.dataDir, chosen);
        options.onApplied(`Settings saved: cache ${chosen.cacheBudgetMb} MB, upload ${chosen.uploadKBps === 0 ? 'unlimited' : `${chosen.uploadKBps} KB/s`}, download ${chosen.downloadKBps === 0 ? 'unlimited' : `${chosen.downloadKBps} KB/s`}, ${chosen.seedReads ? 'seeding what you read' : 'not seeding what you read'}, announcing ${chosen.lanAnnounce === 'nothing' ? 'no site' : chosen.lanAnnounce === 'own' ? 'your sites only' : 'your sites and followed ones'} on the local network${evicted > 0 ? `; ${evicted} cached version${evicted === 1 ? '' : 's'} removed to fit the budget` : ''}.`);
        return undefined;
      } catch (error) {
        return sentence(`The settings were not saved: ${presentError(error).message}`);
      }
    },
    onClosed: options.onClosed,
  });
  dialog.show();
  return dialog;
}

/** Opens File → New site; `onCreated` gets the new site's address. */
export function openNewSiteDialog(
  qt: Qt,
  options: { appNode: AppNode; onCreated: (name: string, url: string) => void; onClosed: () => void },
): FormDialog {
  const dialog = new FormDialog(qt, {
    name: 'new-site',
    title: 'New site — swarmpress',
    intro: 'A new site has an address of its own; you choose it when you write a post. Its folder is made in the data folder.',
    fields: [
      { kind: 'text', name: 'name', label: 'Name (lower-case letters, digits, - or _)', value: '' },
      { kind: 'text', name: 'title', label: 'Title', value: '' },
    ],
    submitText: 'Create and publish',
    onSubmit: async (values) => {
      const name = String(values['name'] ?? '').trim();
      const title = String(values['title'] ?? '');
      try {
        const result = await createSite(await options.appNode.start(), name, title);
        options.onCreated(name, `bittorrent://${toHex(result.key)}`);
        return undefined;
      } catch (error) {
        return sentence(presentError(error).message);
      }
    },
    onClosed: options.onClosed,
  });
  dialog.show();
  return dialog;
}
