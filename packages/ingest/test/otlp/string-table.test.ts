import { describe, expect, it } from 'vitest';
import { MAX_INTERNED_BYTES, StringTable } from '../../src/otlp/string-table.js';

function textOf(table: StringTable, value: string | Buffer, padding = 3): string {
  // Not at offset 0: the table must read the slice it is given.
  const bytes = Buffer.isBuffer(value) ? value : Buffer.from(value);
  const buffer = Buffer.concat([Buffer.alloc(padding, 0x7a), bytes, Buffer.alloc(padding, 0x7a)]);
  return table.text(buffer, padding, padding + bytes.length);
}

describe('StringTable', () => {
  it('returns the same string for the same bytes, even once the first buffer is reused', () => {
    const table = new StringTable();
    const buffer = Buffer.from('gen_ai.request.model');
    const first = table.text(buffer, 0, buffer.length);
    buffer.fill(0x78);
    expect(first).toBe('gen_ai.request.model');
    expect(textOf(table, 'gen_ai.request.model')).toBe('gen_ai.request.model');
  });

  it('tells apart strings of the same length, head and tail that differ in the middle', () => {
    const table = new StringTable();
    const a = 'app.aaaaaaaa.0000000000.zzzzzzzz';
    const b = 'app.aaaaaaaa.1111111111.zzzzzzzz';
    expect([textOf(table, a), textOf(table, b), textOf(table, a), textOf(table, b)]).toEqual([a, b, a, b]);
  });

  it('decodes long strings, multi-byte text, invalid UTF-8 and NUL characters like the plain decoder', () => {
    const table = new StringTable();
    const long = 'x'.repeat(MAX_INTERNED_BYTES + 1);
    expect(textOf(table, long)).toBe(long);
    // Twice each: the second read must not answer from a wrongly kept entry.
    for (let round = 0; round < 2; round += 1) {
      expect(textOf(table, 'ünïcödé 🙂')).toBe('ünïcödé 🙂');
      expect(textOf(table, Buffer.from([0x61, 0xff, 0x62]))).toBe('a\ufffdb');
      expect(textOf(table, Buffer.from([0x61, 0xef, 0xbf, 0xbd, 0x62]))).toBe('a\ufffdb');
      expect(textOf(table, 'a\u0000b')).toBe('ab');
      expect(textOf(table, Buffer.from([0x61, 0x00, 0x62]))).toBe('ab');
    }
    expect(textOf(table, '')).toBe('');
  });

  it('stays correct after far more distinct strings than it has slots', () => {
    const table = new StringTable();
    for (let i = 0; i < 20_000; i += 1) expect(textOf(table, `conversation-${i}`, i % 5)).toBe(`conversation-${i}`);
    for (let i = 0; i < 20_000; i += 997) expect(textOf(table, `conversation-${i}`)).toBe(`conversation-${i}`);
  });
});
