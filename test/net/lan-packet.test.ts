import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { readAnnouncements, MAX_ADDRESSES, MAX_INSTANCES_PER_PACKET, MAX_RECORDS_READ, SERVICE_DOMAIN } from '../../src/net/lan-packet.js';
import { bounded, fuzz } from '../fuzz/fuzz.js';

const TXT = [Buffer.from('txtvers=1'), Buffer.from('port=6881')];

/** What dns-packet makes of a bonjour-service announcement of instance `name`. */
function announcement(name: string, options: { ttl?: number; port?: number; addresses?: string[] } = {}): { answers: unknown[]; additionals: unknown[] } {
  const domain = `${name}.${SERVICE_DOMAIN}`;
  const ttl = options.ttl ?? 120;
  return {
    answers: [
      { name: SERVICE_DOMAIN, type: 'PTR', ttl: ttl === 0 ? 0 : 28800, class: 'IN', data: domain },
      { name: domain, type: 'SRV', ttl, class: 'IN', data: { port: options.port ?? 6881, target: `${name}.local`, priority: 0, weight: 0 } },
      { name: domain, type: 'TXT', ttl, class: 'IN', data: TXT },
      { name: '_services._dns-sd._udp.local', type: 'PTR', ttl, class: 'IN', data: SERVICE_DOMAIN },
      ...(options.addresses ?? ['10.0.0.1']).map((address) => ({ name: `${name}.local`, type: 'A', ttl, class: 'IN', data: address })),
    ],
    additionals: [],
  };
}

test('an announcement is read: instance, port, TXT as it came, addresses of the target', () => {
  const read = readAnnouncements(announcement('Node-1', { addresses: ['10.0.0.1', '10.0.0.1', '192.168.5.9'] }));
  assert.deepEqual(read.problems, []);
  assert.deepEqual(read.announcements, [
    { domain: `node-1.${SERVICE_DOMAIN}`, instance: 'Node-1', goodbye: false, port: 6881, txt: TXT, addresses: ['10.0.0.1', '192.168.5.9'] },
  ]);
});

test('an answer to a query (PTR in answers, the rest in additionals) reads the same; case does not matter', () => {
  const packet = announcement('n');
  const [ptr, ...rest] = packet.answers;
  const read = readAnnouncements({ answers: [ptr], additionals: rest.map((record) => ({ ...(record as object), name: (record as { name: string }).name.toUpperCase() })) });
  assert.equal(read.announcements.length, 1);
  assert.equal(read.announcements[0]?.port, 6881);
});

test('a goodbye is read without SRV or TXT; an incomplete announcement is not read', () => {
  const goodbye = readAnnouncements({ answers: [{ name: SERVICE_DOMAIN, type: 'PTR', ttl: 0, data: `n.${SERVICE_DOMAIN}` }] });
  assert.deepEqual(goodbye.announcements, [{ domain: `n.${SERVICE_DOMAIN}`, instance: 'n', goodbye: true, port: undefined, txt: undefined, addresses: [] }]);
  const packet = announcement('n');
  const noTxt = readAnnouncements({ answers: packet.answers.filter((record) => (record as { type: string }).type !== 'TXT') });
  assert.deepEqual(noTxt, { announcements: [], problems: ['ERR_LAN_ANNOUNCEMENT_INCOMPLETE'] });
});

test('other services, other names and malformed records are not read', () => {
  const read = readAnnouncements({
    answers: [
      { name: '_http._tcp.local', type: 'PTR', ttl: 120, data: `x._http._tcp.local` },
      { name: SERVICE_DOMAIN, type: 'PTR', ttl: 120, data: SERVICE_DOMAIN },
      { name: SERVICE_DOMAIN, type: 'PTR', ttl: 120, data: `.${SERVICE_DOMAIN}` },
      { name: SERVICE_DOMAIN, type: 'PTR', ttl: 120, data: 42 },
      { name: SERVICE_DOMAIN, type: 'PTR', ttl: -1, data: `n.${SERVICE_DOMAIN}` },
      { name: SERVICE_DOMAIN, type: 'PTR', ttl: 120, data: `${'x'.repeat(300)}.${SERVICE_DOMAIN}` },
      null,
      'PTR',
    ],
  });
  assert.deepEqual(read, { announcements: [], problems: [] });
  for (const shape of [null, 5, 'x', {}, { answers: 'x' }, { answers: [], additionals: 5 }]) {
    assert.deepEqual(readAnnouncements(shape).problems, ['ERR_LAN_PACKET_SHAPE']);
  }
  const badSrv = announcement('n', { port: 0 });
  assert.deepEqual(readAnnouncements(badSrv).problems, ['ERR_LAN_ANNOUNCEMENT_INCOMPLETE']);
});

test('a packet costs bounded work: records and instances beyond the limits are not looked at', () => {
  const many = Array.from({ length: 10 }, (_, i) => announcement(`n${i}`).answers).flat();
  const read = readAnnouncements({ answers: many, additionals: [] });
  assert.ok(read.announcements.length <= MAX_INSTANCES_PER_PACKET);
  assert.ok(read.problems.includes('ERR_LAN_PACKET_TOO_MANY_INSTANCES'));
  const flood = { answers: new Array(100_000).fill({ name: SERVICE_DOMAIN, type: 'PTR', ttl: 1, data: 'x' }), additionals: [] };
  assert.deepEqual(bounded('readAnnouncements', () => readAnnouncements(flood)).problems, ['ERR_LAN_PACKET_TOO_MANY_RECORDS']);
  const addresses = Array.from({ length: 20 }, (_, i) => `10.0.0.${i}`);
  assert.equal(readAnnouncements(announcement('n', { addresses })).announcements[0]?.addresses.length, MAX_ADDRESSES);
  assert.ok(MAX_RECORDS_READ >= 5 * MAX_INSTANCES_PER_PACKET);
});

test('any packet shape is read without throwing', () => {
  const name = fc.oneof(fc.constant(SERVICE_DOMAIN), fc.constant(`n.${SERVICE_DOMAIN}`), fc.constant('n.local'), fc.string({ maxLength: 40 }));
  const record = fc.oneof(
    fc.anything(),
    fc.record({
      name: fc.oneof(name, fc.anything()),
      type: fc.oneof(fc.constantFrom('PTR', 'SRV', 'TXT', 'A', 'AAAA'), fc.anything()),
      ttl: fc.oneof(fc.nat(), fc.integer(), fc.double(), fc.anything()),
      data: fc.oneof(name, fc.record({ port: fc.oneof(fc.integer(), fc.anything()), target: fc.oneof(name, fc.anything()) }), fc.array(fc.uint8Array({ maxLength: 20 })), fc.ipV4(), fc.anything()),
    }),
  );
  fuzz(
    fc.property(fc.oneof(fc.anything(), fc.record({ answers: fc.array(record, { maxLength: 12 }), additionals: fc.oneof(fc.array(record, { maxLength: 12 }), fc.anything()) })), (packet) => {
      const read = bounded('readAnnouncements', () => readAnnouncements(packet));
      for (const found of read.announcements) {
        assert.ok(found.domain.endsWith(`.${SERVICE_DOMAIN}`));
        assert.ok(found.goodbye || (found.port !== undefined && found.port >= 1 && found.port <= 65535));
      }
    }),
    2000,
    2000,
  );
});
