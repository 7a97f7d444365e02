// Numbers a span sends that its columns cannot hold (column-range.ts): a sender's mistake about
// one attribute, so the span is kept and only that value is dropped from its column (the raw
// attributes keep it as sent). The request's partial success says which, without counting the
// span as rejected. Pure.
import { fitsColumn, type NumericColumn } from '../units/column-range.js';

/** Reasons kept per request for the partial-success message; the count covers all. */
const MAX_DROPPED_REASONS = 5;

const COLUMN_PROBLEM: Readonly<Record<NumericColumn, string>> = {
  integer: 'does not fit an integer column',
  bigint: 'does not fit a bigint column',
  'double precision': 'is not a finite number',
};

/** The values dropped from one request, with the first few reasons. */
export class DroppedValues {
  count = 0;
  readonly reasons: string[] = [];
  // A span read twice (an agent span and its stand-in LLM call) must not count its values twice.
  readonly #seen = new Set<string>();

  note(reason: string): void {
    if (this.#seen.has(reason)) return;
    this.#seen.add(reason);
    this.count += 1;
    if (this.reasons.length < MAX_DROPPED_REASONS) this.reasons.push(reason);
  }
}

/** Checks of one span's numbers against their columns and per-span limits; what fails is dropped and noted. */
export class SpanValueCheck {
  readonly #dropped: DroppedValues | undefined;
  readonly #traceId: string;
  readonly #spanId: string;

  /** Without `dropped`, failing values are dropped silently (reads outside a request). */
  constructor(dropped: DroppedValues | undefined, traceId: string, spanId: string) {
    this.#dropped = dropped;
    this.#traceId = traceId;
    this.#spanId = spanId;
  }

  /** `value` if it fits a column of `type`; else undefined, noted under `key`. */
  column(type: NumericColumn, key: string, value: number | undefined): number | undefined {
    if (value === undefined || fitsColumn(type, value)) return value;
    this.#note(key, value, COLUMN_PROBLEM[type]);
    return undefined;
  }

  /** `value` if finite and at most `limit` (one of `SPAN_LIMITS`, in `unit`); else undefined, noted under `key`. */
  atMost(key: string, value: number | undefined, limit: number, unit: string): number | undefined {
    if (value === undefined || value <= limit) return value;
    this.#note(key, value, Number.isFinite(value) ? `is over the limit of ${limit} ${unit} per span` : COLUMN_PROBLEM['double precision']);
    return undefined;
  }

  #note(key: string, value: number, problem: string): void {
    this.#dropped?.note(`span ${this.#spanId} of trace ${this.#traceId}: ${key} = ${value} ${problem}`);
  }
}

/** A check that drops silently: for reads of attributes outside a request (tests, probes). */
export const SILENT_CHECK = new SpanValueCheck(undefined, '', '');
