/**
 * A raw KRPC endpoint on 127.0.0.1 for tests of DHT nodes: it sends queries and waits for
 * their replies, sends arbitrary datagrams, and answers the queries it receives — pings
 * and lookups honestly (no nodes), BEP 44 `get`s with whatever reply the test sets.
 */
import crypto from 'node:crypto';
import dgram from 'node:dgram';
import { decodeBencode, dictFromEntries, encodeBencode, type BencodeDict, type BencodeValue } from '../../src/core/bencode.js';
import { utf8 } from '../../src/core/bytes.js';

export interface KrpcProbe {
  readonly port: number;
  readonly id: Uint8Array;
  /** Queries received, by name. */
  readonly received: ReadonlyMap<string, number>;
  /** Sends a query and resolves with the reply's dictionary (`r` or `e` message). */
  query(port: number, q: string, args: Readonly<Record<string, BencodeValue>>, timeoutMs?: number): Promise<BencodeDict>;
  /** Sends one datagram as is. */
  send(port: number, datagram: Uint8Array): Promise<void>;
  /** The `r` fields (besides `id`) to answer `get` queries with; none: an empty answer. */
  getReply: Readonly<Record<string, BencodeValue>> | undefined;
  close(): Promise<void>;
}

export function krpcQuery(t: Uint8Array, q: string, args: Readonly<Record<string, BencodeValue>>): Uint8Array {
  return encodeBencode(dictFromEntries({ t, y: utf8('q'), q: utf8(q), a: dictFromEntries(args) }));
}

export async function openKrpcProbe(): Promise<KrpcProbe> {
  const socket = dgram.createSocket('udp4');
  const id = crypto.randomBytes(20);
  const received = new Map<string, number>();
  const waiting = new Map<string, (reply: BencodeDict) => void>();
  let next = 0;
  const send = (port: number, datagram: Uint8Array): Promise<void> =>
    new Promise((resolve, reject) => {
      socket.send(datagram, port, '127.0.0.1', (error) => {
        if (error) reject(error);
        else resolve();
      });
    });
  const probe: KrpcProbe = {
    get port() {
      return socket.address().port;
    },
    id,
    received,
    getReply: undefined,
    query: async (port, q, args, timeoutMs = 5000) => {
      const t = Buffer.from([0xee, next++ & 0xff]);
      const reply = new Promise<BencodeDict>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(t.toString('hex'));
          reject(new Error(`no reply to ${q} from port ${port} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.set(t.toString('hex'), (message) => {
          clearTimeout(timer);
          resolve(message);
        });
      });
      await send(port, krpcQuery(t, q, { id, ...args }));
      return reply;
    },
    send,
    close: () =>
      new Promise((resolve) => {
        socket.close(() => {
          resolve();
        });
      }),
  };
  socket.on('message', (datagram, remote) => {
    const decoded = decodeBencode(new Uint8Array(datagram));
    if (!decoded.ok || !(decoded.value instanceof Map)) return;
    const message = decoded.value as BencodeDict;
    const t = message.get('t');
    const y = message.get('y');
    if (!(t instanceof Uint8Array) || !(y instanceof Uint8Array)) return;
    const kind = Buffer.from(y).toString();
    if (kind === 'r' || kind === 'e') {
      const key = Buffer.from(t).toString('hex');
      waiting.get(key)?.(message);
      waiting.delete(key);
      return;
    }
    const q = message.get('q');
    if (kind !== 'q' || !(q instanceof Uint8Array)) return;
    const name = Buffer.from(q).toString();
    received.set(name, (received.get(name) ?? 0) + 1);
    const r: Record<string, BencodeValue> = { id, token: utf8('probe-token'), nodes: new Uint8Array(0) };
    if (name === 'get' && probe.getReply !== undefined) Object.assign(r, probe.getReply);
    send(remote.port, encodeBencode(dictFromEntries({ t, y: utf8('r'), r: dictFromEntries(r) }))).catch(() => undefined);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return probe;
}
