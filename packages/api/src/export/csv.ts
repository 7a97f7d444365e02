// CSV per RFC 4180 §2: a header row of column names, CRLF after every record, a field enclosed
// in double quotes when it holds a comma, a double quote or a line break (CR or LF alone too),
// its double quotes doubled. Empty cell: null or empty text. Written here rather than with
// csv-stringify: on export rows (JSON cells full of quotes) it managed ~22k rows/s against
// ~230k for these few lines, and the format has nothing more to it. The tests read every
// export back with csv-parse.
//
// Text cells are neutralized against formula injection (OWASP "CSV Injection"): one that
// starts with = + - @, a tab or a CR (or the full-width = + - @ some spreadsheets fold) gets a
// leading apostrophe, so a spreadsheet shows it as text instead of running it. Numbers, times
// and booleans are written by us and left alone (-1.5 stays a number).
import type { ExportColumn, ExportRow, ExportValue } from '@convotel/query';
import type { ExportEncoder } from './export-encoder.js';

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const RECORD_END = '\r\n';

/** `text` as a spreadsheet will show it, never run it. */
export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** One field, quoted when RFC 4180 requires it. */
export function toCsvField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function toCell(value: ExportValue, column: ExportColumn): string {
  if (value === null) return '';
  if (typeof value === 'string') return toCsvField(column.type === 'text' || column.type === 'json' ? neutralizeFormula(value) : value);
  return String(value);
}

export function createCsvEncoder(columns: readonly ExportColumn[]): ExportEncoder {
  return {
    start: () => columns.map((column) => toCsvField(column.name)).join(',') + RECORD_END,
    encode: (rows: readonly ExportRow[]) => {
      // Joined, not appended: one flat string (a long `+=` chain is costly to measure and encode).
      const records = rows.map((row) => row.map((value, i) => toCell(value, columns[i] as ExportColumn)).join(','));
      records.push('');
      return records.join(RECORD_END);
    },
  };
}
