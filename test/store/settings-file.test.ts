/**
 * settings.json: what is read back, what a malformed or out-of-range file gives (the
 * defaults and why), that a bad value is never written, and how the window's form values
 * become settings (app-dialogs.ts).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { settingsFromForm } from '../../src/app/app-dialogs.js';
import { checkSettings, DEFAULT_SETTINGS, MAX_RATE_KBPS, rateLimitSettings, readSettings, SETTINGS_FILE, writeSettings } from '../../src/store/settings-file.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';

const root = makeTempDir('swarmpress-settings-');
after(() => {
  removeDir(root);
});

test('no file: the defaults, with no problem; written settings are read back', () => {
  const dir = path.join(root, 'round-trip');
  fs.mkdirSync(dir);
  assert.deepEqual(readSettings(dir), { settings: DEFAULT_SETTINGS });
  const chosen = { cacheBudgetMb: 10, uploadKBps: 50, downloadKBps: 0, seedReads: false, publishBlockList: true, lanAnnounce: 'own' as const };
  writeSettings(dir, chosen);
  assert.deepEqual(readSettings(dir), { settings: chosen });
  assert.deepEqual(rateLimitSettings(chosen), { upload_rate_limit: 51_200, download_rate_limit: 0 });
  assert.equal(fs.statSync(path.join(dir, SETTINGS_FILE)).mode & 0o777, 0o600);
});

test('a malformed or out-of-range file gives the defaults and says why', () => {
  const dir = path.join(root, 'bad');
  fs.mkdirSync(dir);
  const cases: [string, RegExp][] = [
    ['{not json', /is not JSON: the default settings are used/],
    ['[1,2]', /must be a JSON object/],
    ['{"cacheBudgetMb": -1}', /the cache budget \(MB\) must be a whole number from 1 to 1048576, not -1/],
    ['{"cacheBudgetMb": 0}', /the cache budget \(MB\) must be a whole number from 1 to 1048576, not 0/],
    ['{"uploadKBps": 1.5}', /the upload limit \(KB\/s\) must be a whole number/],
    [`{"downloadKBps": ${MAX_RATE_KBPS + 1}}`, /the download limit/],
    ['{"seedReads": "yes"}', /seedReads must be true or false, not "yes"/],
    ['{"publishBlockList": 1}', /publishBlockList must be true or false, not 1/],
    ['{"lanAnnounce": "all"}', /lanAnnounce must be "own", "own-and-followed" or "nothing", not "all"/],
    ['{"lanAnnounce": true}', /lanAnnounce must be "own", "own-and-followed" or "nothing", not true/],
  ];
  for (const [text, problem] of cases) {
    fs.writeFileSync(path.join(dir, SETTINGS_FILE), text);
    const read = readSettings(dir);
    assert.deepEqual(read.settings, DEFAULT_SETTINGS, text);
    assert.match(read.problem ?? '', problem, text);
  }
  // Missing keys take their defaults.
  fs.writeFileSync(path.join(dir, SETTINGS_FILE), '{"uploadKBps": 7}');
  assert.deepEqual(readSettings(dir), { settings: { ...DEFAULT_SETTINGS, uploadKBps: 7 } });
  // A file written before the LAN setting existed announces own and followed sites, never sites only read.
  assert.equal(DEFAULT_SETTINGS.lanAnnounce, 'own-and-followed');
  fs.writeFileSync(path.join(dir, SETTINGS_FILE), '{"lanAnnounce": "nothing"}');
  assert.deepEqual(readSettings(dir), { settings: { ...DEFAULT_SETTINGS, lanAnnounce: 'nothing' } });
});

test('a bad value is refused before anything is written', () => {
  const dir = path.join(root, 'refuse');
  fs.mkdirSync(dir);
  writeSettings(dir, DEFAULT_SETTINGS);
  const before = fs.readFileSync(path.join(dir, SETTINGS_FILE));
  assert.throws(() => {
    writeSettings(dir, { ...DEFAULT_SETTINGS, cacheBudgetMb: Number.NaN });
  }, RangeError);
  assert.deepEqual(fs.readFileSync(path.join(dir, SETTINGS_FILE)), before);
  assert.equal(checkSettings({ ...DEFAULT_SETTINGS, uploadKBps: MAX_RATE_KBPS }).ok, true);
});

test('form values: digits only, each in range, with a message naming the field', () => {
  assert.deepEqual(settingsFromForm({ cacheBudgetMb: ' 512 ', uploadKBps: '0', downloadKBps: '64', seedReads: true, publishBlockList: true, lanAnnounce: 'own' }), { cacheBudgetMb: 512, uploadKBps: 0, downloadKBps: 64, seedReads: true, publishBlockList: true, lanAnnounce: 'own' });
  assert.equal(settingsFromForm({ cacheBudgetMb: '1', uploadKBps: '0', downloadKBps: '0', seedReads: true, lanAnnounce: 'everyone' }), 'LanAnnounce must be "own", "own-and-followed" or "nothing", not "everyone". Nothing was changed.');
  assert.equal(settingsFromForm({ cacheBudgetMb: '1e3', uploadKBps: '0', downloadKBps: '0', seedReads: true }), "The cache budget must be a whole number (digits only), not '1e3'. Nothing was changed.");
  assert.equal(settingsFromForm({ cacheBudgetMb: '1', uploadKBps: '-5', downloadKBps: '0', seedReads: true }), "The upload limit must be a whole number (digits only), not '-5'. Nothing was changed.");
  assert.equal(settingsFromForm({ cacheBudgetMb: '1', uploadKBps: '0', downloadKBps: '9999999', seedReads: false }), `The download limit (KB/s) must be a whole number from 0 to ${MAX_RATE_KBPS}, not 9999999. Nothing was changed.`);
});
