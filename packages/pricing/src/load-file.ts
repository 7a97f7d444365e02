// The package's only I/O: reading a price file. Everything else here is pure.
import { readFileSync } from 'node:fs';
import { PriceTableError } from './errors.js';
import { parsePriceEntries } from './parse-entries.js';
import type { PriceEntryInput } from './types.js';

/**
 * Reads and validates a JSON price file: `{ "entries": [ ... ] }` or a bare array of entries
 * (format in the README). Returns the entries, to pass to `createPriceTable({ entries })`.
 * Throws `PriceTableError`: `CONVOTEL_INVALID_PRICE_FILE` when the file cannot be read or is
 * not JSON, `CONVOTEL_INVALID_PRICE_ENTRY` naming the file and the bad entry otherwise.
 */
export function loadPriceFile(path: string): PriceEntryInput[] {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PriceTableError('CONVOTEL_INVALID_PRICE_FILE', `price file ${path}: ${reason}`, { cause: error });
  }
  try {
    return parsePriceEntries(value);
  } catch (error) {
    if (!(error instanceof PriceTableError)) throw error;
    throw new PriceTableError(error.code, `price file ${path}: ${error.message}`, { cause: error });
  }
}
