// Bytes allocated per span by each function over the in-process stages (decode, normalize,
// merge, COPY encoding of step and LLM-call rows), garbage included: young-GC work grows with
// them. V8's sampling heap profiler, keeping the objects GC collected.
//
// Usage: node bench/ingest/allocations.mjs [decode|rows|all] [top]
// Needs a built workspace (`npm run build`).
import inspector from 'node:inspector/promises';
import { gunzipSync } from 'node:zlib';
import { estimateCost } from '@convotel/pricing';
import { decodeTraceRequest } from '../../packages/ingest/dist/otlp/decode.js';
import { toRows } from '../../packages/ingest/dist/normalize/to-rows.js';
import { toWriteBatch } from '../../packages/ingest/dist/store/write/batch.js';
import { toCopyChunks } from '../../packages/store/dist/copy-text.js';
import { llmCallsInsert, stepsInsert } from '../../packages/ingest/dist/store/write/raw-tables.js';
import { generateBodies } from './generate.mjs';
const generated = generateBodies({ totalSpans: 30000, spansPerRequest: 1024, seed: 7 });
const ids = { conversationId: 'conversation-1', userId: 'user-1', sessionId: 'session-1' };
const stage = process.argv[2] ?? 'all';
const top = Number(process.argv[3] ?? 40);
function run() {
  for (const { gzip } of generated.bodies) {
    const raw = gunzipSync(gzip);
    const { request } = decodeTraceRequest(raw, 'protobuf');
    if (stage === 'decode') continue;
    const rows = toRows(request, { estimateCost });
    if (stage === 'rows') continue;
    const batch = toWriteBatch([rows], []);
    for (const c of toCopyChunks(stepsInsert(batch.steps.map((row) => ({ row, ids }))))) void c;
    for (const c of toCopyChunks(llmCallsInsert(batch.llmCalls.map((row) => ({ row, ids }))))) void c;
  }
}
// Two rounds warm the JIT first (optimized code allocates less).
run();
run();
const session = new inspector.Session();
session.connect();
await session.post('HeapProfiler.startSampling', { samplingInterval: 256, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
run();
const { profile } = await session.post('HeapProfiler.stopSampling');
const bySite = new Map();
let total = 0;
const walk = (node) => {
  const { functionName, url, lineNumber } = node.callFrame;
  const site = `${functionName || '(anonymous)'} ${url.replace(/.*\/(dist|node_modules)\//, '')}:${lineNumber + 1}`;
  bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
  total += node.selfSize;
  for (const child of node.children) walk(child);
};
walk(profile.head);
const perSpan = (bytes) => Math.round(bytes / generated.counts.spans);
console.log(`${generated.counts.spans.toLocaleString('en-US')} spans, stages: ${stage}; ${perSpan(total)} bytes allocated per span, by site:`);
for (const [site, bytes] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${String(perSpan(bytes)).padStart(6)}  ${site}`);
