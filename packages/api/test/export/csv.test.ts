// The CSV encoder on its own: RFC 4180 records and formula neutralization, read back by a CSV parser.
import type { ExportColumn } from '@convotel/query';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { createCsvEncoder, neutralizeFormula } from '../../src/export/csv.js';

const columns: ExportColumn[] = [
  { name: 'note', type: 'text', sql: '' },
  { name: 'amount', type: 'number', sql: '' },
  { name: 'at', type: 'time', sql: '' },
  { name: 'extra', type: 'json', sql: '' },
  { name: 'flag', type: 'boolean', sql: '' },
];

describe('CSV export encoding', () => {
  it('prefixes an apostrophe to text that starts with = + - @ (or their full-width forms), a tab or a CR, and to nothing else', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠']) expect(neutralizeFormula(`${start}1+1`)).toBe(`'${start}1+1`);
    for (const text of ['1+1', ' =1', "'=1", 'a=b', '', 'é=']) expect(neutralizeFormula(text)).toBe(text);
  });

  it('writes records a CSV parser reads back as they were, numbers and times untouched', () => {
    const encoder = createCsvEncoder(columns);
    const rows = [
      ['a, "b"\nc\r\nd\re', -1.5, '2026-01-02T03:04:05.123456Z', '{"k": "v, \\"w\\""}', true],
      ['=SUM(A1)', null, null, '-1', false],
      ['', 0, null, null, null],
      ['first\nsecond', 1, null, null, null],
      ['cr\ronly', 2, null, null, null],
    ] as const;
    const text = encoder.start() + encoder.encode(rows);
    expect(text.split('\r\n')[0]).toBe('note,amount,at,extra,flag');
    expect(text.endsWith('\r\n')).toBe(true);
    // A line break alone makes a field quoted, as a comma or a quote does.
    expect(text).toContain('\r\n"first\nsecond",1,,,\r\n"cr\ronly",2,,,\r\n');
    expect(parse(text)).toEqual([
      ['note', 'amount', 'at', 'extra', 'flag'],
      ['a, "b"\nc\r\nd\re', '-1.5', '2026-01-02T03:04:05.123456Z', '{"k": "v, \\"w\\""}', 'true'],
      ["'=SUM(A1)", '', '', "'-1", 'false'],
      ['', '0', '', '', ''],
      ['first\nsecond', '1', '', '', ''],
      ['cr\ronly', '2', '', '', ''],
    ]);
  });
});
