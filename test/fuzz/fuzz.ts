/**
 * Shared setup of the property/fuzz tests: time-boxed by default so that `make test`
 * stays quick (each property stops at its budget, passing if nothing failed by then);
 * `SWARMPRESS_FUZZ_RUNS=<n>` runs every property n times with no time limit, and
 * `SWARMPRESS_FUZZ_SEED=<seed>` replays a failure that fast-check reported.
 */
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { toBinaryString } from '../../src/core/bytes.js';
import type { BencodeValue } from '../../src/core/bencode.js';
import { MAX_BENCODE_INTEGER, MIN_BENCODE_INTEGER } from '../../src/core/bencode.js';

const RUNS = process.env['SWARMPRESS_FUZZ_RUNS'];
const SEED = process.env['SWARMPRESS_FUZZ_SEED'];
/** Longest a single input may take before the test calls it a hang (generous: the machine is shared). */
export const MAX_RUN_MS = 2000;

/** Checks `property` `defaultRuns` times within `budgetMs`, or as the environment says. */
export function fuzz<Ts extends [unknown, ...unknown[]]>(property: fc.IProperty<Ts>, defaultRuns: number, budgetMs: number): void {
  const runs = RUNS === undefined ? defaultRuns : Number(RUNS);
  if (!Number.isSafeInteger(runs) || runs <= 0) throw new RangeError('SWARMPRESS_FUZZ_RUNS must be a positive integer');
  fc.assert(property, {
    numRuns: runs,
    ...(SEED === undefined ? {} : { seed: Number(SEED) }),
    plugins: RUNS === undefined ? [fc.interruptAfterTimeLimit(budgetMs)] : [],
  });
}

/** Runs `action` (which must not throw) and fails if it takes longer than {@link MAX_RUN_MS}. */
export function bounded<T>(what: string, action: () => T): T {
  const start = performance.now();
  const result = action();
  const elapsed = performance.now() - start;
  assert.ok(elapsed < MAX_RUN_MS, `${what} took ${elapsed.toFixed(0)} ms`);
  return result;
}

/** An edit of a byte string, applied by {@link mutate}. */
export type Mutation =
  | { readonly kind: 'flip'; readonly at: number; readonly bit: number }
  | { readonly kind: 'set'; readonly at: number; readonly byte: number }
  | { readonly kind: 'insert'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly kind: 'delete'; readonly at: number; readonly length: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'duplicate'; readonly at: number; readonly length: number };

/** Bytes that matter to bencode, so that inserted bytes often make structure. */
const BENCODE_BYTES = Array.from(new TextEncoder().encode('ilde0123456789:-'));

const byteish = fc.oneof(fc.constantFrom(...BENCODE_BYTES), fc.integer({ min: 0, max: 255 }));

/** Arbitrary edits; positions are taken modulo the length. */
export const mutations: fc.Arbitrary<Mutation[]> = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: byteish }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.array(byteish, { minLength: 1, maxLength: 8 }).map((list) => Uint8Array.from(list)) }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 16 }) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 32 }) }),
  ),
  { minLength: 1, maxLength: 4 },
);

/** `bytes` after `edits`. */
export function mutate(bytes: Uint8Array, edits: readonly Mutation[]): Uint8Array {
  let out = bytes.slice();
  for (const edit of edits) {
    const at = out.length === 0 ? 0 : edit.at % (out.length + 1);
    switch (edit.kind) {
      case 'flip':
        if (at < out.length) out[at] = (out[at] ?? 0) ^ (1 << edit.bit);
        break;
      case 'set':
        if (at < out.length) out[at] = edit.byte;
        break;
      case 'insert':
        out = Uint8Array.from([...out.subarray(0, at), ...edit.bytes, ...out.subarray(at)]);
        break;
      case 'delete':
        out = Uint8Array.from([...out.subarray(0, at), ...out.subarray(at + edit.length)]);
        break;
      case 'truncate':
        out = out.slice(0, at);
        break;
      case 'duplicate':
        out = Uint8Array.from([...out.subarray(0, at + edit.length), ...out.subarray(at, at + edit.length), ...out.subarray(at + edit.length)]);
        break;
    }
  }
  return out;
}

/** Random bytes drawn mostly from bencode's own alphabet. */
export const bencodeishBytes: fc.Arbitrary<Uint8Array> = fc.array(byteish, { maxLength: 96 }).map((list) => Uint8Array.from(list));

/** Dictionary keys: short byte strings, often text. */
const keys = fc.oneof(
  fc.constantFrom('a', 'b', 'id', 'sig', 'ih', 'v', 'k', 'seq', 'salt', 'title', ''),
  fc.uint8Array({ maxLength: 6 }).map(toBinaryString),
);

/** Any bencode value, up to a few levels deep. */
export const bencodeValue: fc.Arbitrary<BencodeValue> = fc.letrec<{ value: BencodeValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(fc.bigInt({ min: -1000n, max: 1000n }), fc.bigInt({ min: MIN_BENCODE_INTEGER, max: MAX_BENCODE_INTEGER })),
    fc.uint8Array({ maxLength: 24 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.map(keys, tie('value'), { maxKeys: 4 }),
  ),
})).value;
