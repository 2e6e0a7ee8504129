/**
 * Return-path checks of LAN neighbours (issue #25 item 9). An mDNS packet's source address
 * is whatever its sender wrote — a raw socket writes any — so a neighbour heard over
 * mDNS is only connected to once it showed it is at that address: a query with a random
 * id for the neighbour's own instance goes by unicast to that address, and only a node
 * there that announced that instance answers it, by unicast, with the same id and its
 * port ({@link CONFIRM_TIMEOUT_MS}). A host that never sent the packet does not answer,
 * and a spoofer elsewhere on the LAN does not see the query (nor guess its id within the
 * per-source rate limit of responses).
 *
 * The other side, answering such a query, is {@link isCheckOf} plus a unicast reply
 * (lan.ts). Ownership: the LanDiscovery that sends owns this; `close()` settles every
 * check under way as failed.
 */
import { randomBytes } from 'node:crypto';
import type { LanPeer } from './lan-peers.js';

/** How long a neighbour has to answer a check; a LAN round trip is about a millisecond. */
export const CONFIRM_TIMEOUT_MS = 2000;
/** A neighbour that did not answer is asked again after this long at the earliest. */
export const CONFIRM_RETRY_MS = 10_000;

export interface PathChecksOptions {
  /** Sends the query `id` for `domain`'s SRV record to `host` (mDNS port); `done` gets a send error. */
  readonly send: (id: number, domain: string, host: string, done: (error: Error | null) => void) => void;
  /** A check failed (counted by the caller). */
  readonly onFailed: () => void;
}

interface Check {
  readonly host: string;
  readonly domain: string;
  readonly port: number;
  readonly settle: (ok: boolean) => void;
}

/** Whether query `packet` is a check of instance `domain` (a non-zero id and a question for it); its id if so. */
export function isCheckOf(packet: { id?: unknown; questions: readonly unknown[] }, domain: string): number | undefined {
  const id = packet.id;
  if (typeof id !== 'number' || id === 0) return undefined;
  const asked = packet.questions.some((question) => {
    const name = typeof question === 'object' && question !== null ? (question as { name?: unknown }).name : undefined;
    return typeof name === 'string' && name.toLowerCase() === domain;
  });
  return asked ? id : undefined;
}

export class PathChecks {
  readonly #options: PathChecksOptions;
  /** Checks under way, by DNS message id. */
  readonly #checks = new Map<number, Check>();
  /** Results by peer id and port: passed, under way, or failed (until retried). */
  readonly #results = new Map<string, Promise<boolean>>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #closed = false;

  constructor(options: PathChecksOptions) {
    this.#options = options;
  }

  /** Whether `peer` answered a check from its source address; passed checks are kept while it lives. Never rejects. */
  confirm(peer: LanPeer): Promise<boolean> {
    const key = `${peer.id} ${peer.port}`;
    const known = this.#results.get(key);
    if (known !== undefined) return known;
    const result = new Promise<boolean>((resolve) => {
      if (this.#closed || this.#checks.size >= 0xffff) {
        resolve(false);
        return;
      }
      let id = 0;
      while (id === 0 || this.#checks.has(id)) id = randomBytes(2).readUInt16BE(0);
      const timer = setTimeout(() => {
        settle(false);
      }, CONFIRM_TIMEOUT_MS);
      timer.unref();
      const settle = (ok: boolean): void => {
        clearTimeout(timer);
        if (!this.#checks.delete(id)) return;
        if (!ok) {
          this.#options.onFailed();
          this.#later(CONFIRM_RETRY_MS, () => {
            if (this.#results.get(key) === result) this.#results.delete(key);
          });
        }
        resolve(ok);
      };
      this.#checks.set(id, { host: peer.host, domain: peer.domain, port: peer.port, settle });
      this.#options.send(id, peer.domain, peer.host, (error) => {
        if (error !== null) settle(false);
      });
    });
    this.#results.set(key, result);
    return result;
  }

  /** A response arrived from `source`: it settles the check whose id it carries, if it came from that host and names its instance and port. */
  settle(packet: unknown, source: string): void {
    const id = typeof packet === 'object' && packet !== null ? (packet as { id?: unknown }).id : undefined;
    const check = typeof id === 'number' && id !== 0 ? this.#checks.get(id) : undefined;
    if (check === undefined || source !== check.host) return;
    const answers = (packet as { answers?: unknown }).answers;
    const passed = Array.isArray(answers) && answers.some((answer: unknown) => {
      if (typeof answer !== 'object' || answer === null) return false;
      const { name, type, data } = answer as { name?: unknown; type?: unknown; data?: unknown };
      const port = typeof data === 'object' && data !== null ? (data as { port?: unknown }).port : undefined;
      return type === 'SRV' && typeof name === 'string' && name.toLowerCase() === check.domain && port === check.port;
    });
    if (passed) check.settle(true);
  }

  /** A peer went: its results are forgotten. */
  forget(peer: LanPeer): void {
    for (const key of [...this.#results.keys()]) if (key.startsWith(`${peer.id} `)) this.#results.delete(key);
  }

  /** Settles every check under way as failed; no check starts after it. */
  close(): void {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    for (const check of [...this.#checks.values()]) check.settle(false);
  }

  #later(delayMs: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      action();
    }, delayMs);
    timer.unref();
    this.#timers.add(timer);
  }
}
