/**
 * What a node does with LAN discovery (DESIGN.md "LAN and fast updates", issue #8): it
 * announces the sites its node names (node/lan-join.ts: own and followed ones, never one
 * only read; issue #25 item 11) with their newest seq and the infohash of that version
 * (lan-notice.ts), and when a neighbour claims a newer seq of a site it carries, or of a
 * site it is asked for, it checks that the neighbour is at the address its packet came from
 * (lan-check.ts: a packet's source is forged at will), then joins the swarm the neighbour
 * names — downloading nothing (node/swarms.ts) — and connects to it there:
 * the BEP 10 handshake then makes the neighbour push its signed record (push.ts), which is
 * checked like any other. A claim is never believed: a neighbour that claims a seq it
 * cannot sign for costs one connection attempt and changes nothing.
 *
 * Ownership: a LanLink owns the LanDiscovery it opened and closes it (`close()`).
 */
import { decodeSitePointer } from '../core/bep46.js';
import { fromHex, toHex } from '../core/bytes.js';
import type { MutableRecord } from '../core/bep44.js';
import type { NoticeSite } from '../core/lan-notice.js';
import { LanDiscovery, type LanPeer } from './lan.js';
import type { Endpoint } from './session.js';

/** What the link needs of its node. */
export interface LanLinkNode {
  /** The sites to announce, most important first. */
  sites(): readonly Uint8Array[];
  /** Whether a site is carried (a version held, followed or own): a newer claim is worth a connection. */
  carries(key: Uint8Array): boolean;
  latestSigned(key: Uint8Array): MutableRecord | undefined;
  title(key: Uint8Array): string | undefined;
  /**
   * Joins the swarm of `infohash` (a hint: version of `key`, if a record says so) and of
   * every version of `key` held, and connects to `peer` there.
   */
  joinSwarm(key: Uint8Array, infohash: Uint8Array | undefined, peer: Endpoint): void;
}

/** A site announced on the LAN, as {@link LanLink.nearbySites} lists it. */
export interface NearbySite {
  /** The site key, 64 lower-case hex digits (as announced; checked by lan-notice.ts). */
  readonly key: string;
  /** The highest seq a neighbour claims. */
  readonly seq: bigint;
  /** A title a neighbour announced (unverified). */
  readonly title?: string;
  /** How many neighbours announce the site. */
  readonly nodes: number;
}

export interface LanLinkOptions {
  readonly node: LanLinkNode;
  /** The BitTorrent listen port to announce. */
  readonly port: number;
  /** The IPv4 address of the interface to use (in a namespace, its veth address). */
  readonly interfaceAddress?: string;
  readonly onWarning?: (message: string) => void;
  /** A handler of a neighbour's announcement failed (caught here: it never leaves the event loop's callback). */
  readonly onError?: (error: unknown) => void;
}

export class LanLink {
  readonly #node: LanLinkNode;
  readonly #lan: LanDiscovery;
  /** Sites asked for (`get` of a site not carried), by hex key, until they arrive. */
  readonly #wanted = new Set<string>();
  readonly #onError: (error: unknown) => void;

  private constructor(node: LanLinkNode, lan: LanDiscovery, onError: (error: unknown) => void) {
    this.#node = node;
    this.#lan = lan;
    this.#onError = onError;
    const handle = (peer: LanPeer): void => {
      // What a packet from the LAN triggers must not throw out of the socket's callback.
      try {
        this.#handlePeer(peer);
      } catch (error) {
        onError(error);
      }
    };
    lan.on('peer-up', handle);
    lan.on('peer-updated', handle);
  }

  /** Opens LAN discovery (rejects with `ERR_LAN_OPEN` when it cannot) and announces the node's sites. */
  static async open(options: LanLinkOptions): Promise<LanLink> {
    const lan = await LanDiscovery.open({ port: options.port, ...(options.interfaceAddress === undefined ? {} : { interfaceAddress: options.interfaceAddress }) });
    const link = new LanLink(options.node, lan, options.onError ?? ((error) => options.onWarning?.(`a LAN announcement was not handled: ${String(error)}`)));
    lan.on('warning', (error) => options.onWarning?.(error.message));
    link.advertise();
    return link;
  }

  get discovery(): LanDiscovery {
    return this.#lan;
  }

  /** Announces the node's sites again (after a new record); coalesced by LanDiscovery. */
  advertise(): void {
    const sites: NoticeSite[] = [];
    for (const key of this.#node.sites()) {
      const record = this.#node.latestSigned(key);
      if (record === undefined) continue;
      const pointer = decodeSitePointer(record.value);
      const title = this.#node.title(key);
      sites.push({
        key: toHex(key),
        seq: record.seq,
        ...(pointer.ok ? { infohash: toHex(pointer.value) } : {}),
        ...(title === undefined || title === '' ? {} : { title }),
      });
    }
    this.#lan.setSites(sites);
  }

  /**
   * Looks for site `key` on the LAN: every neighbour that announces it, now or later until
   * {@link forget}, is connected to in the swarm it names.
   */
  want(key: Uint8Array): void {
    this.#wanted.add(toHex(key));
    for (const peer of this.#lan.peers) this.#handlePeer(peer);
  }

  forget(key: Uint8Array): void {
    this.#wanted.delete(toHex(key));
  }

  /**
   * Where the neighbour at `host` listens for BitTorrent (the port it announced): a peer that
   * connected to us did so from a port of its own, where nothing listens.
   */
  endpointOf(host: string): Endpoint | undefined {
    for (const peer of this.#lan.peers) if (peer.host === host) return { host: peer.host, port: peer.port };
    return undefined;
  }

  /** The highest seq a neighbour claims for `key` (a claim, not a record). */
  claimedSeq(key: Uint8Array): bigint | undefined {
    const hex = toHex(key);
    let best: bigint | undefined;
    for (const peer of this.#lan.peers) {
      for (const site of peer.sites) if (site.key === hex && (best === undefined || site.seq > best)) best = site.seq;
    }
    return best;
  }

  /**
   * The sites LAN neighbours announce, one entry per site: the highest seq claimed, a title
   * if one was announced (unverified, display only) and how many neighbours announce it;
   * most announced first, then by key. Claims, not records: nothing here is verified.
   */
  nearbySites(): NearbySite[] {
    const sites = new Map<string, { key: string; seq: bigint; title?: string; nodes: number }>();
    for (const peer of this.#lan.peers) {
      for (const site of peer.sites) {
        const known = sites.get(site.key);
        if (known === undefined) {
          sites.set(site.key, { key: site.key, seq: site.seq, ...(site.title === undefined ? {} : { title: site.title }), nodes: 1 });
          continue;
        }
        known.nodes += 1;
        if (site.seq > known.seq) {
          known.seq = site.seq;
          if (site.title !== undefined) known.title = site.title;
        } else if (known.title === undefined && site.title !== undefined) {
          known.title = site.title;
        }
      }
    }
    return [...sites.values()].sort((x, y) => y.nodes - x.nodes || (x.key < y.key ? -1 : 1));
  }

  /** Calls `listener` whenever a neighbour comes, changes what it announces, or goes; returns what stops it. */
  onNeighboursChanged(listener: () => void): () => void {
    const lan = this.#lan;
    lan.on('peer-up', listener);
    lan.on('peer-updated', listener);
    lan.on('peer-down', listener);
    return () => {
      lan.off('peer-up', listener);
      lan.off('peer-updated', listener);
      lan.off('peer-down', listener);
    };
  }

  close(): Promise<void> {
    return this.#lan.close();
  }

  #handlePeer(peer: LanPeer): void {
    const joins: { key: Uint8Array; infohash: Uint8Array | undefined }[] = [];
    for (const site of peer.sites) {
      const key = fromHex(site.key, 32);
      if (key === undefined) continue;
      const wanted = this.#wanted.has(site.key);
      if (!wanted && !this.#node.carries(key)) continue;
      const known = this.#node.latestSigned(key)?.seq;
      if (known !== undefined && site.seq <= known) continue;
      joins.push({ key, infohash: site.infohash === undefined ? undefined : fromHex(site.infohash, 20) });
    }
    if (joins.length === 0) return;
    // Connect only to where the announcement really came from (issue #25 item 9): a packet's
    // source address is forged at will, and the node would connect to whatever host it names.
    void this.#lan.confirm(peer).then((confirmed) => {
      if (!confirmed) return;
      for (const join of joins) this.#node.joinSwarm(join.key, join.infohash, { host: peer.host, port: peer.port });
    }).catch(this.#onError);
  }
}
