/**
 * Reads the announcements of swarmpress nodes out of one decoded mDNS response (the
 * objects dns-packet makes of a datagram; RFC 6762, DNS-SD per RFC 6763): for each
 * service instance of {@link SERVICE_DOMAIN} named by a PTR record, its SRV record (port,
 * target host), its TXT record (the LAN notice, still undecoded) and the A records of the
 * target. A PTR record with TTL 0 is a goodbye (RFC 6762 section 10.1).
 *
 * Untrusted input: any field may have any type. Only the first {@link MAX_RECORDS_READ}
 * records of a packet and {@link MAX_INSTANCES_PER_PACKET} instances are looked at, so a
 * packet costs at most a fixed amount of work whatever it holds. Never throws.
 */

/** The DNS-SD service type of swarmpress nodes, as a domain. */
export const SERVICE_DOMAIN = '_swarmpress._tcp.local';
/** Records of one packet that are looked at (answers, then additionals); an announcement has about 5. */
export const MAX_RECORDS_READ = 64;
/** Instances of one packet that are read; a node announces one. */
export const MAX_INSTANCES_PER_PACKET = 4;
/** Announced IPv4 addresses kept per instance. */
export const MAX_ADDRESSES = 4;
/** Longest domain name (RFC 1035 section 3.1: 255 bytes on the wire). */
const MAX_NAME_LENGTH = 255;
const IPV4 = /^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$/;

/** One service instance as a packet announced it. Nothing in it is verified. */
export interface Announcement {
  /** The instance's domain, lower-cased: `<instance>._swarmpress._tcp.local`. */
  readonly domain: string;
  /** The instance label as announced (display only: names are never identity). */
  readonly instance: string;
  /** A goodbye: the instance is leaving (its PTR record has TTL 0). */
  readonly goodbye: boolean;
  /** From the SRV record; undefined for a goodbye without one. */
  readonly port: number | undefined;
  /** The TXT record's strings as they arrived; undefined when the packet had none. */
  readonly txt: unknown;
  /** IPv4 addresses announced for the SRV target (at most {@link MAX_ADDRESSES}). */
  readonly addresses: readonly string[];
}

/** Why (part of) a packet was not read; several may apply to one packet. */
export type PacketProblem =
  | 'ERR_LAN_PACKET_SHAPE'
  | 'ERR_LAN_PACKET_TOO_MANY_RECORDS'
  | 'ERR_LAN_PACKET_TOO_MANY_INSTANCES'
  | 'ERR_LAN_ANNOUNCEMENT_INCOMPLETE';

export interface PacketReading {
  readonly announcements: readonly Announcement[];
  readonly problems: readonly PacketProblem[];
}

interface ResourceRecord {
  readonly name: string;
  readonly type: string;
  readonly ttl: number;
  readonly data: unknown;
}

function lower(name: string): string {
  // DNS names compare case-insensitively in ASCII only (RFC 4343).
  return name.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

function asRecord(value: unknown): ResourceRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { name, type, ttl, data } = value as Record<string, unknown>;
  if (typeof name !== 'string' || name.length > MAX_NAME_LENGTH || typeof type !== 'string') return undefined;
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 0) return undefined;
  return { name: lower(name), type, ttl, data };
}

function records(packet: Record<string, unknown>): { list: ResourceRecord[]; truncated: boolean } | undefined {
  const { answers, additionals } = packet;
  if (!Array.isArray(answers) || (additionals !== undefined && !Array.isArray(additionals))) return undefined;
  const sections: unknown[][] = [answers, (additionals as unknown[] | undefined) ?? []];
  const list: ResourceRecord[] = [];
  let seen = 0;
  for (const section of sections) {
    for (let i = 0; i < section.length && seen < MAX_RECORDS_READ; i++, seen++) {
      const record = asRecord(section[i]);
      if (record !== undefined) list.push(record);
    }
  }
  return { list, truncated: answers.length + ((additionals as unknown[] | undefined)?.length ?? 0) > MAX_RECORDS_READ };
}

/** The SRV data `{port, target}` when well-formed. */
function service(data: unknown): { port: number; target: string } | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const { port, target } = data as Record<string, unknown>;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  if (typeof target !== 'string' || target.length === 0 || target.length > MAX_NAME_LENGTH) return undefined;
  return { port, target: lower(target) };
}

/** Reads the announcements of `packet` (see the module comment). */
export function readAnnouncements(packet: unknown): PacketReading {
  if (typeof packet !== 'object' || packet === null) return { announcements: [], problems: ['ERR_LAN_PACKET_SHAPE'] };
  const read = records(packet as Record<string, unknown>);
  if (read === undefined) return { announcements: [], problems: ['ERR_LAN_PACKET_SHAPE'] };
  const problems: PacketProblem[] = read.truncated ? ['ERR_LAN_PACKET_TOO_MANY_RECORDS'] : [];
  const suffix = `.${SERVICE_DOMAIN}`;
  const instances = new Map<string, ResourceRecord>();
  for (const record of read.list) {
    if (record.type !== 'PTR' || record.name !== SERVICE_DOMAIN || typeof record.data !== 'string') continue;
    const domain = lower(record.data);
    if (!domain.endsWith(suffix) || domain.length === suffix.length || domain.length > MAX_NAME_LENGTH || instances.has(domain)) continue;
    if (instances.size >= MAX_INSTANCES_PER_PACKET) {
      problems.push('ERR_LAN_PACKET_TOO_MANY_INSTANCES');
      break;
    }
    instances.set(domain, record);
  }
  const announcements: Announcement[] = [];
  for (const [domain, pointer] of instances) {
    const instance = (pointer.data as string).slice(0, -suffix.length);
    const goodbye = pointer.ttl === 0;
    let srv: { port: number; target: string } | undefined;
    let txt: unknown;
    for (const record of read.list) {
      if (record.name !== domain) continue;
      if (record.type === 'SRV') srv ??= service(record.data);
      else if (record.type === 'TXT' && txt === undefined) txt = record.data;
    }
    if (!goodbye && (srv === undefined || txt === undefined)) {
      problems.push('ERR_LAN_ANNOUNCEMENT_INCOMPLETE');
      continue;
    }
    const addresses: string[] = [];
    if (srv !== undefined) {
      for (const record of read.list) {
        if (addresses.length >= MAX_ADDRESSES) break;
        if (record.type === 'A' && record.name === srv.target && typeof record.data === 'string' && IPV4.test(record.data) && !addresses.includes(record.data)) {
          addresses.push(record.data);
        }
      }
    }
    announcements.push({ domain, instance, goodbye, port: srv?.port, txt, addresses });
  }
  return { announcements, problems };
}
