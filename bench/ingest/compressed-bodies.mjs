// Many small gzip bodies that inflate to large ones, sent at once: how high the ingest's memory
// goes, how long /healthz takes meanwhile, and whether every body lands once.
//
//   npm run build && node bench/ingest/compressed-bodies.mjs [--clients 16] [--inflated-mb 50]
//
// Each client sends one OTLP/JSON request of one span whose attribute is `--inflated-mb` MB of
// one repeated character (gzip: ~50 KB), and retries on 503 or a network error as an exporter
// does. A prober asks /healthz every 100 ms. Prints peak RSS, /healthz latency percentiles, the
// 503s by code, and the rows stored (one per client when nothing is lost or doubled).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { freePort } from './free-port.mjs';
import { readMemory, sampleMemory } from './proc.mjs';

const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: '16' },
    'inflated-mb': { type: 'string', default: '50' },
    'admin-url': { type: 'string', default: process.env.CONVOTEL_BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
  },
});
const CLIENTS = Number(args.clients);
const INFLATED_BYTES = Number(args['inflated-mb']) * 1024 * 1024;
const CLI = fileURLToPath(new URL('../../packages/cli/bin/convotel.js', import.meta.url));

function body(client) {
  const hex = (n, width) => n.toString(16).padStart(width, '0');
  const request = {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'compressed-bench' } }] },
        scopeSpans: [
          {
            scope: { name: 'bench' },
            spans: [
              {
                traceId: hex(client + 1, 32),
                spanId: hex(client + 1, 16),
                name: 'chat bench-model',
                kind: 3,
                startTimeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
                endTimeUnixNano: String(BigInt(Date.now() + 500) * 1_000_000n),
                attributes: [
                  { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
                  { key: 'bench.payload', value: { stringValue: 'x'.repeat(INFLATED_BYTES) } },
                ],
              },
            ],
          },
        ],
      },
    ],
  };
  return gzipSync(JSON.stringify(request));
}

function post(port, path, payload) {
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: payload === undefined ? 'GET' : 'POST',
        agent: false,
        headers: payload === undefined ? {} : { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': payload.length },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode, code: res.headers['x-convotel-error-code'], retryAfter: Number(res.headers['retry-after'] ?? 1) }));
      },
    );
    req.on('error', (error) => resolve({ status: 0, code: error.code }));
    req.end(payload);
  });
}


function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const admin = new pg.Client({ connectionString: args['admin-url'] });
await admin.connect();
const databaseName = `convotel_bench_bodies_${process.pid}`;
await admin.query(`CREATE DATABASE ${databaseName}`);
const databaseUrl = new URL(args['admin-url']);
databaseUrl.pathname = `/${databaseName}`;
const port = await freePort();
const child = spawn(process.execPath, [CLI, 'serve', '--only', 'ingest'], {
  env: { ...process.env, DATABASE_URL: databaseUrl.toString(), CONVOTEL_OTLP_PORT: String(port), CONVOTEL_OTLP_HOST: '127.0.0.1', CONVOTEL_LOG_LEVEL: 'error' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
try {
  let output = '';
  child.stdout.setEncoding('utf8');
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (text) => {
      output += text;
      if (output.includes('convotel ingest:')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`ingest exited with ${code}: ${output}`)));
  });
  child.stdout.resume();

  const bodies = Array.from({ length: CLIENTS }, (_, client) => body(client));
  const idleRssMb = readMemory(child.pid).rssMb;
  const memory = sampleMemory(child.pid, 50);
  const health = [];
  let probing = true;
  const prober = (async () => {
    while (probing) {
      const started = performance.now();
      await post(port, '/healthz');
      health.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();

  const refusals = new Map();
  const started = performance.now();
  await Promise.all(
    bodies.map(async (payload) => {
      for (;;) {
        const answer = await post(port, '/v1/traces', payload);
        if (answer.status === 200) return;
        const key = `${answer.status} ${answer.code ?? ''}`.trim();
        refusals.set(key, (refusals.get(key) ?? 0) + 1);
        if (answer.status !== 503 && answer.status !== 0) throw new Error(`answered ${key}`);
        await new Promise((resolve) => setTimeout(resolve, 1000 * (answer.retryAfter || 1)));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  probing = false;
  await prober;
  const samples = memory.stop();
  const peakRssMb = Math.max(...samples.map((sample) => sample.rssMb));
  const check = new pg.Client({ connectionString: databaseUrl.toString() });
  await check.connect();
  const rows = Number((await check.query('SELECT count(*) AS n FROM llm_calls')).rows[0].n);
  await check.end();

  const sorted = [...health].sort((a, b) => a - b);
  console.log(`${CLIENTS} clients, ${bodies[0].length} B of gzip each, inflating to ${args['inflated-mb']} MB`);
  console.log(`all accepted in ${seconds.toFixed(1)} s; refusals: ${[...refusals].map(([key, n]) => `${key} ×${n}`).join(', ') || 'none'}`);
  console.log(`RSS: ${idleRssMb.toFixed(0)} MB idle, peak ${peakRssMb.toFixed(0)} MB, ${samples.at(-1).rssMb.toFixed(0)} MB at the end`);
  console.log(
    `/healthz (${sorted.length} probes): p50 ${percentile(sorted, 50).toFixed(0)} ms, p99 ${percentile(sorted, 99).toFixed(0)} ms, max ${sorted.at(-1).toFixed(0)} ms`,
  );
  console.log(`rows stored: ${rows} (expected ${CLIENTS})`);
} finally {
  child.kill('SIGTERM');
  await once(child, 'exit');
  await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
  await admin.end();
}
