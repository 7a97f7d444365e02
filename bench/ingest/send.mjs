// OTLP/HTTP clients: N concurrent senders of pre-built gzip protobuf bodies over keep-alive
// connections, with per-request latency. Only 127.0.0.1.
import http from 'node:http';

/** One POST /v1/traces; resolves with status, Retry-After and latency (ms). */
function post(agent, port, body) {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/v1/traces',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip', 'content-length': body.length },
        timeout: 120_000,
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ status: res.statusCode, retryAfter: res.headers['retry-after'], latencyMs: performance.now() - startedAt }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out after 120 s')));
    req.on('error', reject);
    req.end(body);
  });
}

/** `post`, sent again when a keep-alive socket was closed by the server just as it was reused. */
async function postResending(agent, port, body, counts) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await post(agent, port, body);
    } catch (error) {
      if ((error.code !== 'ECONNRESET' && error.code !== 'EPIPE') || attempt >= 5) throw error;
      counts.connectionResets += 1;
    }
  }
}

/**
 * Sends `bodies` (each once, retried while the ingest answers 503) from `clients` concurrent
 * senders, or until `deadlineMs` (performance.now()) passes; requests in flight then finish. `pauseAfter503Ms(retryAfter)` is how
 * long a sender waits before resending a refused body. Returns latencies of accepted requests,
 * counts of 503s (and how many carried Retry-After) and of reset connections, accepted spans and
 * elapsed seconds.
 */
export async function sendAll({ port, bodies, clients, deadlineMs = Infinity, pauseAfter503Ms = (s) => Math.min(1000, s * 1000) }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const latencies = [];
  const result = {
    accepted: 0,
    acceptedSpans: 0,
    acceptedLlmCalls: 0,
    acceptedSteps: 0,
    refused503: 0,
    withRetryAfter: 0,
    connectionResets: 0,
  };
  let next = 0;
  const startedAt = performance.now();
  const sender = async () => {
    while (next < bodies.length && performance.now() < deadlineMs) {
      const body = bodies[next++];
      // A refused body is sent again (as an OTLP exporter retries 503), at most 50 times.
      for (let attempt = 1; attempt <= 50; attempt += 1) {
        // Past the deadline a refused body is given up (it was never stored).
        if (attempt > 1 && performance.now() >= deadlineMs) break;
        const answer = await postResending(agent, port, body.gzip, result);
        if (answer.status === 200) {
          latencies.push(answer.latencyMs);
          result.accepted += 1;
          result.acceptedSpans += body.spans;
          result.acceptedLlmCalls += body.llmCalls;
          result.acceptedSteps += body.steps;
          break;
        }
        if (answer.status !== 503) throw new Error(`ingest answered ${answer.status}`);
        result.refused503 += 1;
        const retryAfterSeconds = Number(answer.retryAfter);
        if (answer.retryAfter !== undefined && Number.isFinite(retryAfterSeconds)) result.withRetryAfter += 1;
        await new Promise((resolve) => setTimeout(resolve, pauseAfter503Ms(Number.isFinite(retryAfterSeconds) ? retryAfterSeconds : 1)));
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: clients }, sender));
  } finally {
    agent.destroy();
  }
  return { ...result, latencies, seconds: (performance.now() - startedAt) / 1000 };
}

/** The `p`-th percentile (0–100) of the values, nearest rank. */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
