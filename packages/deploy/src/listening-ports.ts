// The container ports each backend listens on, read from its own config, so the collector's
// exporter endpoints can be checked against them.
import { interpolate } from './check-compose.js';
import { asRecord, type Parsed } from './problem.js';

function portOf(endpoint: unknown): number[] {
  if (typeof endpoint !== 'string') return [];
  const match = /:(\d+)$/.exec(endpoint);
  return match === null ? [] : [Number(match[1])];
}

/** Tempo: its HTTP API and the OTLP receivers of the distributor. */
export function tempoListeningPorts(tempo: Parsed): number[] {
  const root = asRecord(tempo);
  const httpPort = asRecord(root['server'])['http_listen_port'];
  const protocols = asRecord(asRecord(asRecord(asRecord(root['distributor'])['receivers'])['otlp'])['protocols']);
  return [
    typeof httpPort === 'number' ? httpPort : 3200,
    ...portOf(asRecord(protocols['grpc'])['endpoint']),
    ...portOf(asRecord(protocols['http'])['endpoint']),
  ];
}

/** Loki: HTTP (push, OTLP, queries) and gRPC. */
export function lokiListeningPorts(loki: Parsed): number[] {
  const server = asRecord(asRecord(loki)['server']);
  const http = server['http_listen_port'];
  const grpc = server['grpc_listen_port'];
  return [typeof http === 'number' ? http : 3100, typeof grpc === 'number' ? grpc : 9095];
}

/** convotel serve: the OTLP port and the API port, from its environment as compose sets it. */
export function convotelListeningPorts(environment: Readonly<Record<string, string>>): number[] {
  const read = (name: string, fallback: number): number => {
    const raw = environment[name];
    const value = raw === undefined ? '' : interpolate(raw).trim();
    return value === '' ? fallback : Number(value);
  };
  return [read('CONVOTEL_OTLP_PORT', 4318), read('CONVOTEL_PORT', 8080)];
}
