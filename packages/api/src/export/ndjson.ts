// NDJSON: one JSON object per row and line, fields in column order. JSON columns are embedded as
// the JSON text PostgreSQL wrote; times are ISO-8601 strings.
import type { ExportColumn, ExportRow, ExportValue } from '@convotel/query';
import type { ExportEncoder } from './export-encoder.js';

function toJsonValue(value: ExportValue, column: ExportColumn): string {
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return column.type === 'json' ? value : JSON.stringify(value);
}

export function createNdjsonEncoder(columns: readonly ExportColumn[]): ExportEncoder {
  const keys = columns.map((column) => `${JSON.stringify(column.name)}:`);
  return {
    start: () => '',
    encode: (rows: readonly ExportRow[]) => {
      const lines = rows.map((row) => `{${row.map((value, i) => keys[i] + toJsonValue(value, columns[i] as ExportColumn)).join(',')}}`);
      lines.push('');
      return lines.join('\n');
    },
  };
}
