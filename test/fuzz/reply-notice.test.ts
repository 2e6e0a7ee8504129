import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { signRecord } from '../../src/core/bep44.js';
import { encodeSitePointer } from '../../src/core/bep46.js';
import { Identity } from '../../src/core/identity.js';
import { decodeReplyNotice, encodeReplyNotice, isReplyNotice, parseReplyNotice } from '../../src/core/reply-notice.js';
import { bencodeishBytes, bounded, fuzz, mutate, mutations } from './fuzz.js';

const RECORD = signRecord(Identity.fromSeed(new Uint8Array(32).fill(3)), { seq: 9n, value: encodeSitePointer(new Uint8Array(20).fill(4)) });
const NOTICE = encodeReplyNotice({ record: RECORD, reply: new Uint8Array(32).fill(5), target: new Uint8Array(32).fill(6) }, 6881);

test('mutated notices never throw; anything accepted re-encodes exactly and keeps its id', () => {
  const original = decodeReplyNotice(NOTICE);
  assert.ok(original.ok);
  fuzz(
    fc.property(mutations, (edits) => {
      const mutated = mutate(NOTICE, edits);
      const result = bounded('decodeReplyNotice', () => decodeReplyNotice(mutated));
      if (!result.ok) {
        assert.match(result.error.code, /^ERR_[A-Z0-9_]+$/);
        return;
      }
      assert.ok(isReplyNotice(mutated));
      assert.deepEqual(encodeReplyNotice(result.value, result.value.port), mutated);
      const envelope = parseReplyNotice(mutated);
      assert.ok(envelope.ok);
      assert.deepEqual(envelope.value.id, result.value.id);
    }),
    1500,
    2000,
  );
});

test('random bencode-like bytes behind the notice prefix never throw', () => {
  const prefix = new TextEncoder().encode('d6:notice');
  fuzz(
    fc.property(bencodeishBytes, (tail) => {
      const bytes = new Uint8Array([...prefix, ...tail]);
      assert.equal(bounded('decodeReplyNotice', () => decodeReplyNotice(bytes)).ok, false);
    }),
    1500,
    2000,
  );
});
