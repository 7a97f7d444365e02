// Counts the records of an export as its bytes stream by, for the progress bar and the final
// line: NDJSON has one per line; CSV (RFC 4180) one per line break outside quotes, less the
// header. A quote toggles "inside quotes"; an escaped quote ("") toggles twice, so it holds.

const NEWLINE = 0x0a;
const QUOTE = 0x22;

export type ExportFormat = 'csv' | 'ndjson';

export class RecordCounter {
  #lineBreaks = 0;
  #isInQuotes = false;
  #hasOpenLine = false;
  #bytes = 0;

  constructor(readonly format: ExportFormat) {}

  feed(chunk: Uint8Array): void {
    this.#bytes += chunk.length;
    const isCsv = this.format === 'csv';
    for (const byte of chunk) {
      if (isCsv && byte === QUOTE) this.#isInQuotes = !this.#isInQuotes;
      if (byte === NEWLINE && !this.#isInQuotes) {
        this.#lineBreaks += 1;
        this.#hasOpenLine = false;
      } else {
        this.#hasOpenLine = true;
      }
    }
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Records so far (a last line without its line break counts). */
  get records(): number {
    const lines = this.#lineBreaks + (this.#hasOpenLine ? 1 : 0);
    return this.format === 'csv' ? Math.max(0, lines - 1) : lines;
  }
}
