import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodePostDraft, encodePostDraft, newDraftId } from '../../../src/app/writing/post-draft.js';

test('a post draft round-trips; anything else opens with its bytes as the text', () => {
  const draft = { title: 'Tïtle', body: '# Body\n\n😀 text', createdMs: 1_700_000_000_000 };
  assert.deepEqual(decodePostDraft(encodePostDraft(draft), 5), draft);
  const text = new TextEncoder().encode('written by hand\nno JSON');
  assert.deepEqual(decodePostDraft(text, 5), { title: '', body: 'written by hand\nno JSON', createdMs: 5 });
  for (const other of ['{"format":2,"kind":"post","title":"t","body":"b"}', '{"format":1,"kind":"post","title":1,"body":"b"}', 'null', '[]']) {
    assert.equal(decodePostDraft(new TextEncoder().encode(other), 5).body, other, other);
  }
  assert.equal(decodePostDraft(new TextEncoder().encode('{"format":1,"kind":"post","title":"t","body":"b","createdMs":"x"}'), 5).createdMs, 5);
});

test('draft ids are valid store ids, sorted by time', () => {
  const id = newDraftId(Date.UTC(2026, 10, 21, 1, 2, 3), new Uint8Array([0xab, 0xcd]));
  assert.equal(id, 'post-20261121-010203-abcd');
  assert.match(newDraftId(Date.now()), /^[A-Za-z0-9_-]{1,64}$/);
});
