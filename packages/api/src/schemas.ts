// Answer pieces several routes share, as zod schemas (documented in OpenAPI).
import { z } from 'zod';

export const windowSchema = z.object({ from: z.string(), to: z.string() }).describe('The window answered, [from, to)');

/** An ISO-8601 UTC time with microseconds, or null when unknown. */
export const timeOrNull = z.string().nullable();

/** A page of `item`s. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), next_cursor: z.string().nullable() });
}

/** A page of `item`s with the window it answers. */
export function windowedPageOf<T extends z.ZodType>(item: T) {
  return z.object({ window: windowSchema, items: z.array(item), next_cursor: z.string().nullable() });
}

/** Any JSON value (attributes, metadata). */
export const json = z.unknown();

/** Which figures of an answer were read from rollup histograms (approximate), by their field names. */
export function approximateOf(figures: string) {
  return z
    .array(z.string())
    .describe(`Figures of this answer read from rollup histograms, within 1% of the exact value (${figures}); empty when all are exact`);
}
