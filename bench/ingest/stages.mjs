// In-process cost of each ingest stage on the benchmark's traffic, without HTTP or a database:
// gunzip, protobuf decode, normalization (toRows), group-commit merge, and COPY encoding of the
// step and LLM-call rows. Prints µs per span for each, per round (the first rounds warm the JIT).
//
// Usage: node bench/ingest/stages.mjs [--spans 60000] [--rounds 6] [--only decode|rows|encode]
// --only: time one stage on inputs prepared outside the timing (for a CPU profile of that stage).
// Needs a built workspace (`npm run build`).
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { estimateCost } from '@convotel/pricing';
import { decodeTraceRequest } from '../../packages/ingest/dist/otlp/decode.js';
import { toRows } from '../../packages/ingest/dist/normalize/to-rows.js';
import { toWriteBatch } from '../../packages/ingest/dist/store/write/batch.js';
import { toCopyChunks } from '../../packages/store/dist/copy-text.js';
import { llmCallsInsert, stepsInsert } from '../../packages/ingest/dist/store/write/raw-tables.js';
import { generateBodies } from './generate.mjs';

const { values: args } = parseArgs({
  options: { spans: { type: 'string', default: '60000' }, rounds: { type: 'string', default: '6' }, only: { type: 'string' } },
});
const generated = generateBodies({ totalSpans: Number(args.spans), spansPerRequest: 1024, seed: 7 });
const spans = generated.counts.spans;
const options = { estimateCost };
// The ids a write attaches to each row (read from the traces table in the real path).
const ids = { conversationId: 'conversation-1', userId: 'user-1', sessionId: 'session-1' };

function encode(batch) {
  let bytes = 0;
  for (const chunk of toCopyChunks(stepsInsert(batch.steps.map((row) => ({ row, ids }))))) bytes += chunk.length;
  for (const chunk of toCopyChunks(llmCallsInsert(batch.llmCalls.map((row) => ({ row, ids }))))) bytes += chunk.length;
  return bytes;
}

function allStages() {
  const ms = { gunzip: 0, decode: 0, normalize: 0, merge: 0, encode: 0 };
  for (const { gzip } of generated.bodies) {
    let t0 = performance.now();
    const raw = gunzipSync(gzip);
    let t1 = performance.now();
    ms.gunzip += t1 - t0;
    const { request } = decodeTraceRequest(raw, 'protobuf');
    t0 = performance.now();
    ms.decode += t0 - t1;
    const rows = toRows(request, options);
    t1 = performance.now();
    ms.normalize += t1 - t0;
    const batch = toWriteBatch([rows], []);
    t0 = performance.now();
    ms.merge += t0 - t1;
    encode(batch);
    ms.encode += performance.now() - t0;
  }
  return ms;
}

function oneStage(stage) {
  const raws = generated.bodies.map(({ gzip }) => gunzipSync(gzip));
  const requests = stage === 'decode' ? [] : raws.map((raw) => decodeTraceRequest(raw, 'protobuf').request);
  const batches = stage === 'encode' ? requests.map((request) => toWriteBatch([toRows(request, options)], [])) : [];
  const t0 = performance.now();
  if (stage === 'decode') for (const raw of raws) decodeTraceRequest(raw, 'protobuf');
  else if (stage === 'rows') for (const request of requests) toRows(request, options);
  else for (const batch of batches) encode(batch);
  return { [stage]: performance.now() - t0 };
}

console.log(`${spans.toLocaleString('en-US')} spans, ${generated.counts.attributesPerSpan.toFixed(1)} attributes/span; µs per span:`);
for (let round = 1; round <= Number(args.rounds); round += 1) {
  const cpu0 = process.cpuUsage();
  const ms = args.only === undefined ? allStages() : oneStage(args.only);
  const cpu = process.cpuUsage(cpu0);
  const parts = Object.entries(ms).map(([stage, time]) => `${stage} ${((time * 1000) / spans).toFixed(1)}`);
  const total = Object.values(ms).reduce((sum, time) => sum + time, 0);
  console.log(`round ${round}: ${parts.join(', ')}; total ${((total * 1000) / spans).toFixed(1)}, process CPU ${((cpu.user + cpu.system) / spans).toFixed(1)}`);
}
