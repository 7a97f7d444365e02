// A sender's view of a running ingest, for the end-to-end tests of failures: post a body and
// see what came back (or which network error), retry like a Collector, count what was stored.
import http from 'node:http';
import pg from 'pg';

/** What one POST got: an answer, or the network error a sender would retry. */
export type Delivery =
  | { readonly kind: 'answer'; readonly status: number; readonly retryAfter: string | null; readonly code: string | null; readonly body: string }
  | { readonly kind: 'network-error'; readonly error: string };

/** POSTs an OTLP/JSON body to `/v1/traces` on a connection of its own (as a new client would). */
export function postTraces(
  port: number,
  body: Buffer | string,
  options: { timeoutMillis?: number; headers?: Record<string, string> } = {},
): Promise<Delivery> {
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/v1/traces',
        method: 'POST',
        agent: false,
        timeout: options.timeoutMillis ?? 20_000,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            kind: 'answer',
            status: res.statusCode ?? 0,
            retryAfter: header(res.headers['retry-after']),
            code: header(res.headers['x-convotel-error-code']),
            body: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', (error: NodeJS.ErrnoException) => resolve({ kind: 'network-error', error: error.code ?? error.message }));
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'TIMEOUT' })));
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ kind: 'network-error', error: error.code ?? error.message }));
    req.end(body);
  });
}

function header(value: string | string[] | undefined): string | null {
  return value === undefined ? null : Array.isArray(value) ? (value[0] ?? null) : value;
}

/**
 * Retries like an OTLP exporter (on 503 and network errors) until the body is accepted, and
 * returns every delivery. Throws when an answer is one a sender would not retry but is not a
 * clean success: that is data acknowledged and lost.
 */
export async function sendUntilAccepted(
  port: number,
  body: Buffer | string,
  options: { attempts?: number; delayMillis?: number; headers?: Record<string, string> } = {},
): Promise<Delivery[]> {
  const deliveries: Delivery[] = [];
  for (let attempt = 1; attempt <= (options.attempts ?? 60); attempt += 1) {
    const delivery = await postTraces(port, body, { headers: options.headers });
    deliveries.push(delivery);
    if (delivery.kind === 'answer' && delivery.status === 200) {
      if (delivery.body !== '{}') throw new Error(`accepted with a partial success: ${delivery.body}`);
      return deliveries;
    }
    if (delivery.kind === 'answer' && delivery.status !== 503) throw new Error(`answered ${delivery.status}: ${delivery.body}`);
    await new Promise((resolve) => setTimeout(resolve, options.delayMillis ?? 250));
  }
  throw new Error(`not accepted after ${deliveries.length} attempts: ${JSON.stringify(deliveries.slice(-3))}`);
}

/** `GET /healthz`'s status. */
export async function healthStatus(port: number): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(20_000) });
  await response.arrayBuffer();
  return response.status;
}

/** Polls `check` until it is true (or throws after `timeoutMillis`). */
export async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMillis = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMillis;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Rows of `table` in the database at `url`, counted on a connection of its own. */
export async function countRows(url: string, table: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
  } finally {
    await client.end();
  }
}
