// Real OTLP payloads for tests: spans and log records made by the OpenTelemetry JS SDK and
// serialized by its own OTLP serializers (what exporters send), plus hand-built protobuf for
// edge cases the SDK never produces (bad ids, odd values), encoded with our schema.
import { SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import type { Logger } from '@opentelemetry/api-logs';
import {
  JsonLogsSerializer,
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
  type ReadableLogRecord,
} from '@opentelemetry/sdk-logs';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { loadOtlpProtoTypes } from '../../src/otlp/proto-root.js';

export const TEST_RESOURCE = { 'service.name': 'checkout-voice-agent', 'deployment.environment.name': 'test' };

/** Ended spans made by a real SDK tracer (scope `convotel-test@1.0.0`). */
export function recordSpans(build: (tracer: Tracer) => void): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(TEST_RESOURCE),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  build(provider.getTracer('convotel-test', '1.0.0'));
  return exporter.getFinishedSpans();
}

/** Emitted log records made by a real SDK logger (scope `convotel-test@1.0.0`). */
export function recordLogRecords(build: (logger: Logger) => void): ReadableLogRecord[] {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes(TEST_RESOURCE),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  build(provider.getLogger('convotel-test', '1.0.0'));
  return exporter.getFinishedLogRecords();
}

/** What `@opentelemetry/exporter-trace-otlp-proto` sends. */
export function serializeTracesProtobuf(spans: ReadableSpan[]): Buffer {
  return Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!);
}

/** What `@opentelemetry/exporter-trace-otlp-http` sends. */
export function serializeTracesJson(spans: ReadableSpan[]): Buffer {
  return Buffer.from(JsonTraceSerializer.serializeRequest(spans)!);
}

export function serializeLogsProtobuf(records: ReadableLogRecord[]): Buffer {
  return Buffer.from(ProtobufLogsSerializer.serializeRequest(records)!);
}

export function serializeLogsJson(records: ReadableLogRecord[]): Buffer {
  return Buffer.from(JsonLogsSerializer.serializeRequest(records)!);
}

/** A turn with an LLM call and a tool call, shaped like what the convotel SDK emits. */
export function recordTurnSpans(): ReadableSpan[] {
  return recordSpans((tracer) => {
    tracer.startActiveSpan('turn', { attributes: { 'convotel.turn.index': 3, 'gen_ai.conversation.id': 'conv-1' } }, (turn) => {
      const llm = tracer.startSpan('chat gpt-4o', {
        kind: SpanKind.CLIENT,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.usage.input_tokens': 1200,
          'gen_ai.response.finish_reasons': ['stop'],
          'convotel.cost.usd': 0.0123,
          'convotel.llm.streamed': true,
        },
      });
      llm.addEvent('gen_ai.content.prompt', { 'gen_ai.prompt': 'hi' });
      llm.end();
      const tool = tracer.startSpan('execute_tool lookup_order', { links: [{ context: llm.spanContext() }] });
      tool.setStatus({ code: SpanStatusCode.ERROR, message: 'order not found' });
      tool.end();
      turn.end();
    });
  });
}

// Hand-built requests, in the object form protobufjs's `fromObject` takes (bytes as Buffers,
// 64-bit integers as decimal strings).

export const TRACE_ID = Buffer.from('5b8efff798038103d269b633813fc60c', 'hex');
export const SPAN_ID = Buffer.from('eee19b7ec3c1b174', 'hex');

/** A valid span in protobufjs object form; `overrides` replace fields. */
export function wireSpan(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    traceId: TRACE_ID,
    spanId: SPAN_ID,
    name: 'turn',
    kind: 1,
    startTimeUnixNano: '1700000000000000000',
    endTimeUnixNano: '1700000000250000000',
    attributes: [{ key: 'convotel.turn.index', value: { intValue: '1' } }],
    ...overrides,
  };
}

/** An ExportTraceServiceRequest with one resource and one scope holding `spans`. */
export function wireTraceRequest(spans: Record<string, unknown>[]): Record<string, unknown> {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
        scopeSpans: [{ scope: { name: 'hand-built', version: '0.0.1' }, spans }],
      },
    ],
  };
}

/** Encodes a request object with the ingest's own schema. */
export function encodeTraceRequest(request: Record<string, unknown>): Buffer {
  const type = loadOtlpProtoTypes().exportTraceServiceRequest;
  return Buffer.from(type.encode(type.fromObject(request)).finish());
}

export function encodeLogsRequest(request: Record<string, unknown>): Buffer {
  const type = loadOtlpProtoTypes().exportLogsServiceRequest;
  return Buffer.from(type.encode(type.fromObject(request)).finish());
}

/** One span in OTLP/JSON form, as a sender writes it; `overrides` replace fields. */
export function jsonSpan(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    traceId: TRACE_ID.toString('hex'),
    spanId: SPAN_ID.toString('hex'),
    name: 'turn',
    kind: 1,
    startTimeUnixNano: '1700000000000000000',
    endTimeUnixNano: '1700000000250000000',
    attributes: [],
    ...overrides,
  };
}

export function jsonTraceRequest(spans: Record<string, unknown>[]): Record<string, unknown> {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
        scopeSpans: [{ scope: { name: 'hand-built', version: '0.0.1' }, spans }],
      },
    ],
  };
}
