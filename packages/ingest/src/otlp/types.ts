// The decoded form of OTLP requests that every later stage reads. Protobuf and JSON
// decoders both produce exactly this shape, so normalization never sees the wire format.

/** An OTLP AnyValue as plain data: kvlists become objects, bytes become base64 strings. */
export type AttributeValue =
  | string
  | number
  | boolean
  | null
  | readonly AttributeValue[]
  | { readonly [key: string]: AttributeValue };

/** Attributes by key (OTLP KeyValue lists; a repeated key keeps its last value). */
export type AttributeMap = Readonly<Record<string, AttributeValue>>;

export interface InstrumentationScope {
  readonly name: string;
  readonly version: string | undefined;
  readonly attributes: AttributeMap;
}

export interface SpanEvent {
  readonly timeUnixNano: bigint;
  readonly name: string;
  readonly attributes: AttributeMap;
}

export interface SpanLink {
  /** 32 lowercase hex characters. */
  readonly traceId: string;
  /** 16 lowercase hex characters. */
  readonly spanId: string;
  readonly attributes: AttributeMap;
}

/** OTLP SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
export type SpanKindNumber = 0 | 1 | 2 | 3 | 4 | 5;

/** OTLP StatusCode: 0 unset, 1 ok, 2 error. */
export type StatusCodeNumber = 0 | 1 | 2;

export interface Span {
  /** 32 lowercase hex characters, never all zeros. */
  readonly traceId: string;
  /** 16 lowercase hex characters, never all zeros. */
  readonly spanId: string;
  /** 16 lowercase hex characters, or undefined for a root span. */
  readonly parentSpanId: string | undefined;
  readonly name: string;
  readonly kind: SpanKindNumber;
  readonly startTimeUnixNano: bigint;
  readonly endTimeUnixNano: bigint;
  readonly attributes: AttributeMap;
  readonly events: readonly SpanEvent[];
  readonly links: readonly SpanLink[];
  readonly status: { readonly code: StatusCodeNumber; readonly message: string | undefined };
}

export interface ScopeSpans {
  readonly scope: InstrumentationScope;
  readonly spans: readonly Span[];
}

export interface ResourceSpans {
  readonly resource: AttributeMap;
  readonly scopeSpans: readonly ScopeSpans[];
}

/** A decoded ExportTraceServiceRequest. */
export interface TraceRequest {
  readonly resourceSpans: readonly ResourceSpans[];
}

export interface LogRecord {
  /** 0n when the record has none; then `observedTimeUnixNano` is the time to use. */
  readonly timeUnixNano: bigint;
  readonly observedTimeUnixNano: bigint;
  /** OTLP SeverityNumber 0–24. */
  readonly severityNumber: number;
  readonly severityText: string | undefined;
  readonly body: AttributeValue;
  readonly attributes: AttributeMap;
  /** OTLP LogRecord.event_name (field 12), if set. */
  readonly eventName: string | undefined;
  readonly traceId: string | undefined;
  readonly spanId: string | undefined;
}

export interface ScopeLogs {
  readonly scope: InstrumentationScope;
  readonly logRecords: readonly LogRecord[];
}

export interface ResourceLogs {
  readonly resource: AttributeMap;
  readonly scopeLogs: readonly ScopeLogs[];
}

/** A decoded ExportLogsServiceRequest. */
export interface LogsRequest {
  readonly resourceLogs: readonly ResourceLogs[];
}

/**
 * Why a span or log record was rejected, as a small fixed set (a metrics label: the free-text
 * reasons go to partial_success). `invalid_id`: a malformed trace, span or parent id;
 * `invalid_time`: end before start, or not a plausible Unix time; `store_refused`: the database
 * refused the request's rows for a reason retrying cannot fix.
 */
export const REJECTION_CATEGORIES = ['invalid_id', 'invalid_time', 'store_refused', 'internal_error'] as const;
export type RejectionCategory = (typeof REJECTION_CATEGORIES)[number];

/** Rejected items per category; absent categories count 0, and the counts add up to `rejected`. */
export type RejectionCounts = Readonly<Partial<Record<RejectionCategory, number>>>;

/** What decoding kept and what it had to reject (reported as OTLP partial success). */
export interface Decoded<T> {
  readonly request: T;
  /** Spans or log records dropped as unusable (bad ids, …). */
  readonly rejected: number;
  /** `rejected` by category. */
  readonly rejectedByCategory: RejectionCounts;
  /** Why, for the partial_success error_message; a few examples, not one per item. */
  readonly rejectionReasons: readonly string[];
}
