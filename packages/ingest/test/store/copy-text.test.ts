// COPY text encoding and timestamp text, checked by decoding them back.
import { describe, expect, it } from 'vitest';
import { microsToTimestamp } from '../../src/normalize/units/time.js';
import { timestamp } from '../../src/store/columns/to-sql.js';
import { toCopyChunks } from '../../src/store/copy-text.js';
import type { BulkColumn, SqlValue } from '../../src/store/store.js';

/** `2026-03-01 10:00:00.000001+00` → µs since the epoch. */
function parseTimestamp(text: string): bigint {
  const match = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{6})\+00$/.exec(text);
  if (match === null) throw new Error(`not a timestamp: ${text}`);
  const [, y, mo, d, h, mi, s, us] = match.map(Number) as number[];
  return BigInt(Date.UTC(y as number, (mo as number) - 1, d, h, mi, s)) * 1000n + BigInt(us as number);
}

/** COPY text format back to rows of text fields (`null` for `\N`). */
function parseCopyText(text: string): (string | null)[][] {
  const rows = text.split('\n');
  expect(rows.pop()).toBe('');
  return rows.map((line) =>
    line.split('\t').map((field) => (field === '\\N' ? null : field.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c))),
  );
}

describe('timestamp', () => {
  it('writes the exact microsecond, in UTC', () => {
    const values = [0n, 1n, -1n, 999_999n, 1_772_359_200_000_000n, 1_772_359_200_123_456n, 1_772_445_599_999_999n, 946_684_800_000_000n, 7_258_118_399_999_999n];
    for (const micros of values) {
      const text = timestamp(micros) as string;
      expect(parseTimestamp(text), text).toBe(micros);
      expect(new Date(text.replace(' ', 'T').replace('+00', 'Z')).getTime()).toBe(new Date(microsToTimestamp(micros)).getTime());
    }
    expect(timestamp(undefined)).toBeNull();
  });

  it('matches the general formatter on random times, whatever the order of days and minutes', () => {
    // A seeded walk: runs within one minute, jumps across minutes, hours, days and back.
    let seed = 12345;
    const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
    let micros = 1_772_359_200_000_000n;
    for (let i = 0; i < 5000; i += 1) {
      const jump = next();
      const step = jump < 0.7 ? BigInt(Math.floor(next() * 2_000_000)) : jump < 0.9 ? BigInt(Math.floor(next() * 7_200_000_000)) : -BigInt(Math.floor(next() * 172_800_000_000));
      micros += step;
      const text = timestamp(micros) as string;
      expect(text.replace(' ', 'T').replace('+00', 'Z'), String(micros)).toBe(microsToTimestamp(micros));
    }
  });

  it('falls back to ISO text beyond the exact range of a double', () => {
    expect(timestamp(2n ** 60n)).toBe(microsToTimestamp(2n ** 60n));
  });
});

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
