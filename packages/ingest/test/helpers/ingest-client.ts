// A sender's view of a running ingest, for the end-to-end tests of failures: post a body and
// see what came back (or which network error), retry like a Collector, count what was stored.
import pg from 'pg';

/** What one POST got: an answer, or the network error a sender would retry. */
export type Delivery =
  | { readonly kind: 'answer'; readonly status: number; readonly retryAfter: string | null; readonly code: string | null; readonly body: string }
  | { readonly kind: 'network-error'; readonly error: string };

/** POSTs an OTLP/JSON body to `/v1/traces`. */
export async function postTraces(
  port: number,
  body: Buffer | string,
  options: { timeoutMillis?: number; headers?: Record<string, string> } = {},
): Promise<Delivery> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...options.headers },
      body,
      signal: AbortSignal.timeout(options.timeoutMillis ?? 20_000),
    });
    return {
      kind: 'answer',
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      code: response.headers.get('x-convotel-error-code'),
      body: await response.text(),
    };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { kind: 'network-error', error: cause?.code ?? (error as Error).name };
  }
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
