/**
 * aria2c, the independent BitTorrent client of the interop tests and benchmarks, held to
 * loopback: no DHT, no LSD, no peer exchange, no trackers; it only meets the peers that
 * connect to its listen port.
 */
import { Driven } from './process.js';

export interface Aria2Options {
  readonly dir: string;
  readonly port: number;
  readonly seed: boolean;
  readonly torrent: string;
  /** A tracker (test/helpers/tracker.ts) to learn peers from. */
  readonly tracker?: string;
}

export function aria2Args(options: Aria2Options): string[] {
  return [
    `--dir=${options.dir}`,
    `--listen-port=${options.port}`,
    '--enable-dht=false',
    '--enable-dht6=false',
    '--bt-enable-lpd=false',
    '--enable-peer-exchange=false',
    '--bt-tracker-connect-timeout=1',
    '--disable-ipv6=true',
    '--file-allocation=none',
    '--summary-interval=0',
    '--console-log-level=warn',
    '--check-integrity=true',
    '--bt-seed-unverified=false',
    ...(options.seed ? ['--seed-ratio=0.0', '--seed-time=600'] : ['--seed-time=0']),
    ...(options.tracker === undefined ? [] : [`--bt-tracker=${options.tracker}`]),
    options.torrent,
  ];
}

export function startAria2(options: Aria2Options): Driven {
  return new Driven('aria2c', aria2Args(options));
}
