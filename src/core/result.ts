/**
 * The result of decoding or validating untrusted data. Decoders in `core` never throw on
 * bad input: they return `{ ok: false, error }` with a stable `code` that callers switch on
 * and a `message` for humans. Throwing is kept for programmer errors (wrong argument types).
 */
/** Why a value from a peer or the disk was rejected. */
export interface Problem<Code extends string = string> {
  /** Stable, machine-readable code such as `ERR_BENCODE_TRUNCATED`. */
  readonly code: Code;
  /** What exactly is wrong, for logs and for the user. */
  readonly message: string;
}

/** Success with a value, or failure with a {@link Problem}. */
export type Result<T, Code extends string = string> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: Problem<Code> };

/** A successful result. */
export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

/** A failed result. */
export function fail<Code extends string>(code: Code, message: string): { readonly ok: false; readonly error: Problem<Code> } {
  return { ok: false, error: { code, message } };
}
