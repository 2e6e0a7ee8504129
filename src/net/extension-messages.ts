/**
 * The BEP 10 extension messages of a TorrentSession: sends and the reports of how many
 * peers they reached, messages and peers that arrived, and what was dropped because JS did
 * not keep up. The binding queues these apart from alerts; the session drains them on
 * every wake ({@link ExtensionMessages.drain}).
 *
 * Ownership: made and used by one TorrentSession (session.ts), which closes it.
 */
import { AppError } from '../core/errors.js';
import type { ExtensionEvent, NativeSession } from './native.js';
import type { Endpoint } from './session-settings.js';

/** The session's events about extension messages (part of SessionEvents). */
export interface ExtensionEvents {
  'extension-message': [ExtensionEvent & { readonly payload: Buffer }];
  'extension-peer': [ExtensionEvent];
  /** Extension messages dropped because JS did not keep up (a flooding peer). */
  'extension-dropped': [number];
}

/** Where the drained events go (the session, an EventEmitter of ExtensionEvents). */
export interface ExtensionSink {
  emit<K extends keyof ExtensionEvents>(event: K, ...args: ExtensionEvents[K]): boolean;
}

/** The extension messages of one session: TorrentSession's `sendExtension` calls {@link ExtensionMessages.send}. */
export class ExtensionMessages {
  readonly #native: NativeSession;
  readonly #isClosed: () => boolean;
  /** Sends waiting for their report; called with undefined when the session closes. */
  readonly #sentWaiters: ((event: ExtensionEvent | undefined) => boolean)[] = [];
  #dropped = 0;

  constructor(native: NativeSession, isClosed: () => boolean) {
    this.#native = native;
    this.#isClosed = isClosed;
  }

  /**
   * Sends a BEP 10 message to the peers of torrent `id` that speak our extension (all, or
   * one); resolves with how many were sent to.
   */
  send(id: string, payload: Uint8Array, peer?: Endpoint): Promise<number> {
    return new Promise((resolve, reject) => {
      if (this.#isClosed()) {
        reject(new AppError('ERR_SESSION_CLOSED', 'the session is closed'));
        return;
      }
      // Sent first: a send that throws leaves no waiter behind to take the report of a later
      // send (reports reach JS only in drain(), after this).
      if (peer === undefined) this.#native.sendExtension(id, payload);
      else this.#native.sendExtension(id, payload, peer.host, peer.port);
      this.#sentWaiters.push((event) => {
        if (event === undefined) {
          reject(new AppError('ERR_SESSION_CLOSED', 'the session was closed before the message was sent'));
          return true;
        }
        if (event.torrent !== id) return false;
        resolve(event.count ?? 0);
        return true;
      });
    });
  }

  /** Takes what the binding queued: emits messages, peers and drops on `sink`, settles sends. */
  drain(sink: ExtensionSink): void {
    const { events, dropped } = this.#native.drainExtensionEvents();
    for (const event of events) {
      if (event.type === 'message' && event.payload !== undefined) sink.emit('extension-message', { ...event, payload: event.payload });
      else if (event.type === 'peer') sink.emit('extension-peer', event);
      else {
        const index = this.#sentWaiters.findIndex((waiter) => waiter(event));
        if (index >= 0) this.#sentWaiters.splice(index, 1);
      }
    }
    if (dropped > this.#dropped) {
      sink.emit('extension-dropped', dropped - this.#dropped);
      this.#dropped = dropped;
    }
  }

  /** Rejects every send still waiting for its report: the session is closing. */
  closeAll(): void {
    for (const waiter of this.#sentWaiters.splice(0)) waiter(undefined);
  }
}
