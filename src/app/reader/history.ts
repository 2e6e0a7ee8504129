/**
 * The reader's history: the addresses shown, in order, and the version shown at each
 * (back and forward show that exact version again, from the store).
 */
import type { NavigationState } from '../../widgets/main-window.js';

export interface HistoryEntry {
  readonly address: string;
  /** The version shown there (back and forward show it again). */
  infohash?: Uint8Array;
}

export class History {
  readonly #entries: HistoryEntry[] = [];
  #index = -1;

  /** The entry shown now, if any. */
  get current(): HistoryEntry | undefined {
    return this.#entries[this.#index];
  }

  /** A new entry after the current one; the entries forward of it are dropped. */
  push(address: string): void {
    this.#entries.splice(this.#index + 1, this.#entries.length, { address });
    this.#index = this.#entries.length - 1;
  }

  /** Steps back; the entry now current, or undefined at the first. */
  back(): HistoryEntry | undefined {
    if (this.#index <= 0) return undefined;
    this.#index -= 1;
    return this.#entries[this.#index];
  }

  /** Steps forward; the entry now current, or undefined at the last. */
  forward(): HistoryEntry | undefined {
    if (this.#index >= this.#entries.length - 1) return undefined;
    this.#index += 1;
    return this.#entries[this.#index];
  }

  get navigation(): NavigationState {
    return { canBack: this.#index > 0, canForward: this.#index < this.#entries.length - 1 };
  }
}
