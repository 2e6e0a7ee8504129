/**
 * The part of bittorrent-dht 11 (plain JS, no types of its own) that the test helpers use.
 * Options are handed on to k-rpc and k-rpc-socket, which is where `socket` is read.
 */
declare module 'bittorrent-dht' {
  import type { EventEmitter } from 'node:events';
  import type { AddressInfo } from 'node:net';
  import type { RemoteInfo } from 'node:dgram';

  /** What k-rpc-socket calls on its UDP socket (a `dgram.Socket` has all of it). */
  export interface KrpcUdpSocket {
    on(event: 'message', listener: (message: Buffer, remote: RemoteInfo) => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
    on(event: 'listening' | 'close', listener: () => void): this;
    send(message: Buffer, offset: number, length: number, port: number, address: string, callback?: (error: Error | null) => void): void;
    bind(port?: number, address?: string, callback?: () => void): void;
    address(): AddressInfo;
    close(): void;
  }

  export interface Contact {
    readonly host: string;
    readonly port: number;
  }

  export interface DhtOptions {
    /** Nodes to join through; `false` starts alone. Default: the public routers (never in tests). */
    readonly bootstrap?: false | readonly Contact[];
    /** The UDP socket to use instead of one of its own (read by k-rpc-socket). */
    readonly socket?: KrpcUdpSocket;
    /** BEP 44 signature check, `(signature, signedBytes, publicKey)`: must be synchronous. */
    readonly verify?: (signature: Buffer, message: Buffer, publicKey: Buffer) => boolean;
    /** How long a query may wait for its answer, ms (default 2000). */
    readonly timeout?: number;
  }

  /** A decoded bencode value as k-rpc-socket's bencode 2 gives it. */
  export type JsBencode = number | Buffer | readonly JsBencode[] | { readonly [key: string]: JsBencode };

  export interface MutablePut {
    readonly k: Buffer;
    readonly v: JsBencode;
    readonly seq: number;
    readonly sig: Buffer;
    readonly salt?: Buffer;
    readonly cas?: number;
  }

  export interface GetReply {
    readonly id: Buffer;
    readonly v: JsBencode;
    readonly k?: Buffer;
    readonly sig?: Buffer;
    readonly seq?: number;
    readonly salt?: Buffer;
  }

  export default class DHT extends EventEmitter {
    constructor(options?: DhtOptions);
    readonly nodeId: Buffer;
    readonly listening: boolean;
    listen(port?: number, address?: string, onListening?: () => void): void;
    address(): AddressInfo;
    addNode(node: Contact & { readonly id?: Buffer }): void;
    put(options: MutablePut, callback: (error: Error | null, target: Buffer, stored: number) => void): Buffer;
    get(target: Buffer, options: { readonly salt?: Buffer; readonly cache?: boolean }, callback: (error: Error | null, value: GetReply | null) => void): void;
    toJSON(): { nodes: Contact[] };
    destroy(callback?: () => void): void;
  }
}
