import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lineSplitter } from '../../src/app/lines.js';

test('lineSplitter hands over whole lines only, across chunks, without their line ends', () => {
  const lines: string[] = [];
  const feed = lineSplitter((line) => lines.push(line));
  feed('{"a":');
  assert.deepEqual(lines, [], 'a partial line waits');
  feed('1}\n{"b":2}\r\n{"c"');
  assert.deepEqual(lines, ['{"a":1}', '{"b":2}']);
  feed(':3}\n\n');
  assert.deepEqual(lines, ['{"a":1}', '{"b":2}', '{"c":3}', ''], 'an empty line is a line');
});
