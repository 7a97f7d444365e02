// Runs the instrumentation benchmark: per-call overhead of convotel and of
// @opentelemetry/instrumentation-openai over a bare openai client, then span cost and memory.
// Usage: npm run bench:instrumentation [-- calls]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const calls = process.argv[2] ?? '3000';

const server = spawn(process.execPath, [here('./fake-openai-server.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
const [portLine] = await once(server.stdout, 'data');
const port = String(portLine).trim();

async function runNode(args) {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`${args.join(' ')} exited with ${code}`);
  return JSON.parse(out.trim().split('\n').pop());
}

try {
  // Interleave modes over rounds so machine noise hits them alike; keep each mode's best median.
  const modes = ['bare', 'convotel', 'contrib'];
  const best = {};
  for (let round = 0; round < 3; round++) {
    for (const mode of modes) {
      const r = await runNode([here('./call-overhead.mjs'), mode, port, calls]);
      if (!best[mode] || r.medianUs < best[mode].medianUs) best[mode] = r;
    }
  }
  const over = (mode) => ({
    wallUs: best[mode].medianUs - best.bare.medianUs,
    cpuUs: best[mode].cpuUsPerCall - best.bare.cpuUsPerCall,
  });
  const convotel = over('convotel');
  const contrib = over('contrib');
  console.log(`openai chat.completions.create, ${calls} sequential calls per run, best of 3 runs (local server)`);
  console.table(
    modes.map((mode) => ({
      mode,
      'median µs': best[mode].medianUs.toFixed(1),
      'p99 µs': best[mode].p99Us.toFixed(1),
      'CPU µs/call': best[mode].cpuUsPerCall.toFixed(1),
      'overhead median µs': mode === 'bare' ? '' : over(mode).wallUs.toFixed(1),
      'overhead CPU µs': mode === 'bare' ? '' : over(mode).cpuUs.toFixed(1),
    })),
  );
  console.log(`convotel / contrib overhead: median ${(convotel.wallUs / contrib.wallUs).toFixed(2)}, CPU ${(convotel.cpuUs / contrib.cpuUs).toFixed(2)}`);

  const spans = await runNode(['--expose-gc', here('./span-cost.mjs'), port]);
  console.log(`\nturn = 1 turn span + 4 steps (stt, llm, tool, tts) + 2 LLM calls, real batch export`);
  console.table({
    'per turn, median µs': spans.perTurnMedianUs.toFixed(1),
    'per turn, p99 µs': spans.perTurnP99Us.toFixed(1),
    'per span, median µs': spans.perSpanMedianUs.toFixed(2),
    'all CPU per turn incl. export, µs': spans.cpuPerTurnUs.toFixed(1),
  });
  const m = spans.millionSpans;
  console.log(
    `${m.spans} spans in ${m.seconds.toFixed(1)} s: heap ${m.heapBeforeMb} MB before, ${m.heapAfterMb} MB after (flushed, GC), RSS ${m.rssAfterMb} MB`,
  );
} finally {
  server.kill('SIGTERM');
}
