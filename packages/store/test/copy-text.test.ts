// COPY text encoding, checked by decoding it back.
import { describe, expect, it } from 'vitest';
import { toCopyChunks } from '../src/copy-text.js';
import type { BulkColumn, SqlValue } from '../src/store.js';

/** COPY text format back to rows of text fields (`null` for `\N`). */
function parseCopyText(text: string): (string | null)[][] {
  const rows = text.split('\n');
  expect(rows.pop()).toBe('');
  return rows.map((line) =>
    line.split('\t').map((field) => (field === '\\N' ? null : field.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c))),
  );
}

describe('toCopyChunks', () => {
  const columns: BulkColumn<SqlValue[]>[] = [
    { name: 'a', type: 'text', get: (row) => row[0] ?? null },
    { name: 'b', type: 'jsonb', get: (row) => row[1] ?? null },
    { name: 'c', type: 'double precision', get: (row) => row[2] ?? null },
  ];
  const encode = (rows: SqlValue[][]): string => Buffer.concat([...toCopyChunks({ table: 't', columns, rows })]).toString('utf8');

  it('escapes what COPY text format escapes and keeps everything else', () => {
    const rows: SqlValue[][] = [
      ['tab\there', JSON.stringify({ quote: 'say "hi"\n', back: 'C:\\dir' }), 1.5],
      ['line\nbreak\r\\N', null, -0.25],
      ['ünïcødé 💬', '{}', true],
      [null, JSON.stringify(['\t']), false],
      [`${'long '.repeat(40)}\tand\\more`, null, 0],
    ];
    const decoded = parseCopyText(encode(rows));
    expect(decoded).toEqual([
      ['tab\there', JSON.stringify({ quote: 'say "hi"\n', back: 'C:\\dir' }), '1.5'],
      ['line\nbreak\r\\N', null, '-0.25'],
      ['ünïcødé 💬', '{}', 't'],
      [null, JSON.stringify(['\t']), 'f'],
      [`${'long '.repeat(40)}\tand\\more`, null, '0'],
    ]);
  });

  it('writes integers digit by digit and text with escapes after non-ASCII characters', () => {
    const integers = [0, 7, 9, 10, 99, 100, -1, -10, 123_456_789, 4_294_967_296, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];
    const others = [-0, 0.1, 1e21, 2 ** 53 + 2, -1.5e-7];
    const rows: SqlValue[][] = [...integers, ...others].map((n, i) => [i % 2 === 0 ? `x é\t${i}\n` : `ok ${i}`, '{"a":"\\u00e9"}', n]);
    expect(parseCopyText(encode(rows))).toEqual(rows.map(([a, b, n]) => [a, b, String(n)]));
  });

  it('escapes long values made mostly of escaped characters, before, between and after any other text', () => {
    const values = [
      '\\'.repeat(100_000),
      `${'\\\n\r\t'.repeat(50_000)}end`,
      `start${'é\\💬\t'.repeat(30_000)}`,
      `${'x'.repeat(5000)}\\`,
      `\\${'x'.repeat(5000)}`,
      `lone \uD800 surrogate ${'\\'.repeat(70)} \uDC00 and 💬\n`,
    ];
    const rows: SqlValue[][] = values.map((text) => [text, JSON.stringify({ text }), 1]);
    const expected = values.map((text) => [text.replace(/[\uD800-\uDFFF]/gu, '\uFFFD'), JSON.stringify({ text }), '1']);
    expect(parseCopyText(encode(rows))).toEqual(expected);
  });

  it('splits large data into chunks without cutting a value', () => {
    const big = 'x'.repeat(700_000) + '\\';
    const rows: SqlValue[][] = Array.from({ length: 3000 }, (_, i) => [i === 1500 ? big : `row ${i}`, `{"i":${i}}`, i]);
    const chunks = [...toCopyChunks({ table: 't', columns, rows })];
    expect(chunks.length).toBeGreaterThan(2);
    expect(parseCopyText(Buffer.concat(chunks).toString('utf8'))).toEqual(rows.map(([a, b, c]) => [a, b, String(c)]));
  });
});
