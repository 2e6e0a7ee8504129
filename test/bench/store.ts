/**
 * Benchmarks of the local store (issue #6): ingesting 1,000 items in one transaction
 * (target ≤ 300 ms), full-text search over 10,000 items (p95, target ≤ 20 ms; and the
 * worst case of words found in most items), and the
 * memory of a process with the store of 10,000 items open, beside the same process with
 * the store module loaded and no store open; and the time to open the store (its
 * durability pragmas and the schema check; beside it, with `PRAGMA quick_check`). Ingest times the store's transaction;
 * verifying the items with core is measured on its own, since it can run before the
 * transaction (items.ts `verifyItem`): as the program runs it (native-hashes.ts installed)
 * beside the pure-JS core.
 */
import path from 'node:path';
import { Driven, PROGRAM_NODE } from '../helpers/process.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';
import { installNativeHashes } from '../../src/app/native-hashes.js';
import { PURE_HASHES, useHashes } from '../../src/core/hash.js';
import { useExactSignatureCheck } from '../../src/core/identity.js';
import { verifyItem, type VerifiedItem } from '../../src/store/items.js';
import { Store } from '../../src/store/store.js';
import { treeMemory } from './proc.js';
import type { Figure } from './report.js';
import { percentile } from './stats.js';
import { generateItems, VOCABULARY, zipfWord } from './store-items.js';

interface Sizes {
  readonly runs: number;
  readonly ingestItems: number;
  readonly searchItems: number;
  readonly queries: number;
}

const FULL: Sizes = { runs: 5, ingestItems: 1000, searchItems: 10_000, queries: 300 };
const SMOKE: Sizes = { runs: 1, ingestItems: 20, searchItems: 200, queries: 20 };
const CHILD = new URL('./store-child.js', import.meta.url).pathname;

function verifyAll(encoded: readonly Uint8Array[]): VerifiedItem[] {
  return encoded.map((bytes) => {
    const checked = verifyItem(bytes);
    if (!checked.ok) throw new Error(`a generated item does not verify: ${checked.error.message}`);
    return checked.value;
  });
}

/** Fills a store of `count` items in batches of 1,000. */
function fillStore(dataDir: string, count: number): void {
  const store = Store.open({ dataDir });
  try {
    for (let done = 0, batch = 0; done < count; batch++) {
      const size = Math.min(1000, count - done);
      store.addItems(verifyAll(generateItems(size, 80, 40 + (batch % 100), batch)));
      done += size;
    }
  } finally {
    store.close();
  }
}

async function processRssMiB(args: readonly string[]): Promise<{ rss: number; pss: number }> {
  const child = new Driven(PROGRAM_NODE, [CHILD, ...args]);
  try {
    await child.waitFor((m) => m['ready'] === true, 'the store process', 60_000);
    const memory = treeMemory(child.child.pid ?? 0);
    return { rss: memory.rssKiB / 1024, pss: memory.pssKiB / 1024 };
  } finally {
    child.child.stdin?.end();
    await child.waitExit();
  }
}

/** Runs the store benchmarks; `smoke` runs each once at tiny sizes (the figures then mean nothing). */
export async function benchStore(options: { smoke: boolean }): Promise<Figure[]> {
  const sizes = options.smoke ? SMOKE : FULL;
  const root = makeTempDir('swarmpress-bench-store-');
  try {
    const encoded = generateItems(sizes.ingestItems, 120, 7);
    const verifyStart = performance.now();
    const verified = verifyAll(encoded);
    const verifyMs = performance.now() - verifyStart;
    // The same, as the program runs it: OpenSSL's hashes and exact signature check installed.
    installNativeHashes();
    let nativeVerifyMs: number;
    try {
      const nativeStart = performance.now();
      verifyAll(encoded);
      nativeVerifyMs = performance.now() - nativeStart;
    } finally {
      useHashes(PURE_HASHES);
      useExactSignatureCheck(undefined);
    }

    const ingest: number[] = [];
    for (let run = 0; run < sizes.runs; run++) {
      const store = Store.open({ dataDir: path.join(root, `ingest-${run}`) });
      const start = performance.now();
      const report = store.addItems(verified);
      ingest.push(performance.now() - start);
      store.close();
      if (report.added !== sizes.ingestItems) throw new Error(`ingest stored ${report.added} items, not ${sizes.ingestItems}`);
    }

    const searchDir = path.join(root, 'search');
    fillStore(searchDir, sizes.searchItems);
    // After a clean close (as every start but the first after a crash), and with the quick
    // check forced (as after a crash, a change by another program, or once a day).
    const opens: number[] = [];
    const checkedOpens: number[] = [];
    for (let run = 0; run < sizes.runs; run++) {
      let start = performance.now();
      Store.open({ dataDir: searchDir }).close();
      opens.push(performance.now() - start);
      start = performance.now();
      Store.open({ dataDir: searchDir, quickCheck: true }).close();
      checkedOpens.push(performance.now() - start);
    }
    const store = Store.open({ dataDir: searchDir });
    const p95: number[] = [];
    const commonP95: number[] = [];
    let state = 12_345;
    const uniform = (): number => {
      state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
      return state / 4294967296;
    };
    // Queries drawn like the text: mostly frequent words, sometimes two, sometimes a prefix.
    const query = (q: number): string => (q % 3 === 0 ? `${zipfWord(uniform())} ${zipfWord(uniform())}` : q % 3 === 1 ? zipfWord(uniform()) : zipfWord(uniform()).slice(0, 3));
    const timeQueries = (queries: readonly string[]): number => {
      const times = queries.map((text) => {
        const start = performance.now();
        store.search(text, { limit: 20 });
        return performance.now() - start;
      });
      return percentile(times, 95);
    };
    try {
      for (let q = 0; q < 20; q++) store.search(query(q)); // warm the page cache and the statements
      for (let run = 0; run < sizes.runs; run++) {
        p95.push(timeQueries(Array.from({ length: sizes.queries }, (_, q) => query(q))));
        // The worst case: the ten most frequent words, each in most items.
        commonP95.push(timeQueries(Array.from({ length: sizes.queries }, (_, q) => VOCABULARY[q % 10] ?? 'ka')));
      }
    } finally {
      store.close();
    }

    const open: number[] = [];
    const bare: number[] = [];
    for (let run = 0; run < Math.min(sizes.runs, 3); run++) {
      open.push((await processRssMiB(['open', searchDir])).rss);
      bare.push((await processRssMiB(['bare'])).rss);
    }
    return [
      {
        id: 'store-ingest',
        title: `Store: ingest ${sizes.ingestItems.toLocaleString('en')} verified items in one transaction`,
        subject: { label: 'swarmpress', unit: 'ms', values: ingest },
        target: '≤ 300 ms',
      },
      {
        id: 'store-verify',
        title: `Core: verify ${sizes.ingestItems.toLocaleString('en')} items before ingest, as the program does (OpenSSL hashes and exact signature check, strict check behind it)`,
        subject: { label: 'swarmpress', unit: 'ms', values: [nativeVerifyMs] },
        reference: { label: 'the pure-JS core alone (@noble/ed25519, strict)', unit: 'ms', values: [verifyMs] },
      },
      {
        id: 'store-search-p95',
        title: `Store: full-text search over ${sizes.searchItems.toLocaleString('en')} items, p95 of ${sizes.queries} queries`,
        subject: { label: 'swarmpress', unit: 'ms', values: p95 },
        target: '≤ 20 ms',
      },
      {
        id: 'store-search-common-p95',
        title: `Store: full-text search over ${sizes.searchItems.toLocaleString('en')} items for the 10 most frequent words (worst case), p95`,
        subject: { label: 'swarmpress', unit: 'ms', values: commonP95 },
      },
      {
        id: 'store-open',
        title: `Store: open and close with ${sizes.searchItems.toLocaleString('en')} items after a clean close (pragmas, schema; no quick_check)`,
        subject: { label: 'swarmpress', unit: 'ms', values: opens },
        reference: { label: 'the same with PRAGMA quick_check (after a crash, or a day since the last check)', unit: 'ms', values: checkedOpens },
      },
      {
        id: 'store-rss',
        title: `Store: RSS of a process with ${sizes.searchItems.toLocaleString('en')} items open`,
        subject: { label: 'store open', unit: 'MiB', values: open },
        reference: { label: 'store module loaded, nothing open', unit: 'MiB', values: bare },
      },
    ];
  } finally {
    removeDir(root);
  }
}
