/**
 * The one error class of the libtorrent binding. JS owns it, as better-sqlite3 owns its
 * SqliteError: the loader (native.ts) hands the class to the binding with
 * `setErrorConstructor`, and every failure the binding throws or reports in an alert is
 * built by it. So a synchronous libtorrent failure is an AppError like any other, and
 * reaches the user as its own message (app/messages.ts), not as "internal error".
 */
import { AppError } from '../core/errors.js';

/** What the binding passes to the constructor. */
export interface NativeErrorFields {
  /**
   * `ERR_LIBTORRENT` for libtorrent's error_code; the binding's own refusals carry their
   * own code (`ERR_SESSION_CLOSED`, `ERR_NO_TORRENT`, `ERR_NO_METADATA`,
   * `ERR_NO_EXTENSION`, `ERR_NOT_A_FOLDER`, `ERR_UNSAFE_NAME`, `ERR_EMPTY_FOLDER`).
   */
  readonly code: string;
  /** libtorrent's error category (`libtorrent`, `bdecode`, `system`, …), or `swarmpress`. */
  readonly category: string;
  /** The error_code's value in its category (0 for the binding's own refusals). */
  readonly value: number;
  /** The libtorrent operation that failed, e.g. `add_torrent`, `read_session_params`. */
  readonly operation: string;
  readonly message: string;
}

/** A failure of libtorrent or of the binding, with libtorrent's own figures. */
export class NativeError extends AppError {
  readonly category: string;
  readonly value: number;
  readonly operation: string;

  constructor(fields: NativeErrorFields) {
    super(fields.code, fields.message);
    this.category = fields.category;
    this.value = fields.value;
    this.operation = fields.operation;
  }
}
