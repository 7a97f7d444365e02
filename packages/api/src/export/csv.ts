// CSV per RFC 4180 (csv-stringify): a header row of column names, CRLF after every record, a
// field quoted when it holds a comma, a quote or a line break (CR or LF alone too), quotes
// doubled. Empty cell: null or empty text. Text cells are neutralized against formula
// injection (OWASP "CSV Injection"): one that starts with = + - @, a tab or a CR gets a
// leading apostrophe, so a spreadsheet shows it as text instead of running it.
import type { ExportColumn, ExportRow, ExportValue } from '@convotel/query';
import { stringify, type Options } from 'csv-stringify/sync';
import type { ExportEncoder } from './export-encoder.js';

const CSV_OPTIONS: Options = {
  record_delimiter: 'windows',
  // csv-stringify quotes a field holding the record delimiter (CRLF) but not a lone LF or CR.
  quoted_match: /[\r\n]/,
};

const FORMULA_START = /^[=+\-@\t\r]/;

/** `text` as a spreadsheet will show it, never run it. */
export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function toCell(value: ExportValue, column: ExportColumn): string {
  if (value === null) return '';
  if (typeof value === 'string') return column.type === 'text' || column.type === 'json' ? neutralizeFormula(value) : value;
  return String(value);
}

export function createCsvEncoder(columns: readonly ExportColumn[]): ExportEncoder {
  return {
    start: () => stringify([columns.map((column) => column.name)], CSV_OPTIONS),
    encode: (rows: readonly ExportRow[]) =>
      stringify(
        rows.map((row) => row.map((value, i) => toCell(value, columns[i] as ExportColumn))),
        CSV_OPTIONS,
      ),
  };
}
