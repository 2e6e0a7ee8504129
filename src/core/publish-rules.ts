/**
 * The publishing rules of mutable sites (DESIGN.md "Swarm and DHT"), as pure functions:
 * - the next sequence number, `max(local, network) + 1`, and the BEP 44 `cas` of an update;
 * - one salt per device ({@link deviceSalt}), so two devices of one author never race on
 *   one slot: each device puts its own versions in its salted slot, and the unsalted slot
 *   (what `bittorrent://<key>` resolves) holds the newest merged version;
 * - how a reader picks the head of a slot ({@link resolveSlot}) and gathers an author's
 *   slots ({@link gatherAuthorSlots}); site-merge.ts merges the versions they point at.
 *
 * Two different values signed with the same `seq` (two devices that published at once,
 * or a key used twice) are a conflict: every reader picks the value with the lowest
 * SHA-256, so all of them show the same version, and the conflict is reported.
 */
import { MAX_SALT_BYTES, MAX_SEQ, type MutableRecord } from './bep44.js';
import { bytesEqual, compareBytes, toHex, utf8 } from './bytes.js';
import { sha256 } from './hash.js';
import { fail, ok, type Result } from './result.js';

/** The seq of a slot's first record: BEP 44 allows 0, but "version 1" is the first one people see. */
export const FIRST_SEQ = 1n;

/** Text every device salt starts with, so a salt says what it is. */
export const DEVICE_SALT_PREFIX = 'swarmpress-device:';
/** Bytes of SHA-256 of the device id kept in its salt (128 bits: two devices of one author never collide). */
const DEVICE_DIGEST_BYTES = 16;

/**
 * The sequence number of the next put: one more than the highest known, locally
 * (persisted by the store before the put) or on the network; {@link FIRST_SEQ} for a
 * slot's first put, so that a version's seq is its number as people count (issue #21). `ERR_SEQ_EXHAUSTED` when
 * that would pass {@link MAX_SEQ}: the slot cannot be updated any more.
 */
export function nextSeq(local: bigint | undefined, network: bigint | undefined): Result<bigint, 'ERR_SEQ_EXHAUSTED'> {
  for (const [name, value] of [['local', local], ['network', network]] as const) {
    if (value !== undefined && (typeof value !== 'bigint' || value < 0n || value > MAX_SEQ)) {
      throw new RangeError(`${name} must be undefined or a bigint from 0 to 2^63-1`);
    }
  }
  const highest = local === undefined ? network : network === undefined ? local : local > network ? local : network;
  const next = highest === undefined ? FIRST_SEQ : highest + 1n;
  if (next > MAX_SEQ) return fail('ERR_SEQ_EXHAUSTED', 'the sequence number of this slot has reached 2^63-1');
  return ok(next);
}

/**
 * The `cas` argument of a BEP 44 put that replaces `network` (the record last read from
 * the DHT): its `seq`, so the put fails if someone stored a newer one meanwhile; no `cas`
 * when the slot was empty.
 */
export function casFor(network: MutableRecord | undefined): bigint | undefined {
  return network?.seq;
}

/**
 * The salt of a device's slot: {@link DEVICE_SALT_PREFIX} and 32 hex digits of SHA-256
 * of the device id (any stable text the store keeps per device, e.g. a random id made on
 * first run). Deterministic, so a device finds its slot again; 50 bytes, within BEP 44's 64.
 */
export function deviceSalt(deviceId: string): Uint8Array {
  if (typeof deviceId !== 'string' || deviceId === '') throw new TypeError('deviceId must be a non-empty string');
  const salt = utf8(`${DEVICE_SALT_PREFIX}${toHex(sha256(utf8(deviceId)).slice(0, DEVICE_DIGEST_BYTES))}`);
  if (salt.length > MAX_SALT_BYTES) throw new RangeError('device salt exceeds the BEP 44 limit');
  return salt;
}

/** Whether `salt` has the form {@link deviceSalt} makes. */
export function isDeviceSalt(salt: Uint8Array): boolean {
  const prefix = utf8(DEVICE_SALT_PREFIX);
  if (salt.length !== prefix.length + DEVICE_DIGEST_BYTES * 2) return false;
  if (!bytesEqual(salt.subarray(0, prefix.length), prefix)) return false;
  return salt.subarray(prefix.length).every((byte) => (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66));
}

/** Two or more different values signed with one sequence number in one slot. */
export interface SeqConflict {
  readonly publicKey: Uint8Array;
  readonly salt: Uint8Array;
  readonly seq: bigint;
  /** The value every reader uses: the lowest SHA-256. */
  readonly chosen: Uint8Array;
  /** The other values, by increasing SHA-256. */
  readonly others: readonly Uint8Array[];
}

/** The current record of one slot, and the conflict found at its sequence number, if any. */
export interface SlotHead {
  readonly record: MutableRecord;
  readonly conflict?: SeqConflict;
}

function sameSlot(a: MutableRecord, b: MutableRecord): boolean {
  return bytesEqual(a.publicKey, b.publicKey) && bytesEqual(a.salt, b.salt);
}

/**
 * The head of one slot from every checked record seen for it (DHT responses, pushes,
 * the local copy): the highest `seq`; among different values at that `seq`, the one with
 * the lowest SHA-256, with the conflict reported. The same on every reader, whatever the
 * order of `records`. `undefined` for no records; RangeError if they are of several slots.
 */
export function resolveSlot(records: readonly MutableRecord[]): SlotHead | undefined {
  const first = records[0];
  if (first === undefined) return undefined;
  let top: MutableRecord[] = [];
  for (const record of records) {
    if (!sameSlot(record, first)) throw new RangeError('resolveSlot takes the records of one slot (one key and salt)');
    if (top[0] === undefined || record.seq > top[0].seq) top = [record];
    else if (record.seq === top[0].seq && !top.some((other) => bytesEqual(other.value, record.value))) top.push(record);
  }
  const ranked = top.map((record) => ({ record, digest: sha256(record.value) })).sort((a, b) => compareBytes(a.digest, b.digest));
  const chosen = ranked[0]?.record ?? first;
  if (ranked.length === 1) return { record: chosen };
  return {
    record: chosen,
    conflict: {
      publicKey: chosen.publicKey,
      salt: chosen.salt,
      seq: chosen.seq,
      chosen: chosen.value,
      others: ranked.slice(1).map((entry) => entry.record.value),
    },
  };
}

/** The heads of an author's slots, as a reader gathers them before merging the versions. */
export interface AuthorSlots {
  /** The unsalted slot: the newest merged version, what BEP 46 readers resolve. */
  readonly main?: SlotHead;
  /** Each device slot with a record, by increasing salt. */
  readonly devices: readonly SlotHead[];
  /** Every sequence-number conflict found, main slot first. */
  readonly conflicts: readonly SeqConflict[];
}

/**
 * Groups the checked records of one author by slot and resolves each. `deviceSalts` are
 * the slots the reader looks at (from the newest manifest's `devices`, and its own);
 * records of other salts are ignored, so nobody can add a slot to an author's site.
 * RangeError for a record of another key.
 */
export function gatherAuthorSlots(publicKey: Uint8Array, deviceSalts: readonly Uint8Array[], records: readonly MutableRecord[]): AuthorSlots {
  const bySalt = new Map<string, MutableRecord[]>();
  const wanted = new Set(['', ...deviceSalts.map(toHex)]);
  for (const record of records) {
    if (!bytesEqual(record.publicKey, publicKey)) throw new RangeError('gatherAuthorSlots takes the records of one author');
    const salt = toHex(record.salt);
    if (!wanted.has(salt)) continue;
    const list = bySalt.get(salt) ?? [];
    list.push(record);
    bySalt.set(salt, list);
  }
  const main = resolveSlot(bySalt.get('') ?? []);
  const devices = [...bySalt.entries()]
    .filter(([salt]) => salt !== '')
    .map(([, list]) => resolveSlot(list))
    .filter((head): head is SlotHead => head !== undefined)
    .sort((a, b) => compareBytes(a.record.salt, b.record.salt));
  const conflicts = [main, ...devices].flatMap((head) => (head?.conflict === undefined ? [] : [head.conflict]));
  return { ...(main === undefined ? {} : { main }), devices, conflicts };
}
