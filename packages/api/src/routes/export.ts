import { EXPORT_KINDS, EXPORT_TABLES, planExport, type ExportKind } from '@convotel/query';
import { z } from 'zod';
import { EXPORT_FORMAT_SPECS, EXPORT_FORMATS } from '../export/export-encoder.js';
import { writeChunk } from '../export/write-chunk.js';
import { filterParams, toFilters, windowParams } from '../params.js';
import { defineStreamRoute } from '../route.js';

/** Every filter of any kind; one that does not apply to the kind asked is a 400. */
const exportFilterParams = Object.assign({}, ...EXPORT_KINDS.map((kind) => filterParams(EXPORT_TABLES[kind].subject))) as Record<string, z.ZodType>;

const columnList = (kind: ExportKind): string => EXPORT_TABLES[kind].columns.map((column) => column.name).join(', ');

/** `2026-01-02T03:04:05.000Z` → `20260102T030405Z`, for file names. */
const compactTime = (date: Date): string => date.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');

export const exportRoute = defineStreamRoute({
  method: 'get',
  path: '/export/:kind',
  tag: 'export',
  summary: 'Every row of a kind in the window, as CSV or NDJSON',
  description:
    'Rows in order of time, then key, streamed from a database cursor in constant memory at the pace the client reads; a client that disconnects stops the query. ' +
    'Not bounded by CONVOTEL_API_MAX_ROWS: the window (at most 90 days) bounds it. CSV per RFC 4180 with a header row and CRLF; text cells that start with = + - @, tab or CR are prefixed with an apostrophe (formula injection). ' +
    'NDJSON: one object per line. Columns: ' +
    EXPORT_KINDS.map((kind) => `${kind}: ${columnList(kind)}`).join('. ') +
    '.',
  params: z.strictObject({
    kind: z.enum(EXPORT_KINDS).describe('What to export'),
    format: z.enum(EXPORT_FORMATS).optional().describe('csv (default) or ndjson'),
    ...windowParams,
    ...exportFilterParams,
  }),
  media: [
    { type: 'text/csv', description: 'A header row of column names, then one record per row (RFC 4180)', schema: z.string() },
    { type: 'application/x-ndjson', description: 'One JSON object per row and line, fields as the CSV columns', schema: z.record(z.string(), z.unknown()) },
  ],
  stream: async (input, { db, now, res, signal }) => {
    const plan = planExport(db, input.kind, { hours: input.hours, from: input.from, to: input.to, filters: toFilters(input) }, now);
    const format = EXPORT_FORMAT_SPECS[input.format ?? 'csv'];
    const encoder = format.createEncoder(plan.columns);
    const fileName = `convotel-${input.kind}-${compactTime(plan.window.from)}-${compactTime(plan.window.to)}.${format.extension}`;
    // Headers go with the first rows: a database that fails before them still gets a JSON error.
    const start = async (): Promise<void> => {
      if (res.headersSent) return;
      res.status(200).set({ 'Content-Type': format.contentType, 'Content-Disposition': `attachment; filename="${fileName}"`, 'Cache-Control': 'no-store' });
      await writeChunk(res, encoder.start(), signal);
    };
    try {
      await plan.run(async (rows) => {
        await start();
        await writeChunk(res, encoder.encode(rows), signal);
      }, signal);
      await start();
      res.end();
    } catch (error) {
      // The client went away: the query has stopped with it, and there is no one to answer.
      if (signal.aborted) return;
      throw error;
    }
  },
});
