import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { presentError } from '../../src/app/messages.js';
import { AppError } from '../../src/core/errors.js';
import { NativeError } from '../../src/net/native-error.js';
import { createTorrent, parseTorrent, TorrentSession } from '../../src/net/session.js';
import { makeFolder } from '../helpers/sites.js';
import { makeTempDir, removeDir } from '../helpers/temp.js';
import { LOOPBACK } from '../helpers/loopback.js';

let dir: string;
before(() => {
  dir = makeTempDir();
});
after(() => {
  removeDir(dir);
});

/** What a call throws, or a failure when it throws nothing. */
function thrown(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  assert.fail('expected a throw');
}

test("a synchronous libtorrent failure is JS's NativeError with libtorrent's figures, and the user reads its message", () => {
  const error = thrown(() => new TorrentSession({ ...LOOPBACK, state: Buffer.from('not bencode') }));
  assert.ok(error instanceof NativeError, `a NativeError, not ${String(error)}`);
  assert.ok(error instanceof AppError);
  assert.equal(error.name, 'NativeError');
  assert.equal(error.code, 'ERR_LIBTORRENT');
  assert.equal(error.category, 'bdecode');
  assert.ok(error.value > 0, `bdecode's error value: ${error.value}`);
  assert.equal(error.operation, 'read_session_params');
  assert.match(error.message, /^read_session_params: .+ \(bdecode \d+\)$/);
  assert.ok(error.stack?.includes('native-error.test'), 'the stack shows the JS caller');
  const shown = presentError(error);
  assert.equal(shown.code, 'ERR_LIBTORRENT');
  assert.equal(shown.message, error.message, 'not "internal error"');
  assert.doesNotMatch(shown.message, /internal error/);
});

test('adding a torrent twice is a NativeError naming add_torrent, as the user reads it', async () => {
  const site = path.join(dir, 'twice', 'site');
  makeFolder(site, { 'index.md': 100 });
  const created = await createTorrent(site);
  const session = new TorrentSession(LOOPBACK);
  try {
    session.addTorrent({ torrent: created.torrent, savePath: path.dirname(site) });
    const error = thrown(() => session.addTorrent({ torrent: created.torrent, savePath: path.dirname(site) }));
    assert.ok(error instanceof NativeError);
    assert.equal(error.operation, 'add_torrent');
    assert.equal(error.category, 'libtorrent');
    assert.match(presentError(error).message, /^add_torrent: torrent already exists in session \(libtorrent \d+\)$/);
  } finally {
    await session.close();
  }
});

test("the binding's own refusals are NativeErrors with their own code, for a closed session and an unknown torrent", async () => {
  const session = new TorrentSession(LOOPBACK);
  const unknown = thrown(() => session.status('a'.repeat(40)));
  assert.ok(unknown instanceof NativeError);
  assert.deepEqual(
    { code: unknown.code, category: unknown.category, value: unknown.value, operation: unknown.operation, message: unknown.message },
    { code: 'ERR_NO_TORRENT', category: 'swarmpress', value: 0, operation: 'find_torrent', message: `no torrent ${'a'.repeat(40)} in this session` },
  );
  await session.close();
  const closed = thrown(() => session.addTorrent({ infoHash: 'a'.repeat(40), savePath: dir }));
  assert.ok(closed instanceof NativeError);
  assert.equal(closed.code, 'ERR_SESSION_CLOSED');
  assert.equal(presentError(closed).message, 'the session is closed');
});

test('malformed torrents and refused folders are NativeErrors too', async () => {
  const parsed = parseTorrent(Buffer.from('d4:infoi1ee'));
  assert.ok(!parsed.ok, 'refused');
  assert.equal(parsed.error.constructor, NativeError);
  assert.equal(parsed.error.operation, 'parse_torrent');
  const missing = path.join(dir, 'no-such-folder');
  await assert.rejects(createTorrent(missing), (error: unknown) => {
    assert.ok(error instanceof NativeError);
    assert.equal(error.code, 'ERR_NOT_A_FOLDER');
    assert.equal(error.operation, 'create_torrent');
    assert.equal(presentError(error).message, `${missing} is not a folder`);
    return true;
  });
});
