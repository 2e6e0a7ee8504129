/**
 * Writes DNS messages by hand (RFC 1035 section 4; mDNS per RFC 6762) for tests that must
 * send what no library would: wrong counts, lengths that lie, oversized TXT records,
 * thousands of instances. Names are written uncompressed; nothing is validated.
 */

export const TYPE = { A: 1, PTR: 12, TXT: 16, SRV: 33, ANY: 255 } as const;
/** The mDNS group and port (RFC 6762 section 3). */
export const MDNS_GROUP = '224.0.0.251';
export const MDNS_PORT = 5353;
/** DNS header flags of an mDNS response: QR and AA (RFC 6762 section 18). */
const RESPONSE_FLAGS = 0x8400;

function u16(value: number): Buffer {
  const out = Buffer.alloc(2);
  out.writeUInt16BE(value & 0xffff);
  return out;
}

function u32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0);
  return out;
}

/** A name as labels (each label's length byte is written as is, even past 63). */
export function dnsName(name: string): Buffer {
  const labels = name.split('.').filter((label) => label !== '');
  return Buffer.concat([...labels.flatMap((label) => [Buffer.from([Buffer.byteLength(label) & 0xff]), Buffer.from(label)]), Buffer.from([0])]);
}

/** One resource record; `rdlength` may be given to lie about the data's length. */
export function record(name: string, type: number, ttl: number, data: Buffer, rdlength = data.length): Buffer {
  return Buffer.concat([dnsName(name), u16(type), u16(1), u32(ttl), u16(rdlength), data]);
}

export function ptrData(target: string): Buffer {
  return dnsName(target);
}

export function srvData(port: number, target: string): Buffer {
  return Buffer.concat([u16(0), u16(0), u16(port), dnsName(target)]);
}

/** TXT data: each string with its length byte (a string over 255 bytes gets a wrong length byte). */
export function txtData(strings: readonly (string | Uint8Array)[]): Buffer {
  return Buffer.concat(strings.flatMap((s) => {
    const bytes = Buffer.from(s);
    return [Buffer.from([bytes.length & 0xff]), bytes];
  }));
}

export function aData(address: string): Buffer {
  return Buffer.from(address.split('.').map(Number));
}

export interface MessageParts {
  readonly response?: boolean;
  readonly questions?: readonly (readonly [name: string, type: number])[];
  readonly answers?: readonly Buffer[];
  readonly additionals?: readonly Buffer[];
  /** Counts to write instead of the real ones (a header that lies). */
  readonly counts?: readonly [questions: number, answers: number, authorities: number, additionals: number];
}

export function message(parts: MessageParts): Buffer {
  const questions = (parts.questions ?? []).map(([name, type]) => Buffer.concat([dnsName(name), u16(type), u16(1)]));
  const answers = parts.answers ?? [];
  const additionals = parts.additionals ?? [];
  const counts = parts.counts ?? [questions.length, answers.length, 0, additionals.length];
  return Buffer.concat([u16(0), u16(parts.response === false ? 0 : RESPONSE_FLAGS), ...counts.map(u16), ...questions, ...answers, ...additionals]);
}

export const SERVICE = '_swarmpress._tcp.local';

/** A full announcement of a swarmpress instance, as bonjour-service sends it (TTL 0: a goodbye). */
export function announcement(instance: string, port: number, txt: readonly (string | Uint8Array)[], address: string, ttl = 120): Buffer {
  const domain = `${instance}.${SERVICE}`;
  const host = `${instance}.local`;
  return message({
    answers: [
      record(SERVICE, TYPE.PTR, ttl === 0 ? 0 : 28800, ptrData(domain)),
      record(domain, TYPE.SRV, ttl, srvData(port, host)),
      record(domain, TYPE.TXT, ttl, txtData(txt)),
      record(host, TYPE.A, ttl, aData(address)),
    ],
  });
}

/** A query for the swarmpress service type (what a browsing node sends). */
export function serviceQuery(): Buffer {
  return message({ response: false, questions: [[SERVICE, TYPE.PTR]] });
}
