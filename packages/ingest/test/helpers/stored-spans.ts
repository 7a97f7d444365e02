// How often each span of a request was stored, wherever its role puts it: a raw row
// (llm_calls, steps, db_queries), a trace's root, or a conversation's span.
import type { Store } from '@convotel/store';
import { queryRows } from './db.js';
import type { SpanItem } from './spans.js';

const STORED_SPAN_IDS = `
  SELECT span_id FROM llm_calls WHERE billing = 'call'
  UNION ALL SELECT span_id FROM steps
  UNION ALL SELECT span_id FROM db_queries
  UNION ALL SELECT root_span_id FROM traces WHERE root_span_id IS NOT NULL
  UNION ALL SELECT conversation_span_id FROM conversations WHERE conversation_span_id IS NOT NULL`;

/** Span id → times it was stored, for the spans of `items`. */
export async function storedCounts(store: Store, items: readonly SpanItem[]): Promise<Record<string, number>> {
  const rows = await queryRows<{ span_id: string }>(store, STORED_SPAN_IDS);
  const counts: Record<string, number> = Object.fromEntries(items.map((i) => [i.span.spanId, 0]));
  for (const { span_id: spanId } of rows) if (spanId in counts) counts[spanId] = (counts[spanId] ?? 0) + 1;
  return counts;
}

/** Every span of `items` once: what `storedCounts` must equal. */
export function eachOnce(items: readonly SpanItem[]): Record<string, number> {
  return Object.fromEntries(items.map((i) => [i.span.spanId, 1]));
}
