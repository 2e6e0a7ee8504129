/**
 * The world of a test of the real app: a private Xvfb and a temporary folder for the
 * file, a private DHT of ten libtorrent nodes on 127.0.0.1 for each test, and the serve
 * nodes and app processes a test starts, all stopped after it. Call `appTestbed` once at
 * the top of a test file; its getters are valid inside the tests.
 */
import { after, afterEach, before, beforeEach } from 'node:test';
import { startDhtNetwork, type DhtNetwork } from './dht-network.js';
import type { ServeNode } from './nodes.js';
import type { Driven } from './process.js';
import { makeTempDir, removeDir } from './temp.js';
import { startXvfb, type XServer } from './xvfb.js';

export interface AppTestbed {
  readonly x: XServer;
  /** The file's temporary folder. */
  readonly root: string;
  /** This test's DHT network and the port of its first node (the bootstrap). */
  readonly dht: DhtNetwork;
  readonly port: number;
  /** Serve nodes and apps to stop after the test: push what the test starts. */
  readonly running: ServeNode[];
  readonly apps: Driven[];
}

/** Registers the hooks; see the file comment. */
export function appTestbed(prefix: string, dhtNodes = 10): AppTestbed {
  let x: XServer | undefined;
  let root: string | undefined;
  let dht: DhtNetwork | undefined;
  const running: ServeNode[] = [];
  const apps: Driven[] = [];
  before(async () => {
    x = await startXvfb();
    root = makeTempDir(prefix);
  });
  after(async () => {
    await x?.stop();
    if (root !== undefined) removeDir(root);
  });
  beforeEach(async () => {
    dht = await startDhtNetwork(dhtNodes);
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) app.child.kill('SIGKILL');
    await Promise.all(running.splice(0).map((node) => node.stop().catch(() => undefined)));
    await dht?.close();
    dht = undefined;
  });
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the app testbed has no ${what} outside a test`);
    return value;
  };
  return {
    get x() {
      return ready(x, 'X server');
    },
    get root() {
      return ready(root, 'folder');
    },
    get dht() {
      return ready(dht, 'DHT');
    },
    get port() {
      return ready(dht, 'DHT').nodes[0]?.listenPort ?? 0;
    },
    running,
    apps,
  };
}
