/**
 * The control of the filter tests: bittorrent-dht as its README sets it up (its own UDP
 * socket, no filter, @noble/ed25519's `verify`), alone on 127.0.0.1. It runs in a child
 * process because one malformed datagram is expected to kill it (FACTS.md).
 *
 *   node bittorrent-dht-unfiltered-child.js                    listen only
 *   node bittorrent-dht-unfiltered-child.js PORT TARGET_HEX    then look TARGET up through 127.0.0.1:PORT
 *
 * Prints `{"port": N}` once listening, and `{"lookup": "done"}` if a lookup ends.
 */
import * as ed from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
import DHT from 'bittorrent-dht';

ed.hashes.sha512 = sha512;

const [bootstrapPort, target] = process.argv.slice(2);
const dht = new DHT({
  // Never the public routers: nobody, or one local node.
  bootstrap: bootstrapPort === undefined ? false : [{ host: '127.0.0.1', port: Number(bootstrapPort) }],
  verify: (signature, message, publicKey) => ed.verify(signature, message, publicKey),
});
// Bound in this tick, before the library's first query (next tick): on loopback only.
dht.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: dht.address().port })}\n`);
  if (target !== undefined) {
    dht.get(Buffer.from(target, 'hex'), { cache: false }, () => {
      process.stdout.write(`${JSON.stringify({ lookup: 'done' })}\n`);
    });
  }
});
