/**
 * Session options that keep a test's libtorrent session on 127.0.0.1: no DHT (or only the
 * private one a test builds), no LSD multicast, no port mapping; several local peers allowed.
 */
export const LOOPBACK = { listen: '127.0.0.1:0', dht: false, lsd: false, portMapping: false, sameHostPeers: true } as const;
