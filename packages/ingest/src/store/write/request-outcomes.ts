// A LiveKit LLM request takes its last try's outcome (normalize/spans/request-attempts.ts), in
// any arrival order: the batch's calls meet the tries stored before them, and stored calls meet
// the batch's tries. A stored call that turns out to have failed is counted again as failed
// (taken out as it was counted, put back as it is now), like a twin relabelled.
import { LLM_CALLS, SPAN_EDGES, type StoreTransaction } from '@convotel/store';
import type { LlmCallRow, SpanEdgeRow } from '../../normalize/rows.js';
import { lastAttempts, type RequestAttempt } from '../../normalize/spans/request-attempts.js';
import { attemptOfJson } from '../turns/span-edge-facts.js';
import type { RemovedCall } from './fallback-calls.js';
import { COUNTED_CALL_KEYS, readCountedCall } from './stored-calls.js';
import { selectList } from '@convotel/store';

/** The batch's calls with their requests' outcomes, and the stored calls whose counting changed. */
export interface AttemptOutcomes {
  readonly calls: LlmCallRow[];
  readonly removed: RemovedCall[];
  readonly added: RemovedCall[];
}

const L = LLM_CALLS.columns;
const E = SPAN_EDGES.columns;

/**
 * Applies every known try (the batch's and the stored ones of the same traces) to the batch's
 * LiveKit calls and to the stored calls of their requests. The traces' rows must be locked.
 */
export async function applyAttemptOutcomes(tx: StoreTransaction, calls: readonly LlmCallRow[], edges: readonly SpanEdgeRow[]): Promise<AttemptOutcomes> {
  const batchAttempts = edges.flatMap((edge) => (edge.attempt === undefined ? [] : [edge.attempt]));
  const traces = [...new Set([...calls.filter((call) => call.flavour === 'livekit').map((call) => call.traceId), ...batchAttempts.map((a) => a.traceId)])].sort();
  if (traces.length === 0) return { calls: [...calls], removed: [], added: [] };
  const stored = await tx.query<Record<string, unknown>>(`SELECT ${E.facts} AS facts FROM ${SPAN_EDGES} WHERE ${E.traceId} = ANY($1::text[]) AND ${E.facts} ? 'attempt'`, [traces]);
  const attempts: RequestAttempt[] = [...batchAttempts];
  for (const row of stored.rows) {
    const facts = typeof row['facts'] === 'string' ? (JSON.parse(row['facts']) as unknown) : row['facts'];
    const attempt = attemptOfJson(facts);
    if (attempt !== undefined) attempts.push(attempt);
  }
  const last = lastAttempts(attempts);
  const failedOf = (traceId: string, spanId: string): RequestAttempt | undefined => {
    const attempt = last.get(`${traceId}:${spanId}`);
    return attempt?.status === 'error' ? attempt : undefined;
  };
  const applied = calls.map((call) => {
    const failed = call.flavour === 'livekit' && call.status !== 'error' ? failedOf(call.traceId, call.spanId) : undefined;
    return failed === undefined ? call : { ...call, status: 'error' as const, errorType: failed.errorType, errorMessage: failed.errorMessage };
  });
  // Stored requests whose last try failed while they are counted ok.
  const failed = [...last.values()].filter((attempt) => attempt.status === 'error');
  if (failed.length === 0) return { calls: applied, removed: [], added: [] };
  const flipped = await tx.query<Record<string, unknown>>(
    `UPDATE ${LLM_CALLS} l SET ${L.status} = 'error', ${L.errorType} = u.error_type, ${L.errorMessage} = u.error_message
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(trace, span, error_type, error_message)
      WHERE l.${L.traceId} = u.trace AND l.${L.spanId} = u.span AND l.${L.status} <> 'error' AND l.${L.flavour} = 'livekit'
      RETURNING ${selectList(LLM_CALLS, COUNTED_CALL_KEYS, 'l')}`,
    [failed.map((a) => a.traceId), failed.map((a) => a.requestSpanId), failed.map((a) => a.errorType ?? null), failed.map((a) => a.errorMessage ?? null)],
  );
  const removed: RemovedCall[] = [];
  const added: RemovedCall[] = [];
  for (const row of flipped.rows) {
    const now = readCountedCall(row);
    removed.push({ ...now, status: 'ok' });
    added.push(now);
  }
  return { calls: applied, removed, added };
}
