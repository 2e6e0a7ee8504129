/**
 * A hostile DHT node for tests (BEP 5 KRPC over UDP on 127.0.0.1). It answers pings and
 * lookups so that honest nodes keep it in their routing tables, and answers every BEP 44
 * `get` for the attacked target with one of a rotating set of bad records: wrong types and
 * lengths, a forged signature, a rolled-back (old but genuine) record, another author's
 * record, an oversized value. It can also spray malformed datagrams at honest nodes.
 */
import crypto from 'node:crypto';
import dgram from 'node:dgram';
import { decodeBencode, dictFromEntries, encodeBencode, type BencodeDict, type BencodeValue } from '../../src/core/bencode.js';
import { bytesEqual, utf8 } from '../../src/core/bytes.js';
import type { MutableRecord } from '../../src/core/bep44.js';

export interface HostileOptions {
  /** The BEP 44 target under attack. */
  readonly target: Uint8Array;
  /** A genuine record of the attacked slot that is older than the current one. */
  readonly rolledBack: MutableRecord;
  /** A genuine record of another author, with a high seq. */
  readonly foreign: MutableRecord;
}

export interface HostileNode {
  readonly port: number;
  /** BEP 44 gets for the target it answered, by kind of bad record. */
  readonly served: ReadonlyMap<string, number>;
  /** Sends `count` malformed datagrams to 127.0.0.1:port. */
  spray(port: number, count: number): Promise<void>;
  close(): Promise<void>;
}

function dictGet(dict: BencodeValue | undefined, key: string): BencodeValue | undefined {
  return dict instanceof Map ? (dict as BencodeDict).get(key) : undefined;
}

const BAD_RECORDS = ['wrong-types', 'forged-signature', 'rolled-back', 'foreign-key', 'oversized-value'] as const;

function badRecord(kind: (typeof BAD_RECORDS)[number], options: HostileOptions): Record<string, BencodeValue> {
  const valueOf = (record: MutableRecord): BencodeValue => {
    const decoded = decodeBencode(record.value);
    if (!decoded.ok) throw new Error('test record value is not bencode');
    return decoded.value;
  };
  switch (kind) {
    case 'wrong-types':
      return { k: 5n, seq: utf8('999'), sig: crypto.randomBytes(10), v: valueOf(options.rolledBack) };
    case 'forged-signature':
      return { k: options.rolledBack.publicKey, seq: 1_000_000n, sig: crypto.randomBytes(64), v: dictFromEntries({ ih: crypto.randomBytes(20) }) };
    case 'rolled-back':
      return { k: options.rolledBack.publicKey, seq: options.rolledBack.seq, sig: options.rolledBack.signature, v: valueOf(options.rolledBack) };
    case 'foreign-key':
      return { k: options.foreign.publicKey, seq: options.foreign.seq, sig: options.foreign.signature, v: valueOf(options.foreign) };
    case 'oversized-value':
      return { k: options.rolledBack.publicKey, seq: 2_000_000n, sig: crypto.randomBytes(64), v: crypto.randomBytes(1500) };
  }
}

export async function startHostileNode(options: HostileOptions): Promise<HostileNode> {
  const socket = dgram.createSocket('udp4');
  // An id next to the target: honest nodes ask it first when they look the target up.
  const id = Uint8Array.from(options.target);
  id[19] = (id[19] ?? 0) ^ 1;
  const served = new Map<string, number>();
  let turn = 0;
  socket.on('message', (message, remote) => {
    const decoded = decodeBencode(new Uint8Array(message));
    if (!decoded.ok) return;
    const query = decoded.value;
    const transaction = dictGet(query, 't');
    const kind = dictGet(query, 'q');
    if (!(transaction instanceof Uint8Array) || !(kind instanceof Uint8Array)) return;
    const args = dictGet(query, 'a');
    const r: Record<string, BencodeValue> = { id, token: utf8('tok'), nodes: new Uint8Array(0) };
    const target = dictGet(args, 'target');
    if (Buffer.from(kind).toString() === 'get' && target instanceof Uint8Array && bytesEqual(target, options.target)) {
      const bad = BAD_RECORDS[turn++ % BAD_RECORDS.length] ?? 'wrong-types';
      served.set(bad, (served.get(bad) ?? 0) + 1);
      Object.assign(r, badRecord(bad, options));
    }
    const reply = encodeBencode(dictFromEntries({ t: transaction, y: utf8('r'), r: dictFromEntries(r) }));
    socket.send(reply, remote.port, remote.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    port: socket.address().port,
    served,
    spray: async (port, count) => {
      const samples = [
        Buffer.from('d1:t'),
        Buffer.from('d1:ad2:id20:xe1:q4:ping1:t2:aa1:y1:qe'),
        Buffer.from('de'),
        Buffer.from('i99999999999999999999999e'),
        Buffer.from('d1:y1:r1:t2:aa1:rd2:id20:aaaaaaaaaaaaaaaaaaaa1:vi5e3:seq3:abc3:sig1:xee'),
      ];
      for (let i = 0; i < count; i++) {
        const payload = i % 3 === 0 ? crypto.randomBytes(1 + (i % 1400)) : (samples[i % samples.length] ?? Buffer.alloc(0));
        await new Promise<void>((resolve) => {
          socket.send(payload, port, '127.0.0.1', () => {
            resolve();
          });
        });
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        socket.close(() => {
          resolve();
        });
      }),
  };
}
