/**
 * Kiosk policy (`swarmpress --kiosk URL`, issue #22): a kiosk shows the one site it was
 * started with, and the sites it was told to allow (`--kiosk-allow`), and nothing else — a
 * link or an address to another site is refused with a word in the status line, so the
 * kiosk never shows, follows or seeds a site a visitor reached by clicking. After an idle
 * time without input (`--kiosk-idle SECONDS`) it goes back to its home page.
 *
 * Pure but for the timer of `startIdleReturn`, whose clock and input source are passed in
 * (the window passes Qt's input watch, qt-runtime.ts inputIdleMs).
 */
import { parseTypedAddress, type SwarmAddress } from '../core/address.js';
import { toHex } from '../core/bytes.js';

/** Idle time before a kiosk returns home when none is given: 2 minutes. */
export const DEFAULT_KIOSK_IDLE_S = 120;
/** Largest idle time accepted: a day. */
export const MAX_KIOSK_IDLE_S = 86_400;

/** What names a site for the kiosk: its key and salt, or a fixed version's infohash. */
function siteOf(address: SwarmAddress): string | undefined {
  if (address.kind === 'mutable') return `key:${toHex(address.publicKey)}:${toHex(address.salt)}`;
  if (address.infohash !== undefined) return `ih:${toHex(address.infohash)}`;
  return address.infohashV2 === undefined ? undefined : `ih2:${toHex(address.infohashV2)}`;
}

/** Which addresses a kiosk opens. */
export class KioskPolicy {
  /** The address the kiosk was started with (its home page). */
  readonly home: string;
  readonly #sites: ReadonlySet<string>;

  /**
   * `home`: the address the kiosk shows first and returns to; `allowed`: more sites (any
   * address of each) it may show. Throws TypeError for an address that does not parse.
   */
  constructor(home: string, allowed: readonly string[] = []) {
    const sites = new Set<string>();
    for (const address of [home, ...allowed]) {
      const parsed = parseTypedAddress(address);
      if (!parsed.ok) throw new TypeError(`not a swarm address: ${address} (${parsed.error.message})`);
      const site = siteOf(parsed.value);
      if (site !== undefined) sites.add(site);
    }
    this.home = home;
    this.#sites = sites;
  }

  /** Whether the kiosk may open `address` (a page of its own site or of an allowed one). */
  allows(address: string): boolean {
    const parsed = parseTypedAddress(address);
    if (!parsed.ok) return false;
    const site = siteOf(parsed.value);
    return site !== undefined && this.#sites.has(site);
  }

  /** What the status line says when `address` is refused. */
  refusal(address: string): string {
    return `This kiosk shows only its own site${this.#sites.size > 1 ? 's' : ''}: ${address} was not opened.`;
  }
}

/** Parses `--kiosk-idle SECONDS`: a whole number of seconds, 0 (never) up to a day. */
export function parseKioskIdle(text: string): number | string {
  if (!/^[0-9]{1,6}$/.test(text)) return `--kiosk-idle expects a whole number of seconds, not '${text}'`;
  const seconds = Number(text);
  if (seconds > MAX_KIOSK_IDLE_S) return `--kiosk-idle is at most ${MAX_KIOSK_IDLE_S} seconds (a day), not ${seconds}`;
  return seconds;
}

export interface IdleReturnOptions {
  /** Idle time in milliseconds; 0 never returns. */
  readonly idleMs: number;
  /** Milliseconds since the last input (keyboard, mouse, touch); asked once at start, then when the timer fires. */
  readonly idleFor: () => number;
  /** The kiosk was idle for `idleMs`: go home (called again after each further `idleMs` of idleness). */
  readonly onIdle: () => void;
  readonly setTimer?: (run: () => void, ms: number) => unknown;
  readonly clearTimer?: (timer: unknown) => void;
}

/**
 * Calls `onIdle` once nobody used the kiosk for `idleMs`. One timer, re-armed for what is
 * left of the idle time when input came meanwhile: no wake-up per input event. Returns what
 * stops it.
 */
export function startIdleReturn(options: IdleReturnOptions): () => void {
  const { idleMs, idleFor, onIdle } = options;
  const setTimer = options.setTimer ?? ((run: () => void, ms: number): unknown => setTimeout(run, ms).unref());
  const clearTimer = options.clearTimer ?? ((timer: unknown): void => {
    clearTimeout(timer as NodeJS.Timeout);
  });
  if (idleMs <= 0) return () => undefined;
  // Asked once now: Qt's input watch starts with its first question (inputIdleMs), and a
  // watch started only when the timer first fired counted the whole idle time again.
  idleFor();
  let stopped = false;
  let timer: unknown;
  const check = (): void => {
    if (stopped) return;
    const idle = idleFor();
    if (idle >= idleMs) {
      onIdle();
      timer = setTimer(check, idleMs);
    } else {
      timer = setTimer(check, idleMs - idle);
    }
  };
  timer = setTimer(check, idleMs);
  return () => {
    stopped = true;
    clearTimer(timer);
  };
}
