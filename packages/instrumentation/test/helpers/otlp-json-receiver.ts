import { createServer, type Server } from 'node:http';

/** An OTLP/JSON attribute value, as the JSON exporters write it. */
interface AnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  arrayValue?: { values?: AnyValue[] };
}

export type PlainValue = string | number | boolean | PlainValue[] | undefined;

export interface ReceivedSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  scope: string;
  links: string[];
  attributes: Record<string, PlainValue>;
  /** End minus start time. */
  durationMs: number;
}

export interface ReceivedLog {
  eventName: string | undefined;
  traceId: string | undefined;
  attributes: Record<string, PlainValue>;
}

function toPlain(value: AnyValue | undefined): PlainValue {
  if (value === undefined) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(toPlain);
  return undefined;
}

function toAttributes(list: Array<{ key: string; value?: AnyValue }> | undefined): Record<string, PlainValue> {
  return Object.fromEntries((list ?? []).map((kv) => [kv.key, toPlain(kv.value)]));
}

/** A real HTTP server receiving OTLP/JSON traces and logs, as a Collector would. */
export interface OtlpJsonReceiver {
  readonly url: string;
  readonly spans: ReceivedSpan[];
  readonly logs: ReceivedLog[];
  readonly resources: Array<Record<string, PlainValue>>;
  /** Every request path received, in order. */
  readonly paths: string[];
  close(): Promise<void>;
}

export async function startOtlpJsonReceiver(): Promise<OtlpJsonReceiver> {
  const spans: ReceivedSpan[] = [];
  const logs: ReceivedLog[] = [];
  const resources: Array<Record<string, PlainValue>> = [];
  const paths: string[] = [];
  const server: Server = createServer((req, res) => {
    paths.push(req.url ?? '');
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      if (req.url === '/v1/traces') {
        for (const rs of body.resourceSpans ?? []) {
          resources.push(toAttributes(rs.resource?.attributes));
          for (const ss of rs.scopeSpans ?? []) {
            for (const s of ss.spans ?? []) {
              spans.push({
                name: s.name,
                traceId: s.traceId,
                spanId: s.spanId,
                parentSpanId: s.parentSpanId || undefined,
                scope: ss.scope?.name ?? '',
                links: (s.links ?? []).map((l: { spanId: string }) => l.spanId),
                attributes: toAttributes(s.attributes),
                // OTLP/JSON writes the nanosecond times as decimal strings.
                durationMs: Number(BigInt(s.endTimeUnixNano) - BigInt(s.startTimeUnixNano)) / 1e6,
              });
            }
          }
        }
      } else if (req.url === '/v1/logs') {
        for (const rl of body.resourceLogs ?? []) {
          for (const sl of rl.scopeLogs ?? []) {
            for (const r of sl.logRecords ?? []) {
              logs.push({ eventName: r.eventName || undefined, traceId: r.traceId || undefined, attributes: toAttributes(r.attributes) });
            }
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    logs,
    resources,
    paths,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
