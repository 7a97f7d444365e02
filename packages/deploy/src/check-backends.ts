// Offline checks of the Tempo and Loki configs for the pitfalls of their 3.x releases:
// blocks Tempo 3 removed (it parses strictly and refuses them), receivers bound to
// localhost, and Loki limits that turn into 400s the collector never retries.
import { asRecord, asStringList, type Parsed, type Problem } from './problem.js';

/** Top-level blocks Tempo 3.0 removed; a config that still has one does not start. */
const TEMPO_REMOVED_BLOCKS = ['ingester', 'ingester_client', 'compactor', 'metrics_generator_client'];

export function checkTempoConfig(tempo: Parsed): Problem[] {
  const problems: Problem[] = [];
  const root = asRecord(tempo);
  for (const block of TEMPO_REMOVED_BLOCKS) {
    if (block in root) problems.push({ rule: 'tempo-removed-block', message: `Tempo 3 has no "${block}" block (removed in 3.0): it refuses to start` });
  }
  const processors = asStringList(asRecord(asRecord(asRecord(root['overrides'])['defaults'])['metrics_generator'])['processors']);
  if (processors.includes('local-blocks')) {
    problems.push({ rule: 'tempo-removed-block', message: 'the local-blocks processor was removed in Tempo 3.0' });
  }
  const protocols = asRecord(asRecord(asRecord(asRecord(root['distributor'])['receivers'])['otlp'])['protocols']);
  if (Object.keys(protocols).length === 0) problems.push({ rule: 'tempo-no-otlp-receiver', message: 'Tempo has no OTLP receiver under distributor.receivers' });
  for (const [protocol, settings] of Object.entries(protocols)) {
    const endpoint = asRecord(settings)['endpoint'];
    if (typeof endpoint !== 'string' || !endpoint.startsWith('0.0.0.0:')) {
      problems.push({ rule: 'bound-to-localhost', message: `Tempo's OTLP ${protocol} receiver listens on ${typeof endpoint === 'string' ? endpoint : 'its default (localhost)'}: bind 0.0.0.0` });
    }
  }
  return problems;
}

export function checkLokiConfig(loki: Parsed): Problem[] {
  const problems: Problem[] = [];
  const root = asRecord(loki);
  const limits = asRecord(root['limits_config']);
  // Structured metadata (where OTLP attributes land) needs the newest period on tsdb, schema v13.
  const periods = asRecord(root['schema_config'])['configs'];
  const latest = Array.isArray(periods) ? asRecord(periods.at(-1)) : {};
  if (limits['allow_structured_metadata'] !== false && (latest['store'] !== 'tsdb' || latest['schema'] !== 'v13')) {
    problems.push({ rule: 'loki-schema-for-otlp', message: `OTLP logs need structured metadata, which needs the newest schema period on tsdb with schema v13 (found ${String(latest['store'])} ${String(latest['schema'])})` });
  }
  if (limits['allow_structured_metadata'] === false) {
    problems.push({ rule: 'loki-schema-for-otlp', message: 'allow_structured_metadata is off: Loki refuses OTLP logs' });
  }
  // Over max_line_size a line is a 400, which the collector drops without retrying.
  if (limits['max_line_size_truncate'] !== true) {
    problems.push({ rule: 'loki-line-size-rejects', message: 'max_line_size_truncate is off: a long line is refused with a 400 the collector never retries' });
  }
  const compactor = asRecord(root['compactor']);
  if (compactor['retention_enabled'] === true && typeof compactor['delete_request_store'] !== 'string') {
    problems.push({ rule: 'loki-retention-without-store', message: 'compactor.retention_enabled needs compactor.delete_request_store' });
  }
  return problems;
}
