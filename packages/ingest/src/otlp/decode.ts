// Chooses the decoder for an OTLP/HTTP body by its media type. Pure: bytes in, decoded request out.
import { decodeLogsRequestJson, decodeTraceRequestJson } from './decode-json.js';
import { decodeLogsRequestProtobuf, decodeTraceRequestProtobuf } from './decode-protobuf.js';
import type { Decoded, LogsRequest, TraceRequest } from './types.js';

/** The two OTLP/HTTP body encodings. */
export type OtlpEncoding = 'protobuf' | 'json';

/** The two signals the ingest accepts. */
export type OtlpSignal = 'traces' | 'logs';

/** Media types OTLP/HTTP defines, by encoding (also the `Content-Type` of our answers). */
export const OTLP_MEDIA_TYPES: Readonly<Record<OtlpEncoding, string>> = Object.freeze({
  protobuf: 'application/x-protobuf',
  json: 'application/json',
});

/** The encoding for a bare, lowercase media type (parameters already removed), or undefined. */
export function encodingForMediaType(mediaType: string | undefined): OtlpEncoding | undefined {
  if (mediaType === OTLP_MEDIA_TYPES.protobuf) return 'protobuf';
  if (mediaType === OTLP_MEDIA_TYPES.json) return 'json';
  return undefined;
}

/** Decodes an `ExportTraceServiceRequest`; throws `MalformedPayloadError` when the body is not one. */
export function decodeTraceRequest(body: Uint8Array, encoding: OtlpEncoding): Decoded<TraceRequest> {
  return encoding === 'protobuf' ? decodeTraceRequestProtobuf(body) : decodeTraceRequestJson(body);
}

/** Decodes an `ExportLogsServiceRequest`; throws `MalformedPayloadError` when the body is not one. */
export function decodeLogsRequest(body: Uint8Array, encoding: OtlpEncoding): Decoded<LogsRequest> {
  return encoding === 'protobuf' ? decodeLogsRequestProtobuf(body) : decodeLogsRequestJson(body);
}

/** Spans kept in a decoded request. */
export function countSpans(request: TraceRequest): number {
  let count = 0;
  for (const rs of request.resourceSpans) for (const ss of rs.scopeSpans) count += ss.spans.length;
  return count;
}

/** Log records kept in a decoded request. */
export function countLogRecords(request: LogsRequest): number {
  let count = 0;
  for (const rl of request.resourceLogs) for (const sl of rl.scopeLogs) count += sl.logRecords.length;
  return count;
}
