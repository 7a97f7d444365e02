/** Stable codes of `PriceTableError`. */
export type PriceTableErrorCode = 'CONVOTEL_INVALID_PRICE_ENTRY' | 'CONVOTEL_INVALID_PRICE_FILE';

/**
 * Thrown when price entries (in code or in a price file) are malformed. The message names the
 * file, the entry (`entries[2]`, model `"gpt-4o"`) and the field at fault.
 */
export class PriceTableError extends Error {
  override readonly name = 'PriceTableError';
  readonly code: PriceTableErrorCode;

  constructor(code: PriceTableErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
