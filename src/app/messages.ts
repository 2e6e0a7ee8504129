/**
 * The one table from error codes to what a user sees and the process's exit code.
 */
import { AppError } from '../core/errors.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_NOT_AVAILABLE = 3;

interface Presentation {
  readonly exitCode: number;
  /** What to do about it, appended to the message. */
  readonly hint?: string;
}

const TABLE: Readonly<Record<string, Presentation>> = {
  ERR_USAGE: { exitCode: EXIT_USAGE },
  ERR_NOT_AVAILABLE: { exitCode: EXIT_NOT_AVAILABLE },
  ERR_QT_RUNTIME_MISSING: { exitCode: EXIT_FAILED, hint: "build it with 'make build'" },
  ERR_NATIVE_MISSING: { exitCode: EXIT_FAILED, hint: "build it with 'make build'" },
  ERR_DATA_DIR: { exitCode: EXIT_FAILED, hint: 'choose another one with --data-dir' },
  ERR_FILE: { exitCode: EXIT_FAILED },
  ERR_SOURCE: { exitCode: EXIT_FAILED },
  ERR_NOT_FOUND: { exitCode: EXIT_FAILED, hint: 'check the address, or try again when a node that has the site is online' },
  ERR_TIMEOUT: { exitCode: EXIT_FAILED, hint: 'no peer that has it answered in time; try again later or with a longer --timeout' },
  ERR_NODE_RUNNING: { exitCode: EXIT_FAILED },
  ERR_MERGE_UNAVAILABLE: { exitCode: EXIT_FAILED },
  ERR_BLOCKED: { exitCode: EXIT_FAILED },
  ERR_LAN_OPEN: { exitCode: EXIT_FAILED, hint: 'LAN discovery is off; --no-lan silences this' },
  ERR_LAN_SOCKET: { exitCode: EXIT_FAILED },
  ERR_LAN_SEND: { exitCode: EXIT_FAILED },
};

export interface UserMessage {
  readonly code: string;
  readonly message: string;
  readonly exitCode: number;
}

/** Turns any thrown value into the one line a user reads and an exit code. */
export function presentError(error: unknown): UserMessage {
  if (error instanceof AppError) {
    const entry = TABLE[error.code] ?? { exitCode: EXIT_FAILED };
    const message = entry.hint === undefined ? error.message : `${error.message}; ${entry.hint}`;
    return { code: error.code, message, exitCode: entry.exitCode };
  }
  const message = error instanceof Error ? `internal error: ${error.message}` : `internal error: ${String(error)}`;
  return { code: 'ERR_INTERNAL', message, exitCode: EXIT_FAILED };
}
