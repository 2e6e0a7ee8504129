/**
 * How a TorrentSession is set up: its options, and the libtorrent settings they become
 * (small-machine defaults, and the relaxed rules for peers that share one host).
 */
import type { SettingsPack } from './native.js';

/** A host and port: a peer, a DHT node. */
export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

/** What a TorrentSession is made with; every field has a default. */
export interface SessionOptions {
  /** Where to listen, e.g. `127.0.0.1:0` (default: every interface, any free port). */
  readonly listen?: string;
  /** Mainline DHT (BEP 5/44) on, with these bootstrap nodes; off when false. */
  readonly dht?: boolean;
  readonly dhtBootstrap?: readonly Endpoint[];
  /** Local Service Discovery (BEP 14). */
  readonly lsd?: boolean;
  /** UPnP and NAT-PMP port mapping (on by default; tests switch it off). */
  readonly portMapping?: boolean;
  /**
   * Every peer and DHT node is on one host (loopback tests, namespaces sharing an address):
   * allows several connections per IP and relaxes the DHT's one-node-per-IP rules (FACTS.md).
   */
  readonly sameHostPeers?: boolean;
  /** The BEP 10 extension message name this session speaks (empty: none). */
  readonly extension?: string;
  /** A saved session state (saveState()), to keep the DHT node id and routing table. */
  readonly state?: Uint8Array;
  /** More libtorrent settings by their own names; they win over the defaults. */
  readonly settings?: SettingsPack;
}

/** BEP 10 extension message name of swarmpress's update gossip. */
export const EXTENSION_NAME = 'swarmpress_update';

// libtorrent alert categories (alert_category_t bits).
const ALERT_ERROR = 1 << 0;
const ALERT_PEER = 1 << 1;
const ALERT_STORAGE = 1 << 3;
const ALERT_CONNECT = 1 << 5;
const ALERT_STATUS = 1 << 6;
const ALERT_DHT = 1 << 10;
const ALERT_DHT_OPERATION = 1 << 18;
const ALERT_PIECE_PROGRESS = 1 << 22;

/**
 * Defaults for small machines: the POSIX disk backend is chosen by the binding (no
 * memory-mapped files); queues, buffers and connection counts are kept small.
 */
const LOW_MEMORY_SETTINGS: SettingsPack = {
  alert_mask: ALERT_ERROR | ALERT_PEER | ALERT_STORAGE | ALERT_CONNECT | ALERT_STATUS | ALERT_DHT | ALERT_DHT_OPERATION | ALERT_PIECE_PROGRESS,
  alert_queue_size: 4000,
  user_agent: 'swarmpress/0.1',
  peer_fingerprint: '-SP0010-',
  // Every version of a site is its own swarm, and seeds keep their connections (below): ten
  // LAN hosts holding twenty versions each open ~200 connections (measured: at 200 the 16th
  // version of the LAN benchmark found no connection slot and was never fetched).
  connections_limit: 500,
  aio_threads: 2,
  hashing_threads: 1,
  max_queued_disk_bytes: 1024 * 1024,
  send_buffer_watermark: 512 * 1024,
  stop_tracker_timeout: 1,
  // Outgoing connections over TCP: uTP's LEDBAT congestion control yields by design, and on
  // loopback moved 1 GiB at 4.7 MB/s where TCP moved 75-100 MB/s (measured, 2.0.8). uTP
  // from other peers is still accepted.
  enable_outgoing_utp: false,
  enable_incoming_utp: true,
  // Keep connections between peers that both have everything: new versions are pushed to
  // readers over the connections of the version they already hold (BEP 10 messages), and
  // libtorrent otherwise drops a connection once both sides are seeds.
  close_redundant_connections: false,
  // A LAN mesh is a DHT of a handful of nodes that each ask every other node several times
  // per publish (two slots: lookups and puts): libtorrent's defaults (block an IP that
  // sends more than 5 packets/s for 5 minutes; 8 KB/s of DHT upload) made every other
  // publish on a 10-host LAN wait 15-30 s for blocked nodes to time out (measured).
  dht_block_ratelimit: 100,
  dht_upload_rate_limit: 64_000,
};

/**
 * When every peer and DHT node shares one address: libtorrent otherwise keeps one routing
 * entry per IP (FACTS.md), and blacklists for 5 minutes an IP that sends more than 5 DHT
 * packets a second (`dht_block_ratelimit`) — which a handful of local nodes do at once.
 */
const SAME_HOST_SETTINGS: SettingsPack = {
  allow_multiple_connections_per_ip: true,
  dht_restrict_routing_ips: false,
  dht_restrict_search_ips: false,
  dht_prefer_verified_node_ids: false,
  dht_block_ratelimit: 1_000_000,
  dht_upload_rate_limit: 1_000_000,
};

/**
 * The libtorrent settings of a session with `options`: the defaults above, then what the
 * options say, then `options.settings`, which win.
 */
export function sessionSettings(options: SessionOptions): Record<string, string | number | boolean> {
  const dht = options.dht ?? true;
  const sameHost = options.sameHostPeers ?? false;
  return {
    ...LOW_MEMORY_SETTINGS,
    listen_interfaces: options.listen ?? '0.0.0.0:0,[::]:0',
    enable_dht: dht,
    dht_bootstrap_nodes: (options.dhtBootstrap ?? []).map((e) => (e.host.includes(':') ? `[${e.host}]:${e.port}` : `${e.host}:${e.port}`)).join(','),
    enable_lsd: options.lsd ?? true,
    enable_upnp: options.portMapping ?? true,
    enable_natpmp: options.portMapping ?? true,
    ...(sameHost ? SAME_HOST_SETTINGS : {}),
    ...options.settings,
  };
}
