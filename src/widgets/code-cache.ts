/**
 * Loading the program's CommonJS bundles (tools/bundle.js) with the V8 code cache that
 * `make build` wrote beside each: V8 then reads the compiled top-level code instead of
 * parsing the whole file (NodeGui's 0.6 MB bundle: 13 ms to compile, 0.8 ms from its cache;
 * measured). A cache V8 does not accept (another Node, other flags) is ignored and the
 * file compiled as usual; a missing one too. V8 checks a cache against the length of the
 * source only, so each cache starts with the SHA-256 of the source it was made from, and
 * a cache of other bytes is never used. bin/swarmpress.js loads the program this
 * way, and the Qt runtime NodeGui's JavaScript.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

/** The cache of `bundle.cjs` is `bundle.cjs.v8cache`. */
export const CODE_CACHE_SUFFIX = '.v8cache';

/** The parameters of Node's CommonJS module wrapper. */
const WRAPPER_PARAMS = ['exports', 'require', 'module', '__filename', '__dirname'];

const DIGEST_BYTES = 32;

function digestOf(source: string): Buffer {
  return createHash('sha256').update(source).digest();
}

/** V8's part of the cache file, if the file was made from exactly `source`. */
function cacheFor(file: string, source: string): Buffer | undefined {
  let cache: Buffer;
  try {
    cache = fs.readFileSync(`${file}${CODE_CACHE_SUFFIX}`);
  } catch {
    return undefined;
  }
  if (cache.length <= DIGEST_BYTES || !cache.subarray(0, DIGEST_BYTES).equals(digestOf(source))) return undefined;
  return cache.subarray(DIGEST_BYTES);
}

interface Compiled {
  readonly run: (...args: unknown[]) => unknown;
  /** True when a cache was given and V8 refused it. */
  readonly cacheRejected: boolean;
}

function compile(file: string, source: string, cachedData: Buffer | undefined): Compiled {
  const fn = vm.compileFunction(source, WRAPPER_PARAMS, { filename: file, ...(cachedData === undefined ? {} : { cachedData }) });
  return { run: fn as (...args: unknown[]) => unknown, cacheRejected: fn.cachedDataRejected === true };
}

/**
 * Runs the CommonJS file `file` as `require(file)` would and returns its exports, compiled
 * from its code cache when there is one V8 accepts.
 */
export function requireWithCodeCache(file: string): unknown {
  const source = fs.readFileSync(file, 'utf8');
  const compiled = compile(file, source, cacheFor(file, source));
  const module = { exports: {} as unknown, id: file, filename: file, loaded: false };
  compiled.run.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  module.loaded = true;
  return module.exports;
}

/** Writes the code cache of the CommonJS file `file` beside it (tools/bundle.js); returns its size in bytes. */
export function writeCodeCache(file: string): number {
  const source = fs.readFileSync(file, 'utf8');
  const fn = vm.compileFunction(source, WRAPPER_PARAMS, { filename: file, produceCachedData: true });
  if (fn.cachedData === undefined) throw new Error(`V8 produced no code cache for ${file}`);
  const cache = Buffer.concat([digestOf(source), fn.cachedData]);
  fs.writeFileSync(`${file}${CODE_CACHE_SUFFIX}`, cache);
  return cache.length;
}

/** Whether the code cache beside `file` is used: made from these bytes, and accepted by V8 (tests). */
export function codeCacheAccepted(file: string): boolean {
  const source = fs.readFileSync(file, 'utf8');
  const cache = cacheFor(file, source);
  return cache !== undefined && !compile(file, source, cache).cacheRejected;
}
