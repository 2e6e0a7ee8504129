/**
 * The mDNS socket of LAN discovery (lan.ts) as its parts use it: the multicast-dns
 * instance inside bonjour-service, checked at open; waiting for it to be ready; reading a
 * datagram's source; and what the parts share ({@link LanContext}).
 */
import { isIPv4 } from 'node:net';
import type { Bonjour } from 'bonjour-service';
import { AppError } from '../core/errors.js';

export const MDNS_PORT = 5353;

/** The parts of multicast-dns (reached through bonjour-service) that are used here. */
export interface Mdns {
  on(event: 'response' | 'query', listener: (packet: unknown, rinfo: unknown) => void): unknown;
  on(event: 'warning' | 'error', listener: (error: unknown) => void): unknown;
  once(event: 'ready', listener: () => void): unknown;
  once(event: 'error', listener: (error: unknown) => void): unknown;
  off(event: 'ready', listener: () => void): unknown;
  off(event: 'error' | 'warning', listener: (error: unknown) => void): unknown;
  listeners(event: 'query'): ((packet: unknown, rinfo: unknown) => void)[];
  removeAllListeners(event: 'query'): unknown;
  query(name: string, type: string, callback: (error: Error | null) => void): void;
  respond(records: unknown[] | { id: number; answers: unknown[] }, rinfo: ((error: Error | null) => void) | { address: string; port: number }, callback?: (error: Error | null) => void): void;
  send(message: { type: 'query'; id: number; questions: { name: string; type: string }[] }, rinfo: { address: string; port: number }, callback: (error: Error | null) => void): void;
}

/**
 * What the parts of one LanDiscovery share: its clock, whether it is closing, and where
 * refusals and failures are counted (`dropped`) and reported (`warning`).
 */
export interface LanContext {
  /** A monotonic clock in milliseconds. */
  readonly now: () => number;
  /** True once close() was called: nothing more is sent, answered or emitted. */
  readonly isClosing: () => boolean;
  /** Counts a refusal by code. */
  readonly drop: (code: string) => void;
  /** Counts a failure by code and emits it as a `warning` (unless closing). */
  readonly warn: (code: string, message: string) => void;
}

/**
 * The multicast-dns instance inside bonjour-service (`bonjour.server.mdns`, not part of
 * its typed API): checked here, so that a change of the library fails loudly at open.
 */
export function mdnsOf(bonjour: Bonjour): Mdns {
  const mdns = (bonjour as unknown as { server?: { mdns?: Record<string, unknown> } }).server?.mdns;
  for (const method of ['on', 'once', 'off', 'listeners', 'removeAllListeners', 'query', 'respond', 'send']) {
    if (typeof mdns?.[method] !== 'function') throw new AppError('ERR_LAN_LIBRARY', `bonjour-service has no server.mdns.${method}(): was it upgraded?`);
  }
  return mdns as unknown as Mdns;
}

/** The IPv4 source address of a datagram (multicast-dns's rinfo), if it has one. */
export function sourceOf(rinfo: unknown): string | undefined {
  const address = typeof rinfo === 'object' && rinfo !== null ? (rinfo as { address?: unknown }).address : undefined;
  return typeof address === 'string' && isIPv4(address) ? address : undefined;
}

/** The message of anything thrown or reported as an error. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Resolves when the socket is bound and in the group; rejects with ERR_LAN_OPEN when it
 * cannot be bound or, with `joinsInterface`, the interface cannot join the mDNS group.
 */
export function whenReady(mdns: Mdns, joinsInterface: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: unknown): void => {
      mdns.off('ready', onReady);
      mdns.off('error', onError);
      mdns.off('warning', onWarning);
      reject(new AppError('ERR_LAN_OPEN', `the mDNS socket could not be opened: ${messageOf(error)}`));
    };
    // An interface that cannot join 224.0.0.251 would hear nothing: fail rather than wait.
    const onWarning = (error: unknown): void => {
      if (joinsInterface && (error as { syscall?: unknown }).syscall === 'addMembership') onError(error);
    };
    const onReady = (): void => {
      mdns.off('error', onError);
      mdns.off('warning', onWarning);
      resolve();
    };
    mdns.once('ready', onReady);
    mdns.once('error', onError);
    mdns.on('warning', onWarning);
  });
}
