// Order-free and idempotent turns inside call-long traces (property tests, fast-check): the
// spans of the recorded LiveKit session and of the Pipecat call, cut into random requests sent
// in random order with one request redelivered, leave every table exactly as one in-order
// delivery does — the same turns, the same rows filed under them, the same sums and breakdowns.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StoreSink } from '../../../src/store/store-sink.js';
import { writeTraceRequest } from '../../../src/pipeline/write-request.js';
import type { TraceRequest } from '../../../src/otlp/types.js';
import { dumpTables, STORE_KINDS, truncateAll, useEmptiedStore } from '../../helpers/db.js';
import { loadTraceFixture, type FixtureFlavour } from '../../helpers/fixtures.js';

type ResourceSpans = TraceRequest['resourceSpans'][number];
type ScopeSpans = ResourceSpans['scopeSpans'][number];
type Span = ScopeSpans['spans'][number];

/** A span with the resource and scope it came with. */
interface Placed {
  readonly resource: ResourceSpans;
  readonly scope: ScopeSpans;
  readonly span: Span;
}

function placedSpans(requests: readonly TraceRequest[]): Placed[] {
  return requests.flatMap((request) => request.resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans.map((span) => ({ resource, scope, span })))));
}

/** One request holding `spans`, each under its own resource and scope. */
function requestOf(spans: readonly Placed[]): TraceRequest {
  return {
    resourceSpans: spans.map(({ resource, scope, span }) => ({ ...resource, scopeSpans: [{ ...scope, spans: [span] }] })),
  };
}

/** A random order of the spans, cut into 1–8 requests, with one of them sent twice. */
const deliveries = (count: number) =>
  fc
    .record({
      order: fc.shuffledSubarray([...Array(count).keys()], { minLength: count, maxLength: count }),
      cuts: fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, count - 1) }), { maxLength: 7 }),
      again: fc.nat(),
    })
    .map(({ order, cuts, again }) => {
      const bounds = [0, ...[...cuts].sort((a, b) => a - b), count];
      const parts = bounds.slice(1).map((end, i) => order.slice(bounds[i], end)).filter((part) => part.length > 0);
      return { parts, again: again % parts.length };
    });

const RUNS: Record<string, number> = { postgres: 12, pglite: 5 };

describe.each(STORE_KINDS)('turns inside call-long traces, in any order (%s)', (kind) => {
  const db = useEmptiedStore(kind);

  async function deliver(requests: readonly TraceRequest[]): Promise<void> {
    const sink = new StoreSink(db.store);
    for (const request of requests) expect((await writeTraceRequest(sink, request, 1_000_000)).rejected).toBe(0);
  }

  it.each<FixtureFlavour>(['livekit-turns', 'pipecat'])('gives the same rows for every split, order and redelivery of %s', async (flavour) => {
    const spans = placedSpans(loadTraceFixture(flavour));
    await truncateAll(db.store);
    await deliver([requestOf(spans)]);
    const once = await dumpTables(db.store);

    await fc.assert(
      fc.asyncProperty(deliveries(spans.length), async ({ parts, again }) => {
        await truncateAll(db.store);
        const requests = parts.map((part) => requestOf(part.map((i) => spans[i] as Placed)));
        await deliver([...requests, requests[again] as TraceRequest]);
        expect(await dumpTables(db.store)).toEqual(once);
      }),
      { numRuns: RUNS[kind] ?? 5 },
    );
  }, 180_000);
});
