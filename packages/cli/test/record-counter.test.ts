import { describe, expect, it } from 'vitest';
import { RecordCounter } from '../src/record-counter.js';

/** Feeds `text` in chunks of `size` bytes (splitting anywhere, multi-byte characters too). */
function count(format: 'csv' | 'ndjson', text: string, size: number): RecordCounter {
  const counter = new RecordCounter(format);
  const bytes = new TextEncoder().encode(text);
  for (let at = 0; at < bytes.length; at += size) counter.feed(bytes.subarray(at, at + size));
  return counter;
}

describe('RecordCounter', () => {
  const csv = [
    'conversation_id,user_input,cost_usd',
    'c-1,"plain",0.1',
    'c-2,"two\nlines, and a ""quote""",0.2',
    'c-3,"\'=1+1 日本語",0.3',
    '',
  ].join('\r\n');

  for (const size of [1, 2, 7, 1000]) {
    it(`counts CSV records, not line breaks inside quotes, in chunks of ${size} bytes`, () => {
      const counter = count('csv', csv, size);
      expect(counter.records).toBe(3);
      expect(counter.bytes).toBe(new TextEncoder().encode(csv).length);
    });
  }

  it('counts a last record without its line break, and no records for a header alone', () => {
    expect(count('csv', 'a,b\r\n1,2', 3).records).toBe(1);
    expect(count('csv', 'a,b\r\n', 3).records).toBe(0);
    expect(count('csv', '', 3).records).toBe(0);
  });

  it('counts NDJSON lines, quotes and all', () => {
    const ndjson = '{"a":"x\\"y"}\n{"a":"\\n"}\n{"a":3}';
    expect(count('ndjson', ndjson, 4).records).toBe(3);
    expect(count('ndjson', `${ndjson}\n`, 4).records).toBe(3);
  });
});
