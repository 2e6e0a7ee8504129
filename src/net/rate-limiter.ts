/**
 * Token buckets per key (a source address, a peer) with a bounded number of keys, and
 * an optional bucket shared by all keys: what a flooding sender may cost is capped per
 * sender and in total, and the limiter itself never grows past `maxKeys` buckets.
 *
 * Time is an argument (milliseconds, any monotonic origin); nothing here reads a clock.
 */

export interface RateLimit {
  /** Tokens added per second. */
  readonly perSecond: number;
  /** Most tokens a bucket holds: how many events may come at once after a quiet spell. */
  readonly burst: number;
}

export interface RateLimiterOptions {
  /** The limit of each key. */
  readonly perKey: RateLimit;
  /** A limit of all keys together (optional). */
  readonly total?: RateLimit;
  /**
   * Most keys remembered; when a new key comes and the table is full, the key used least
   * recently is forgotten (it starts again with a full bucket, which is why `total` exists).
   */
  readonly maxKeys: number;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

function checkLimit(limit: RateLimit, name: string): void {
  if (!(limit.perSecond > 0) || !Number.isFinite(limit.perSecond)) throw new RangeError(`${name}.perSecond must be a positive number`);
  if (!(limit.burst >= 1) || !Number.isFinite(limit.burst)) throw new RangeError(`${name}.burst must be at least 1`);
}

function refill(bucket: Bucket, limit: RateLimit, nowMs: number): void {
  // A clock that went back refills nothing (and never drains).
  const elapsed = Math.max(0, nowMs - bucket.updatedMs);
  bucket.tokens = Math.min(limit.burst, bucket.tokens + (elapsed * limit.perSecond) / 1000);
  bucket.updatedMs = Math.max(bucket.updatedMs, nowMs);
}

export class RateLimiter {
  readonly #perKey: RateLimit;
  readonly #total: RateLimit | undefined;
  readonly #maxKeys: number;
  /** In order of last use (a Map keeps insertion order; a used key is moved to the end). */
  readonly #buckets = new Map<string, Bucket>();
  #totalBucket: Bucket | undefined;

  constructor(options: RateLimiterOptions) {
    checkLimit(options.perKey, 'perKey');
    if (options.total !== undefined) checkLimit(options.total, 'total');
    if (!Number.isSafeInteger(options.maxKeys) || options.maxKeys < 1) throw new RangeError('maxKeys must be a positive integer');
    this.#perKey = options.perKey;
    this.#total = options.total;
    this.#maxKeys = options.maxKeys;
  }

  /** Whether one event of `key` at `nowMs` is allowed; if so, it is counted. */
  take(key: string, nowMs: number): boolean {
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      if (this.#buckets.size >= this.#maxKeys) {
        const oldest = this.#buckets.keys().next();
        if (oldest.done !== true) this.#buckets.delete(oldest.value);
      }
      bucket = { tokens: this.#perKey.burst, updatedMs: nowMs };
    } else {
      this.#buckets.delete(key);
    }
    this.#buckets.set(key, bucket);
    refill(bucket, this.#perKey, nowMs);
    if (bucket.tokens < 1) return false;
    if (this.#total !== undefined) {
      this.#totalBucket ??= { tokens: this.#total.burst, updatedMs: nowMs };
      refill(this.#totalBucket, this.#total, nowMs);
      if (this.#totalBucket.tokens < 1) return false;
      this.#totalBucket.tokens -= 1;
    }
    bucket.tokens -= 1;
    return true;
  }

  /** How many keys are remembered (at most `maxKeys`). */
  get size(): number {
    return this.#buckets.size;
  }
}
