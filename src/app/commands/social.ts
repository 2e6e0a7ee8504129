/**
 * The commands about whom the user reads and whom they do not want to see:
 * `follow|unfollow|block|unblock URL-or-KEY`, `mute|unmute URL-or-KEY` (hidden from what is
 * shown, still stored and seeded) and `block-list subscribe|unsubscribe|list|publish`
 * (core/block-list.ts; the node applies subscribed lists, node/upkeep.ts `applyBlockList`).
 */
import { parseAddress } from '../../core/address.js';
import { bytesEqual, fromHex, toHex } from '../../core/bytes.js';
import { AppError, UsageError } from '../../core/errors.js';
import type { SiteNode } from '../../net/node/site-node.js';
import { readOwnSites } from '../../store/local-files.js';
import { readSettings, writeSettings } from '../../store/settings-file.js';
import type { Command } from '../cli.js';
import { EXIT_OK } from '../messages.js';
import type { Output } from '../output.js';

/** The site key a follow/unfollow/block (and the other social commands) names: 64 hex digits or a site address. */
export function siteKeyOf(target: string): Uint8Array {
  const key = fromHex(target.toLowerCase(), 32);
  if (key !== undefined) return key;
  const parsed = parseAddress(target);
  if (!parsed.ok) throw new UsageError(`'${target}' is neither a key (64 hex digits) nor an address: ${parsed.error.message}`);
  if (parsed.value.kind !== 'mutable') throw new UsageError('this address names one fixed version; follow, unfollow, block, mute and block lists take a site address or key');
  return parsed.value.publicKey;
}

export async function socialCommand(node: SiteNode, command: Extract<Command, { name: 'follow' | 'unfollow' | 'block' }>, out: Output, delegated: boolean): Promise<number> {
  const key = siteKeyOf(command.target);
  const hex = toHex(key);
  const store = node.store;
  switch (command.name) {
    case 'follow': {
      store.noteSite({ key, origin: 'follow' });
      const changed = store.follow('site', key);
      out.print({ event: 'followed', key: hex, changed }, changed ? `following ${hex}` : `already following ${hex}`);
      if (delegated) {
        void node.refresh(key).catch(() => undefined);
      } else {
        try {
          const seq = await node.refresh(key, { timeoutMs: 15_000 });
          if (seq !== undefined) out.note(`fetched version ${seq.toString()}`);
        } catch (error) {
          out.note(`not fetched now (${(error as Error).message}); the running node fetches it later`);
        }
      }
      return EXIT_OK;
    }
    case 'unfollow': {
      const changed = store.unfollow('site', key);
      out.print({ event: 'unfollowed', key: hex, changed }, changed ? `no longer following ${hex}` : `${hex} was not followed`);
      return EXIT_OK;
    }
    case 'block': {
      const blockedSite = store.block('site', key);
      const changed = store.block('author', key) || blockedSite;
      store.unfollow('site', key);
      const dropped = await node.dropSite(key);
      out.print({ event: 'blocked', key: hex, changed, stoppedSeeding: dropped }, `blocked ${hex}: it is not shown, fetched or seeded${dropped > 0 ? ` (stopped seeding ${dropped} version${dropped === 1 ? '' : 's'})` : ''}`);
      return EXIT_OK;
    }
  }
}


export function muteCommand(node: SiteNode, command: Extract<Command, { name: 'unblock' | 'mute' | 'unmute' }>, out: Output): Promise<number> {
  const key = siteKeyOf(command.target);
  const hex = toHex(key);
  const store = node.store;
  switch (command.name) {
    case 'unblock': {
      const changed = [store.unblock('site', key), store.unblock('author', key)].some(Boolean);
      const still = store.isBlocked(key);
      out.print({ event: 'unblocked', key: hex, changed, stillBlockedByList: still },
        `${changed ? `unblocked ${hex}` : `${hex} was not blocked by you`}${still ? ' (a block list you subscribe to still blocks it)' : ''}`);
      break;
    }
    case 'mute': {
      const changed = store.mute(key);
      out.print({ event: 'muted', key: hex, changed }, changed ? `muted ${hex}: it is not shown, but still stored and seeded` : `${hex} was already muted`);
      break;
    }
    case 'unmute': {
      const changed = store.unmute(key);
      out.print({ event: 'unmuted', key: hex, changed }, changed ? `unmuted ${hex}` : `${hex} was not muted`);
      break;
    }
  }
  return Promise.resolve(EXIT_OK);
}

/** The user's author key and own site keys: what no block list may block, and whose list one cannot subscribe to. */
function ownKeys(node: SiteNode): Uint8Array[] {
  return [node.author().publicKey, ...node.store.sites().filter((site) => site.isOwn).map((site) => site.key)];
}

export async function blockListCommand(node: SiteNode, command: Extract<Command, { name: 'block-list' }>, out: Output): Promise<number> {
  const store = node.store;
  switch (command.action) {
    case 'subscribe': {
      const key = siteKeyOf(command.target ?? '');
      const hex = toHex(key);
      if (ownKeys(node).some((own) => bytesEqual(own, key))) throw new UsageError(`${hex} is your own site: your own blocks apply already`);
      if (store.isBlocked(key)) throw new AppError('ERR_BLOCKED', `${hex} is blocked: unblock it before subscribing to its block list`);
      store.noteSite({ key, origin: 'block-list' });
      const changed = store.subscribeBlockList(key);
      try {
        await node.refresh(key, { timeoutMs: 15_000 });
      } catch (error) {
        out.note(`the list's site was not fetched now (${(error as Error).message}); a running node fetches it later`);
      }
      const outcome = await node.applyBlockList(key);
      const what = outcome.applied ? `${outcome.entries} block${outcome.entries === 1 ? '' : 's'}` : 'nothing applied yet';
      out.print({ event: 'subscribed', key: hex, changed, ...outcome },
        `subscribed to the block list of ${hex}: ${what}${outcome.problem === undefined ? '' : ` (${outcome.problem})`}`);
      return EXIT_OK;
    }
    case 'unsubscribe': {
      const key = siteKeyOf(command.target ?? '');
      const hex = toHex(key);
      const changed = store.unsubscribeBlockList(key);
      out.print({ event: 'unsubscribed', key: hex, changed }, changed ? `no longer using the block list of ${hex}` : `the block list of ${hex} was not subscribed`);
      return EXIT_OK;
    }
    case 'list': {
      const { settings } = readSettings(node.dataDir);
      out.print({ event: 'publishing', on: settings.publishBlockList, blocks: store.blocks().filter((entry) => entry.listKey === undefined).length },
        `your block list is ${settings.publishBlockList ? 'published with your sites' : 'not published'}`);
      for (const list of store.blockListStatus()) {
        const data = {
          event: 'block-list', key: toHex(list.listKey), entries: list.entries, since: new Date(list.sinceMs).toISOString(),
          checked: list.checkedMs === undefined ? undefined : new Date(list.checkedMs).toISOString(), problem: list.problem,
        };
        out.print(data, `${data.key}  ${list.entries} block${list.entries === 1 ? '' : 's'}${list.checkedMs === undefined ? ', not read yet' : ''}${list.problem === undefined ? '' : ` — ${list.problem}`}`);
      }
      return EXIT_OK;
    }
    case 'publish': {
      const { settings, problem } = readSettings(node.dataDir);
      if (problem !== undefined) throw new AppError('ERR_SETTINGS', `${problem}; fix or remove the file first (nothing was changed)`);
      const on = command.target === 'on';
      writeSettings(node.dataDir, { ...settings, publishBlockList: on });
      out.print({ event: 'block-list-publishing', on }, on ? 'your block list is published with your sites' : 'your block list is no longer published');
      // The sites published from a folder get a version with (or without) the list now.
      for (const site of readOwnSites(node.dataDir)) {
        try {
          const result = await node.publish(site.source, site.name);
          out.print({ event: result.unchanged ? 'unchanged' : 'published', site: site.name, url: `bittorrent://${toHex(result.key)}`, seq: result.seq.toString(), infohash: toHex(result.infohash) },
            result.unchanged ? `${site.name}: unchanged` : `${site.name}: published version ${result.seq.toString()}`);
        } catch (error) {
          out.note(`${site.name} was not republished (${(error as Error).message}); it gets the change when you next publish it`);
        }
      }
      return EXIT_OK;
    }
  }
}
