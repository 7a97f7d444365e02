// Loads the hand-written OTLP schema in `proto/` (package root) with protobufjs, once.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

/**
 * `proto/` sits at the package root; this file is `src/otlp/` under vitest and `dist/otlp/`
 * once built, two levels down either way.
 */
export const PROTO_DIR = fileURLToPath(new URL('../../proto/', import.meta.url));

const PROTO_FILES = [
  'opentelemetry/proto/collector/trace/v1/trace_service.proto',
  'opentelemetry/proto/collector/logs/v1/logs_service.proto',
  'google/rpc/status.proto',
];

/** The message types the ingest reads and writes. */
export interface OtlpProtoTypes {
  readonly exportTraceServiceRequest: protobuf.Type;
  readonly exportTraceServiceResponse: protobuf.Type;
  readonly exportLogsServiceRequest: protobuf.Type;
  readonly exportLogsServiceResponse: protobuf.Type;
  readonly status: protobuf.Type;
  /** Used by tests to build edge-case payloads with the same schema. */
  readonly root: protobuf.Root;
}

let loaded: OtlpProtoTypes | undefined;

/**
 * Parses the `.proto` files on first call (~10 ms) and returns the cached types after that.
 * Throws when `proto/` is missing, so a broken install fails at startup, not on the first request.
 */
export function loadOtlpProtoTypes(): OtlpProtoTypes {
  if (loaded) return loaded;
  if (!existsSync(PROTO_DIR)) {
    throw new Error(`OTLP schema folder not found at ${PROTO_DIR}; the package's proto/ folder must ship with it`);
  }
  const root = new protobuf.Root();
  // Imports are written relative to proto/ (as upstream does), not to the importing file.
  root.resolvePath = (_origin, target) => (path.isAbsolute(target) ? target : path.join(PROTO_DIR, target));
  root.loadSync(PROTO_FILES, { keepCase: false });
  root.resolveAll();
  loaded = Object.freeze({
    exportTraceServiceRequest: root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest'),
    exportTraceServiceResponse: root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse'),
    exportLogsServiceRequest: root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest'),
    exportLogsServiceResponse: root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse'),
    status: root.lookupType('google.rpc.Status'),
    root,
  });
  return loaded;
}
