import { JsonLogsSerializer, JsonTraceSerializer, ProtobufLogsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import { encodeExportResponse, encodeStatus } from '../../src/otlp/encode-response.js';
import { loadOtlpProtoTypes } from '../../src/otlp/proto-root.js';

const ALL_GOOD = { rejected: 0, errorMessage: '' };

describe('encodeExportResponse', () => {
  it('encodes an all-accepted answer as an empty message: 0 protobuf bytes, {} in JSON', () => {
    expect(encodeExportResponse('traces', ALL_GOOD, 'protobuf')).toHaveLength(0);
    expect(Buffer.from(encodeExportResponse('logs', ALL_GOOD, 'json')).toString()).toBe('{}');
  });

  it('writes a partial success the OpenTelemetry exporters read back', () => {
    const outcome = { rejected: 3, errorMessage: '3 spans rejected: span "x": trace_id is all zeros' };
    expect(ProtobufTraceSerializer.deserializeResponse(encodeExportResponse('traces', outcome, 'protobuf'))).toMatchObject({
      partialSuccess: { errorMessage: outcome.errorMessage },
    });
    const fromJson = JsonTraceSerializer.deserializeResponse(encodeExportResponse('traces', outcome, 'json'));
    // OTLP/JSON writes int64 as a decimal string.
    expect(fromJson).toEqual({ partialSuccess: { rejectedSpans: '3', errorMessage: outcome.errorMessage } });

    const logsOutcome = { rejected: 1, errorMessage: '1 log record rejected' };
    expect(JsonLogsSerializer.deserializeResponse(encodeExportResponse('logs', logsOutcome, 'json'))).toEqual({
      partialSuccess: { rejectedLogRecords: '1', errorMessage: '1 log record rejected' },
    });
    expect(ProtobufLogsSerializer.deserializeResponse(encodeExportResponse('logs', logsOutcome, 'protobuf'))).toMatchObject({
      partialSuccess: { errorMessage: '1 log record rejected' },
    });
  });

  it('puts the rejected count in the field the spec numbers', () => {
    const types = loadOtlpProtoTypes();
    const decoded = types.exportTraceServiceResponse.toObject(
      types.exportTraceServiceResponse.decode(encodeExportResponse('traces', { rejected: 7, errorMessage: 'm' }, 'protobuf')),
      { longs: Number },
    );
    expect(decoded).toEqual({ partialSuccess: { rejectedSpans: 7, errorMessage: 'm' } });
  });

  it('caps the error message so the answer stays small', () => {
    const body = encodeExportResponse('traces', { rejected: 1, errorMessage: 'x'.repeat(100_000) }, 'json');
    expect(body.length).toBeLessThan(2200);
  });
});

describe('encodeStatus', () => {
  it('encodes google.rpc.Status in protobuf and in JSON', () => {
    const type = loadOtlpProtoTypes().status;
    expect(type.toObject(type.decode(encodeStatus({ code: 3, message: 'bad' }, 'protobuf')))).toEqual({ code: 3, message: 'bad' });
    expect(JSON.parse(Buffer.from(encodeStatus({ code: 14, message: 'down' }, 'json')).toString())).toEqual({ code: 14, message: 'down' });
  });
});
