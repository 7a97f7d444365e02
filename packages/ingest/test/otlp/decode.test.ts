import { describe, expect, it } from 'vitest';
import { MalformedPayloadError } from '../../src/errors.js';
import { countLogRecords, countSpans, decodeLogsRequest, decodeTraceRequest, encodingForMediaType } from '../../src/otlp/decode.js';
import {
  recordLogRecords,
  recordTurnSpans,
  serializeLogsJson,
  serializeLogsProtobuf,
  serializeTracesJson,
  serializeTracesProtobuf,
} from '../helpers/otlp-fixtures.js';

describe('decode', () => {
  it('knows the two OTLP media types and nothing else', () => {
    expect(encodingForMediaType('application/x-protobuf')).toBe('protobuf');
    expect(encodingForMediaType('application/json')).toBe('json');
    expect(encodingForMediaType('application/protobuf')).toBeUndefined();
    expect(encodingForMediaType('text/plain')).toBeUndefined();
    expect(encodingForMediaType(undefined)).toBeUndefined();
  });

  it('decodes traces and logs in either encoding', () => {
    const spans = recordTurnSpans();
    expect(countSpans(decodeTraceRequest(serializeTracesProtobuf(spans), 'protobuf').request)).toBe(3);
    expect(countSpans(decodeTraceRequest(serializeTracesJson(spans), 'json').request)).toBe(3);
    const records = recordLogRecords((logger) => {
      logger.emit({ body: 'one' });
      logger.emit({ body: 'two' });
    });
    expect(countLogRecords(decodeLogsRequest(serializeLogsProtobuf(records), 'protobuf').request)).toBe(2);
    expect(countLogRecords(decodeLogsRequest(serializeLogsJson(records), 'json').request)).toBe(2);
  });

  it('refuses a body in the other encoding than its media type says', () => {
    const spans = recordTurnSpans();
    expect(() => decodeTraceRequest(serializeTracesProtobuf(spans), 'json')).toThrow(MalformedPayloadError);
    expect(() => decodeTraceRequest(serializeTracesJson(spans), 'protobuf')).toThrow(MalformedPayloadError);
  });
});
