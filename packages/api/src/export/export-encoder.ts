// The export formats: how rows become text, and what the response says about it.
import type { ExportColumn, ExportRow } from '@convotel/query';
import { createCsvEncoder } from './csv.js';
import { createNdjsonEncoder } from './ndjson.js';

/** Rows to text, batch by batch. */
export interface ExportEncoder {
  /** What comes before the first row (the CSV header row). */
  start(): string;
  encode(rows: readonly ExportRow[]): string;
}

export const EXPORT_FORMATS = ['csv', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportFormatSpec {
  /** Content-Type of the response. */
  readonly contentType: string;
  /** File name extension of the download. */
  readonly extension: string;
  readonly createEncoder: (columns: readonly ExportColumn[]) => ExportEncoder;
}

export const EXPORT_FORMAT_SPECS: Readonly<Record<ExportFormat, ExportFormatSpec>> = {
  // RFC 4180 registers the header parameter.
  csv: { contentType: 'text/csv; charset=utf-8; header=present', extension: 'csv', createEncoder: createCsvEncoder },
  ndjson: { contentType: 'application/x-ndjson; charset=utf-8', extension: 'ndjson', createEncoder: createNdjsonEncoder },
};
