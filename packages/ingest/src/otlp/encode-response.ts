// OTLP/HTTP answers: Export…ServiceResponse on success, google.rpc.Status on failure, each in
// the encoding of the request (protobuf in, protobuf out; JSON in, JSON out).
import type { OtlpEncoding, OtlpSignal } from './decode.js';
import { loadOtlpProtoTypes } from './proto-root.js';

/** OTLP clients SHOULD cap responses at 4 MiB; our messages stay far below by capping the text. */
export const MAX_ERROR_MESSAGE_CHARS = 2048;

/** What to report back; `rejected` 0 with an empty message encodes as an empty response. */
export interface ExportOutcome {
  readonly rejected: number;
  readonly errorMessage: string;
}

/**
 * Encodes `ExportTraceServiceResponse` / `ExportLogsServiceResponse`. `partial_success` is set
 * only when something was rejected or there is a warning: an all-good answer is 0 bytes or `{}`.
 */
export function encodeExportResponse(signal: OtlpSignal, outcome: ExportOutcome, encoding: OtlpEncoding): Uint8Array {
  const hasPartial = outcome.rejected > 0 || outcome.errorMessage !== '';
  const errorMessage = truncateMessage(outcome.errorMessage);
  const countKey = signal === 'traces' ? 'rejectedSpans' : 'rejectedLogRecords';
  if (encoding === 'json') {
    // OTLP/JSON writes int64 as a decimal string.
    const body = hasPartial ? { partialSuccess: { [countKey]: String(outcome.rejected), errorMessage } } : {};
    return Buffer.from(JSON.stringify(body));
  }
  const types = loadOtlpProtoTypes();
  const type = signal === 'traces' ? types.exportTraceServiceResponse : types.exportLogsServiceResponse;
  const message = hasPartial ? { partialSuccess: { [countKey]: outcome.rejected, errorMessage } } : {};
  return type.encode(type.fromObject(message)).finish();
}

/** Encodes a `google.rpc.Status` error body; `code` is a google.rpc.Code (clients do not act on it). */
export function encodeStatus(status: { readonly code: number; readonly message: string }, encoding: OtlpEncoding): Uint8Array {
  const message = truncateMessage(status.message);
  if (encoding === 'json') return Buffer.from(JSON.stringify({ code: status.code, message }));
  const type = loadOtlpProtoTypes().status;
  return type.encode(type.fromObject({ code: status.code, message })).finish();
}

function truncateMessage(message: string): string {
  return message.length <= MAX_ERROR_MESSAGE_CHARS ? message : `${message.slice(0, MAX_ERROR_MESSAGE_CHARS - 1)}…`;
}
