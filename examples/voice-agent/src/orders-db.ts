// The agent's SQL lookup: a tiny `orders` table in PGlite (PostgreSQL compiled to WebAssembly,
// in this process), so the demo needs no database server. PGlite has no OpenTelemetry
// instrumentation, so the query's span is written here by hand with the standard `db.*` keys:
// the same ones @opentelemetry/instrumentation-pg sets on a `pg` query, which is how the
// convotel ingest recognizes an SQL span (`db.system.name` and `db.query.text`).
import { PGlite } from '@electric-sql/pglite';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ORDER_IDS } from './plan.js';

export interface Order {
  readonly id: string;
  readonly status: string;
  readonly eta_minutes: number | null;
}

export interface OrdersDb {
  /** The order, or undefined when there is none with that number. */
  findOrder(orderId: string): Promise<Order | undefined>;
  close(): Promise<void>;
}

const FIND_ORDER = 'SELECT id, status, eta_minutes FROM orders WHERE id = $1';
const STATUSES = ['preparing', 'out for delivery', 'out for delivery', 'delivered'] as const;

const tracer = trace.getTracer('@convotel/example-voice-agent');

/** Creates the in-memory database and its orders. */
export async function openOrdersDb(): Promise<OrdersDb> {
  const db = new PGlite();
  await db.exec('CREATE TABLE orders (id text PRIMARY KEY, status text NOT NULL, eta_minutes integer)');
  for (const [i, id] of ORDER_IDS.entries()) {
    const status = STATUSES[i % STATUSES.length]!;
    await db.query('INSERT INTO orders (id, status, eta_minutes) VALUES ($1, $2, $3)', [id, status, status === 'delivered' ? null : 10 + i * 5]);
  }
  return {
    findOrder: (orderId) =>
      tracer.startActiveSpan(
        'SELECT orders',
        {
          kind: SpanKind.CLIENT,
          attributes: {
            'db.system.name': 'postgresql',
            'db.namespace': 'postgres',
            'db.collection.name': 'orders',
            'db.operation.name': 'SELECT',
            'db.query.text': FIND_ORDER,
          },
        },
        async (span) => {
          try {
            const result = await db.query<Order>(FIND_ORDER, [orderId]);
            span.setAttribute('db.response.returned_rows', result.rows.length);
            return result.rows[0];
          } catch (error) {
            span.recordException(error as Error);
            span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
            throw error;
          } finally {
            span.end();
          }
        },
      ),
    close: () => db.close(),
  };
}
