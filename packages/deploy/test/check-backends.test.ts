import { describe, expect, it } from 'vitest';
import { checkLokiConfig, checkTempoConfig } from '../src/index.js';
import { at, copyOf, readRepoYaml } from './helpers/repo-files.js';

const tempo = readRepoYaml('deploy/tempo.yaml');
const loki = readRepoYaml('deploy/loki.yaml');

describe('deploy/tempo.yaml', () => {
  it('has no problems', () => {
    expect(checkTempoConfig(tempo)).toEqual([]);
  });

  it('catches a Tempo 2 block', () => {
    const broken = copyOf(tempo) as Record<string, unknown>;
    broken['compactor'] = { compaction: { block_retention: '24h' } };
    expect(checkTempoConfig(broken)).toEqual([{ rule: 'tempo-removed-block', message: 'Tempo 3 has no "compactor" block (removed in 3.0): it refuses to start' }]);
  });

  it('catches the removed local-blocks processor', () => {
    const broken = copyOf(tempo) as Record<string, unknown>;
    broken['overrides'] = { defaults: { metrics_generator: { processors: ['service-graphs', 'local-blocks'] } } };
    expect(checkTempoConfig(broken).map((problem) => problem.rule)).toEqual(['tempo-removed-block']);
  });

  it('catches a receiver left on its localhost default', () => {
    const broken = copyOf(tempo);
    at(broken, 'distributor', 'receivers', 'otlp', 'protocols')['grpc'] = {};
    expect(checkTempoConfig(broken)).toEqual([{ rule: 'bound-to-localhost', message: "Tempo's OTLP grpc receiver listens on its default (localhost): bind 0.0.0.0" }]);
  });
});

describe('deploy/loki.yaml', () => {
  it('has no problems', () => {
    expect(checkLokiConfig(loki)).toEqual([]);
  });

  it('catches a schema that cannot hold structured metadata', () => {
    const broken = copyOf(loki);
    const configs = at(broken, 'schema_config')['configs'] as Record<string, unknown>[];
    configs.push({ from: '2025-01-01', store: 'boltdb-shipper', object_store: 'filesystem', schema: 'v12' });
    expect(checkLokiConfig(broken).map((problem) => problem.rule)).toEqual(['loki-schema-for-otlp']);
  });

  it('catches long lines being refused instead of cut', () => {
    const broken = copyOf(loki);
    delete at(broken, 'limits_config')['max_line_size_truncate'];
    expect(checkLokiConfig(broken).map((problem) => problem.rule)).toEqual(['loki-line-size-rejects']);
  });

  it('catches retention without a delete request store', () => {
    const broken = copyOf(loki);
    delete at(broken, 'compactor')['delete_request_store'];
    expect(checkLokiConfig(broken).map((problem) => problem.rule)).toEqual(['loki-retention-without-store']);
  });
});
