/**
 * A node's first, empty notice is not re-announced once its sites are set (issue #25 item
 * 12: neighbours saw the node's sites vanish and come back). bonjour-service re-announces a
 * service 1 s, 3 s, 9 s … after its first send, from that send's callback, which marks the
 * service active again even when it was stopped in between — as LanLink does, setting the
 * sites in the tick after opening. Two hosts of a namespace LAN, real mDNS.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLan, netnsUnavailable } from '../helpers/netns.js';
import type { Message } from '../helpers/process.js';

const unavailable = await netnsUnavailable();
const skip = unavailable === undefined ? false : `needs network namespaces: ${unavailable}`;

const NODE = 'dist/test/fixtures/lan-node.js';
const KEY_A = 'a1'.repeat(32);
const KEY_B = 'b2'.repeat(32);
/** Covers bonjour-service's first two re-announcements (1 s and 4 s after the first send). */
const WATCH_MS = 6_000;

interface WirePeer {
  readonly host: string;
  readonly sites: readonly { readonly key: string }[];
}

test("the sites set right after opening are what the LAN keeps hearing, never the empty first notice again", { skip }, async () => {
  const lan = await createLan(2);
  try {
    const [hostA, hostB] = lan.hosts;
    assert.ok(hostA !== undefined && hostB !== undefined);
    const observer = hostB.startNode([NODE, JSON.stringify({ port: 6882, sites: [{ key: KEY_B, seq: '1' }], interfaceAddress: hostB.address })]);
    await observer.waitFor((m) => m['event'] === 'ready', 'the observer to start');
    const node = hostA.startNode([NODE, JSON.stringify({ port: 6881, sites: [], thenSites: [{ key: KEY_A, seq: '3' }], interfaceAddress: hostA.address })]);
    await node.waitFor((m) => m['event'] === 'ready', 'the node to start');
    const ofA = (m: Message): WirePeer | undefined => {
      const peer = m['peer'] as WirePeer | undefined;
      return peer?.host === hostA.address ? peer : undefined;
    };
    const carriesA = (m: Message): boolean => ofA(m)?.sites.some((site) => site.key === KEY_A) === true;
    const first = await observer.waitFor(carriesA, "the observer to hear of A's site", 15_000);
    const from = observer.messages.indexOf(first);
    await new Promise((resolve) => setTimeout(resolve, WATCH_MS));
    const later = observer.messages.slice(from + 1).filter((m) => ofA(m) !== undefined);
    const lost = later.filter((m) => !carriesA(m));
    assert.deepEqual(lost.map((m) => `${String(m['event'])}: ${JSON.stringify(ofA(m)?.sites)}`), [], 'A never appears without its site');
  } finally {
    await lan.close();
  }
});
