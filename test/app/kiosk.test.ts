/** Kiosk policy (src/app/kiosk.ts): which addresses a kiosk opens, its idle time, and the return home. */
import assert from 'node:assert/strict';
import test from 'node:test';
import { parseKioskIdle, KioskPolicy, MAX_KIOSK_IDLE_S, startIdleReturn } from '../../src/app/kiosk.js';
import { parseCommandLine } from '../../src/app/cli.js';

const HOME_KEY = 'ab'.repeat(32);
const OTHER_KEY = 'cd'.repeat(32);
const ALLOWED_KEY = 'ef'.repeat(32);
const INFOHASH = '12'.repeat(20);

test('a kiosk opens every page of its own site and of the sites allowed, and nothing else', () => {
  const policy = new KioskPolicy(`bittorrent://${HOME_KEY}`, [`magnet:?xs=urn:btpk:${ALLOWED_KEY}`]);
  assert.equal(policy.home, `bittorrent://${HOME_KEY}`);
  for (const address of [`bittorrent://${HOME_KEY}`, `bittorrent://${HOME_KEY}/posts/one.md#part`, HOME_KEY.toUpperCase(), `bittorrent://${ALLOWED_KEY}/index.md`]) {
    assert.equal(policy.allows(address), true, address);
  }
  for (const address of [`bittorrent://${OTHER_KEY}`, `bittorrent://${INFOHASH}`, `magnet:?xs=urn:btpk:${HOME_KEY}&s=01`, 'https://example.org/', 'not an address', '']) {
    assert.equal(policy.allows(address), false, address);
  }
  assert.equal(policy.refusal(`bittorrent://${OTHER_KEY}`), `This kiosk shows only its own sites: bittorrent://${OTHER_KEY} was not opened.`);
});

test('a kiosk started on a fixed version opens that version only', () => {
  const policy = new KioskPolicy(`bittorrent://${INFOHASH}`);
  assert.equal(policy.allows(`bittorrent://${INFOHASH}/page.md`), true);
  assert.equal(policy.allows(`bittorrent://${'34'.repeat(20)}`), false);
  assert.equal(policy.refusal('x'), 'This kiosk shows only its own site: x was not opened.');
  assert.throws(() => new KioskPolicy('nowhere'), TypeError);
});

test('--kiosk-idle takes 0 to a day of whole seconds; --kiosk-allow takes addresses; both go with --kiosk only', () => {
  assert.equal(parseKioskIdle('0'), 0);
  assert.equal(parseKioskIdle(String(MAX_KIOSK_IDLE_S)), MAX_KIOSK_IDLE_S);
  for (const bad of ['-1', '1.5', '', 'ten', String(MAX_KIOSK_IDLE_S + 1)]) assert.equal(typeof parseKioskIdle(bad), 'string', bad);
  assert.deepEqual(parseCommandLine(['--kiosk', HOME_KEY, '--kiosk-idle', '30', '--kiosk-allow', `${ALLOWED_KEY}, bittorrent://${INFOHASH}`]).command, {
    name: 'window', url: HOME_KEY, kiosk: true, kioskIdleS: 30, kioskAllow: [ALLOWED_KEY, `bittorrent://${INFOHASH}`],
  });
  assert.deepEqual(parseCommandLine(['--kiosk', HOME_KEY]).command, { name: 'window', url: HOME_KEY, kiosk: true, kioskIdleS: 120, kioskAllow: [] });
  assert.throws(() => parseCommandLine(['--kiosk-idle', '30']), /go with --kiosk URL/);
  assert.throws(() => parseCommandLine(['--kiosk', HOME_KEY, '--kiosk-idle', 'soon']), /whole number of seconds/);
  assert.throws(() => parseCommandLine(['--kiosk', HOME_KEY, '--kiosk-allow', 'elsewhere']), /--kiosk-allow expects swarm addresses/);
});

/** A clock and timers under the test's control. */
function fakeTime(): { now: () => number; advance: (ms: number) => void; setTimer: (run: () => void, ms: number) => unknown; clearTimer: (timer: unknown) => void; pending: () => number } {
  let now = 0;
  let timers: { at: number; run: () => void }[] = [];
  return {
    now: () => now,
    advance: (ms) => {
      const end = now + ms;
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const next = timers[0];
        if (next === undefined || next.at > end) break;
        timers.shift();
        now = next.at;
        next.run();
      }
      now = end;
    },
    setTimer: (run, ms) => {
      const timer = { at: now + ms, run };
      timers.push(timer);
      return timer;
    },
    clearTimer: (timer) => {
      timers = timers.filter((t) => t !== timer);
    },
    pending: () => timers.length,
  };
}

test('after the idle time without input the kiosk goes home; input meanwhile puts it off; one timer at a time', () => {
  const time = fakeTime();
  let lastInput = 0;
  let homes: number[] = [];
  const stop = startIdleReturn({ idleMs: 10_000, idleFor: () => time.now() - lastInput, onIdle: () => homes.push(time.now()), setTimer: time.setTimer, clearTimer: time.clearTimer });
  time.advance(4_000);
  lastInput = time.now();
  time.advance(9_000);
  assert.deepEqual(homes, [], 'input at 4 s: not idle at 10 s');
  assert.equal(time.pending(), 1);
  time.advance(1_000);
  assert.deepEqual(homes, [14_000], 'home 10 s after the last input');
  time.advance(10_000);
  assert.deepEqual(homes, [14_000, 24_000], 'and again after each further idle time (the window ignores it when home already)');
  homes = [];
  stop();
  assert.equal(time.pending(), 0);
  time.advance(60_000);
  assert.deepEqual(homes, []);
});

test('an idle time of 0 never returns home', () => {
  const time = fakeTime();
  startIdleReturn({ idleMs: 0, idleFor: () => time.now(), onIdle: () => assert.fail('went home'), setTimer: time.setTimer, clearTimer: time.clearTimer });
  assert.equal(time.pending(), 0);
});
