/**
 * Hostile packets for the live-node fuzzer (test/fixtures/live-fuzzer.ts), written from a
 * seeded generator so that a seed replays the same traffic: byte-level mutations, mDNS
 * responses and queries (site claims, lying counts, compression loops, oversized labels),
 * BEP 14 announces, and BitTorrent/BEP 10 frames and `swarmpress_update` payloads
 * (records, reply notices, bencode bombs).
 */
import crypto from 'node:crypto';
import { encodeBencode, type BencodeValue } from '../../src/core/bencode.js';
import { encodeRecord, signRecord, type MutableRecord } from '../../src/core/bep44.js';
import { encodeSitePointer } from '../../src/core/bep46.js';
import { generateIdentity } from '../../src/core/identity.js';
import { encodeReplyNotice } from '../../src/core/reply-notice.js';
import { announcement, dnsName, message, ptrData, record, SERVICE, serviceQuery, srvData, txtData, TYPE } from './mdns-wire.js';

/** The LSD group and port (BEP 14). */
export const LSD_GROUP = '239.192.152.143';
export const LSD_PORT = 6771;
/** The extension's name (src/net/session-settings.ts). */
export const EXTENSION = 'swarmpress_update';
/** The id the fuzzer asks the node to use for `swarmpress_update` (BEP 10 `m`). */
export const OWN_EXTENSION_ID = 3;

/** What the packets name: the node's site and version, and the sending host's address. */
export interface Victim {
  readonly key: string;
  readonly infohash: string;
  readonly sender: string;
}

/** mulberry32: a small seeded generator, so that a seed replays the same traffic. */
export function generator(seed: number): { int(max: number): number; bytes(length: number): Buffer; pick<T>(list: readonly T[]): T; chance(p: number): boolean } {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number): number => Math.floor(next() * max);
  return {
    int,
    bytes: (length) => {
      const out = Buffer.alloc(length);
      for (let i = 0; i < length; i++) out[i] = int(256);
      return out;
    },
    pick: (list) => list[int(list.length)] as (typeof list)[number],
    chance: (p) => next() < p,
  };
}

/** A seeded source of choices. */
export type Random = ReturnType<typeof generator>;

const INTERESTING_BYTES = [0, 1, 0x3f, 0x40, 0x7f, 0x80, 0xc0, 0xc0, 0xff, 0x3a, 0x65, 0x69, 0x64, 0x6c];
const INTERESTING_U16 = [0, 1, 0x7fff, 0x8000, 0xffff, 0xc00c, 0xc000, 0x00ff, 12];

/** A few byte-level edits of `bytes` (bit flips, interesting values, inserts, deletions, truncation, duplication). */
export function mutate(random: Random, bytes: Buffer): Buffer {
  let out = Buffer.from(bytes);
  const edits = 1 + random.int(4);
  for (let e = 0; e < edits; e++) {
    const at = out.length === 0 ? 0 : random.int(out.length);
    switch (random.int(8)) {
      case 0:
        if (out.length > 0) out[at] = (out[at] ?? 0) ^ (1 << random.int(8));
        break;
      case 1:
        if (out.length > 0) out[at] = random.pick(INTERESTING_BYTES);
        break;
      case 2:
        if (at + 2 <= out.length) out.writeUInt16BE(random.pick(INTERESTING_U16), at);
        break;
      case 3:
        out = Buffer.concat([out.subarray(0, at), random.bytes(1 + random.int(8)), out.subarray(at)]);
        break;
      case 4:
        out = Buffer.concat([out.subarray(0, at), out.subarray(at + 1 + random.int(16))]);
        break;
      case 5:
        out = out.subarray(0, at);
        break;
      case 6: {
        const length = 1 + random.int(64);
        out = Buffer.concat([out.subarray(0, at), out.subarray(at, at + length), out.subarray(at)]);
        break;
      }
      default:
        if (out.length > 0) out[at] = random.int(256);
    }
  }
  return out;
}

export function hex(random: Random, bytes: number): string {
  return random.bytes(bytes).toString('hex');
}

// ---- mDNS ----

/** A TXT site claim (`s<i>=K:seq[/infohash][:title]`), valid or not. */
function siteClaim(random: Random, victim: Victim, i: number): string {
  const key = random.chance(0.4) ? victim.key : hex(random, 32);
  const seq = random.pick(['1', '0', '007', '-1', '18446744073709551616', '9223372036854775807', String(random.int(1 << 30))]);
  const infohash = random.chance(0.3) ? victim.infohash : hex(random, random.chance(0.9) ? 20 : random.int(40));
  const title = random.chance(0.3) ? `:${random.pick(['bell\u0007', 'a'.repeat(300), '\u202Eevil', 'ok'])}` : '';
  return `s${random.chance(0.9) ? i : random.int(100)}=${key}:${seq}${random.chance(0.7) ? `/${infohash}` : ''}${title}`;
}

function txt(random: Random, victim: Victim): string[] {
  const port = random.pick(['6881', '0', '65536', '7000', 'x', String(random.int(70_000))]);
  const sites = Array.from({ length: random.int(random.chance(0.1) ? 40 : 4) }, (_, i) => siteClaim(random, victim, i));
  const base = [random.chance(0.9) ? 'txtvers=1' : `txtvers=${random.int(9)}`, `port=${port}`, ...sites];
  if (random.chance(0.2)) base.push(`n=${random.int(100)}`);
  if (random.chance(0.1)) base.push('x='.padEnd(255, 'y'));
  return base;
}

export function mdnsStructured(random: Random, victim: Victim): Buffer {
  const instance = random.chance(0.5) ? `fuzz-${random.int(50)}` : hex(random, 1 + random.int(40));
  switch (random.int(9)) {
    case 0:
    case 1:
    case 2:
      return announcement(instance, 1 + random.int(65535), txt(random, victim), victim.sender, random.chance(0.15) ? 0 : 120);
    case 3:
      return random.chance(0.5) ? serviceQuery() : message({ response: false, questions: [[`${instance}.${SERVICE}`, random.pick([TYPE.SRV, TYPE.TXT, TYPE.ANY, TYPE.A])], ['_services._dns-sd._udp.local', TYPE.PTR]] });
    case 4: {
      // Many instances in one datagram.
      const count = 1 + random.int(80);
      const answers = Array.from({ length: count }, (_, j) => {
        const domain = `m${j}-${instance}.${SERVICE}`;
        return [record(SERVICE, TYPE.PTR, 120, ptrData(domain)), record(domain, TYPE.SRV, 120, srvData(6881, `m${j}.local`)), record(domain, TYPE.TXT, 120, txtData(txt(random, victim)))];
      }).flat();
      return message({ answers });
    }
    case 5:
      // Counts that lie.
      return message({ answers: [record(SERVICE, TYPE.PTR, 120, ptrData(`${instance}.${SERVICE}`))], counts: [random.pick([0, 1, 0xffff]), random.pick([0, 2, 0xffff]), random.pick([0, 0xffff]), random.pick([0, 0xffff])] });
    case 6: {
      // Compression: a pointer at itself, two pointers at each other, a long chain, a pointer past the end.
      const header = message({ counts: [0, 1, 0, 0] });
      const loops = [
        Buffer.from([0xc0, 12]),
        Buffer.concat([Buffer.from([1, 0x61, 0xc0, 14, 0xc0, 12])]),
        Buffer.concat(Array.from({ length: 200 }, (_, j) => Buffer.from([0xc0, 12 + 2 * (j + 1)]))),
        Buffer.from([0xc0, 0xff]),
        Buffer.from([0xff, 0xff]),
      ];
      return Buffer.concat([header, random.pick(loops), Buffer.from([0, TYPE.TXT, 0, 1, 0, 0, 0, 120, 0, 4, 3, 0x61, 0x3d, 0x62])]);
    }
    case 7:
      // Labels of 64 to 255 bytes (reserved length bits), names far past 255 bytes, TXT past its record.
      return message({ answers: [record(`${'a'.repeat(64 + random.int(192))}.${SERVICE}`, TYPE.TXT, 120, txtData(txt(random, victim))), record(SERVICE, TYPE.PTR, 120, dnsName(`${'b'.repeat(63)}.`.repeat(8)))] });
    default:
      return message({ answers: [record(`${instance}.${SERVICE}`, TYPE.TXT, 120, txtData(txt(random, victim)), random.int(65536))] });
  }
}

// ---- LSD (BEP 14) ----

export function lsdAnnounce(random: Random, victim: Victim): Buffer {
  const port = random.pick(['6881', '0', '65535', '65536', '-1', '99999999999', String(random.int(65536)), '']);
  const hashes = Array.from({ length: random.chance(0.1) ? 1 + random.int(200) : 1 }, () => (random.chance(0.5) ? victim.infohash : hex(random, random.chance(0.9) ? 20 : random.int(40))));
  const lines = [
    random.chance(0.95) ? 'BT-SEARCH * HTTP/1.1' : random.pick(['BT-SEARCH *', 'GET / HTTP/1.1', 'BT-SEARCH * HTTP/1.1 extra']),
    `Host: ${LSD_GROUP}:${LSD_PORT}`,
    `Port: ${port}`,
    ...hashes.map((hash) => `Infohash: ${hash}`),
    ...(random.chance(0.7) ? [`cookie: ${hex(random, 4)}`] : []),
  ];
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n\r\n`);
}

// ---- BEP 10 ----

export function handshake(infohash: Buffer, extensions = true): Buffer {
  const reserved = Buffer.alloc(8);
  if (extensions) reserved[5] = 0x10;
  return Buffer.concat([Buffer.from([19]), Buffer.from('BitTorrent protocol'), reserved, infohash, crypto.randomBytes(20)]);
}

export function frame(id: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(payload.length + 1);
  head[4] = id;
  return Buffer.concat([head, payload]);
}

export function extensionFrame(extensionId: number, payload: Buffer): Buffer {
  return frame(20, Buffer.concat([Buffer.from([extensionId]), payload]));
}

export function ownExtensionHandshake(): Buffer {
  return extensionFrame(0, Buffer.from(encodeBencode(new Map<string, BencodeValue>([['m', new Map([[EXTENSION, BigInt(OWN_EXTENSION_ID)]])], ['v', Buffer.from('fuzzer')]]))));
}

export function signedRecord(random: Random, seq: bigint): MutableRecord {
  return signRecord(generateIdentity(random.bytes(32)), { seq, value: encodeSitePointer(random.bytes(20)) });
}

export function bencodeBomb(random: Random): Buffer {
  const depth = 1 + random.int(random.chance(0.95) ? 8000 : 20_000);
  switch (random.int(5)) {
    case 0:
      return Buffer.from(`${'l'.repeat(depth)}${'e'.repeat(random.chance(0.5) ? depth : 0)}`);
    case 1:
      return Buffer.from(`d${'1:a'.repeat(2)}i1e1:ai2ee`);
    case 2:
      return Buffer.from(`d3:seqi${'9'.repeat(1 + random.int(400))}e1:v${random.pick(['99999999999', '4294967296', '-1', '0'])}:xe`);
    case 3:
      return Buffer.from(`d6:noticed${'d1:x'.repeat(Math.min(depth, 500))}`);
    default:
      return Buffer.concat([Buffer.from('d1:k32:'), random.bytes(32), Buffer.from('3:seqi1e3:sig64:'), random.bytes(64), Buffer.from('1:v22:'), Buffer.from(encodeSitePointer(random.bytes(20))).subarray(0, 22), Buffer.from('e')]);
  }
}

/** One `swarmpress_update` payload and what kind it is (for the report of what made the node hang up). */
export function bep10Payload(random: Random, genuine: Buffer | undefined): [string, Buffer] {
  const roll = random.int(20);
  // Past 16 KB the node hangs up (native/src/torrent/extension.h): rare, as each costs a new connection.
  if (roll < 5) return random.chance(0.99) ? ['random', random.bytes(random.int(1400))] : ['random-large', random.bytes(random.int(17_000))];
  if (roll < 11) return ['mutated-record', mutate(random, genuine ?? Buffer.from(encodeRecord(signedRecord(random, 1n))))];
  if (roll < 13) return ['foreign-record', Buffer.from(encodeRecord(signedRecord(random, BigInt(random.int(1 << 30)))))];
  if (roll < 17) {
    const notice = Buffer.from(encodeReplyNotice({ record: signedRecord(random, BigInt(1 + random.int(1000))), reply: random.bytes(32), target: random.bytes(32) }, 1 + random.int(65535)));
    return roll < 15 ? ['mutated-notice', mutate(random, notice)] : ['notice', notice];
  }
  return ['bomb', bencodeBomb(random)];
}
