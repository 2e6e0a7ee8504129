/**
 * The requests of a TorrentSession waiting for the alert that answers them (added torrents,
 * DHT records, pieces, resume data): libtorrent's alerts are its only asynchronous output,
 * and the session hands each one it pops to {@link AlertWaiters.dispatch}.
 *
 * Ownership: the session that creates an AlertWaiters settles what is left in it when it
 * closes ({@link AlertWaiters.closeAll}).
 */
import { AppError } from '../core/errors.js';
import { isAlert, type RawAlert, type TypedAlert, type TypedAlertType } from './native.js';

/** The alert of type `T`, with its own fields. */
export type AlertOf<T extends TypedAlertType> = Extract<TypedAlert, { readonly type: T }>;

interface Waiter {
  readonly match: (alert: RawAlert) => boolean;
  readonly resolve: (alert: RawAlert) => void;
}

function timeoutError(what: string, ms: number): AppError {
  return new AppError('ERR_TIMEOUT', `${what} did not finish within ${ms} ms`);
}

/** The waiters of one session; `isClosed` says whether that session is closed. */
export class AlertWaiters {
  readonly #waiters = new Set<Waiter>();
  readonly #isClosed: () => boolean;

  constructor(isClosed: () => boolean) {
    this.#isClosed = isClosed;
  }

  /** {@link AlertWaiters.waitForAlert} for an alert of `type`, typed as that alert. */
  waitFor<T extends TypedAlertType>(type: T, match: (alert: AlertOf<T>) => boolean, what: string, timeoutMs: number, send?: () => void): Promise<AlertOf<T>> {
    return this.waitForAlert((a) => isAlert(a, type) && match(a), what, timeoutMs, send) as Promise<AlertOf<T>>;
  }

  /**
   * Waits for the alert `match` picks; `send`, the request into libtorrent that the alert
   * answers, is made once the waiter is in place (no alert can arrive before: alerts reach
   * JS only in the session's wake handler). The session closed, or `send` throwing, rejects
   * this promise and leaves nothing behind: a waiter created apart from its request would be
   * left to reject later with nobody awaiting it, and an unhandled rejection ends the process.
   */
  waitForAlert(match: (alert: RawAlert) => boolean, what: string, timeoutMs: number, send?: () => void): Promise<RawAlert> {
    return new Promise((resolve, reject) => {
      if (this.#isClosed()) {
        reject(new AppError('ERR_SESSION_CLOSED', 'the session is closed'));
        return;
      }
      const waiter: Waiter = {
        match,
        resolve: (alert) => {
          clearTimeout(timer);
          this.#waiters.delete(waiter);
          if (alert.type === 'session_closed') reject(new AppError('ERR_SESSION_CLOSED', `the session was closed before ${what} finished`));
          else resolve(alert);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(timeoutError(what, timeoutMs));
      }, timeoutMs);
      this.#waiters.add(waiter);
      try {
        send?.();
      } catch (error) {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** Settles every waiter that `alert` answers. */
  dispatch(alert: RawAlert): void {
    for (const waiter of [...this.#waiters]) {
      if (waiter.match(alert)) waiter.resolve(alert);
    }
  }

  /** Rejects every waiter with ERR_SESSION_CLOSED: the session is closing. */
  closeAll(): void {
    for (const waiter of [...this.#waiters]) waiter.resolve({ type: 'session_closed', category: 0, message: 'the session was closed' });
  }
}
