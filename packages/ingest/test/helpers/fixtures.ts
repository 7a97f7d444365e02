// Recorded OTLP/JSON fixtures (test/fixtures/<flavour>/, see its README): each file is an array
// of request bodies as a real exporter sent them. They are decoded here with the real decoder,
// so a test of normalization also proves the bytes are accepted.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeLogsRequestJson, decodeTraceRequestJson } from '../../src/otlp/decode-json.js';
import type { LogsRequest, Span, TraceRequest } from '../../src/otlp/types.js';

/** The folders of test/fixtures/ that hold recordings. */
export type FixtureFlavour =
  | 'otel-contrib-openai'
  | 'openllmetry'
  | 'openlit'
  | 'openinference'
  | 'vercel-ai'
  | 'anthropic-sdk-native'
  | 'langchain-openinference'
  | 'openai-agents-openinference'
  | 'livekit'
  | 'mastra'
  | 'langchain-openllmetry'
  | 'llamaindex-openllmetry'
  | 'livekit-turns'
  /** Hand-built from Pipecat's tracing source: unverified (fixtures/pipecat/SOURCES.md). */
  | 'pipecat';

const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** Every trace request a flavour's exporter sent, decoded (throws if the decoder rejects anything). */
export function loadTraceFixture(flavour: FixtureFlavour): TraceRequest[] {
  return readBodies(flavour, 'traces.json').map((body) => {
    const decoded = decodeTraceRequestJson(body);
    if (decoded.rejected > 0) throw new Error(`${flavour}/traces.json: ${decoded.rejectionReasons.join('; ')}`);
    return decoded.request;
  });
}

/** Every logs request a flavour's exporter sent, decoded; empty when the flavour exported no logs. */
export function loadLogsFixture(flavour: FixtureFlavour): LogsRequest[] {
  if (!existsSync(`${FIXTURES_DIR}${flavour}/logs.json`)) return [];
  return readBodies(flavour, 'logs.json').map((body) => {
    const decoded = decodeLogsRequestJson(body);
    if (decoded.rejected > 0) throw new Error(`${flavour}/logs.json: ${decoded.rejectionReasons.join('; ')}`);
    return decoded.request;
  });
}

/** The bodies of one fixture file, each re-serialized as the exporter's JSON text. */
function readBodies(flavour: FixtureFlavour, file: string): string[] {
  const bodies: unknown = JSON.parse(readFileSync(`${FIXTURES_DIR}${flavour}/${file}`, 'utf8'));
  if (!Array.isArray(bodies)) throw new Error(`${flavour}/${file}: expected an array of request bodies`);
  return bodies.map((body) => JSON.stringify(body));
}

/** Where the client's own span goes relative to the instrumentation's span of the same call. */
export type ClientSpanPlacement = 'nested' | 'beside';

export interface GraftOptions {
  /** The recording to add the client's spans to. */
  readonly into: FixtureFlavour;
  /** Scope-name prefix of that recording's provider-call spans to pair with, in start order. */
  readonly scopePrefix: string;
  readonly placement: ClientSpanPlacement;
  /** Changes an instrumentation span before grafting (e.g. to drop its usage). */
  readonly editOuter?: (span: Span, index: number) => Span;
}

const CLIENT_SCOPE_PREFIX = 'com.anthropic.sdk';

/**
 * One request holding a recording plus the spans `@anthropic-ai/sdk` recorded by itself for the
 * same three Anthropic calls (anthropic-sdk-native), moved into the paired span's trace and time
 * and placed under it (`nested`) or under its parent (`beside`): what an app gets when it runs
 * an instrumentation and leaves the client's own tracing on (test/fixtures/README.md).
 */
export function graftClientSpans(options: GraftOptions): TraceRequest {
  const [target] = loadTraceFixture(options.into);
  const [native] = loadTraceFixture('anthropic-sdk-native');
  if (target === undefined || native === undefined) throw new Error('fixture without a request');
  const outers = spansWithScope(target, options.scopePrefix);
  const outerIds = new Map(outers.map((span, index) => [span.spanId, index]));
  const edited: TraceRequest = {
    resourceSpans: target.resourceSpans.map((rs) => ({
      ...rs,
      scopeSpans: rs.scopeSpans.map((ss) => ({
        ...ss,
        spans: ss.spans.map((span) => {
          const index = outerIds.get(span.spanId);
          return index === undefined || options.editOuter === undefined ? span : options.editOuter(span, index);
        }),
      })),
    })),
  };
  const clients = spansWithScope(native, CLIENT_SCOPE_PREFIX);
  const grafted = clients.map((client, index): Span => {
    const outer = outers[index];
    if (outer === undefined) throw new Error(`${options.into} has fewer than ${clients.length} spans of ${options.scopePrefix}`);
    return {
      ...client,
      traceId: outer.traceId,
      parentSpanId: options.placement === 'nested' ? outer.spanId : outer.parentSpanId,
      startTimeUnixNano: outer.startTimeUnixNano + 1_000n,
      endTimeUnixNano: outer.endTimeUnixNano - 1_000n,
    };
  });
  const nativeResource = native.resourceSpans[0];
  const clientScope = nativeResource?.scopeSpans.find((ss) => ss.scope.name.startsWith(CLIENT_SCOPE_PREFIX))?.scope;
  if (nativeResource === undefined || clientScope === undefined) throw new Error('anthropic-sdk-native has no client spans');
  return {
    resourceSpans: [...edited.resourceSpans, { resource: nativeResource.resource, scopeSpans: [{ scope: clientScope, spans: grafted }] }],
  };
}

/** The spans of one scope (by name prefix) in a request, in start order. */
function spansWithScope(request: TraceRequest, scopePrefix: string): Span[] {
  return request.resourceSpans
    .flatMap((rs) => rs.scopeSpans)
    .filter((ss) => ss.scope.name.startsWith(scopePrefix))
    .flatMap((ss) => ss.spans)
    .sort((a, b) => (a.startTimeUnixNano < b.startTimeUnixNano ? -1 : a.startTimeUnixNano > b.startTimeUnixNano ? 1 : 0));
}

/** One request per span of a recording, each with its span's resource and scope: the finest redelivery. */
export function splitBySpan(request: TraceRequest): TraceRequest[] {
  return request.resourceSpans.flatMap((rs) =>
    rs.scopeSpans.flatMap((ss) => ss.spans.map((span): TraceRequest => ({ resourceSpans: [{ ...rs, scopeSpans: [{ ...ss, spans: [span] }] }] }))),
  );
}
