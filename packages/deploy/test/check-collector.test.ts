import { describe, expect, it } from 'vitest';
import { COLLECTOR_CONTRIB_0_162_0, checkCollectorConfig, componentType, exporterEndpoints } from '../src/index.js';
import { at, copyOf, readRepoYaml } from './helpers/repo-files.js';

const main = readRepoYaml('otel-collector.yaml');
const loadBalancing = readRepoYaml('otel-collector.load-balancing.yaml');
const check = (config: unknown) => checkCollectorConfig(config, COLLECTOR_CONTRIB_0_162_0);
const rules = (config: unknown) => check(config).map((problem) => problem.rule);

describe('otel-collector.yaml', () => {
  it('has no problems', () => {
    expect(check(main)).toEqual([]);
  });

  it('sends every trace and log to the convotel ingest, and samples only on the Tempo branch', () => {
    const pipelines = at(main, 'service', 'pipelines');
    const intoIngest = Object.entries(pipelines).filter(([, pipeline]) => (pipeline as { exporters: string[] }).exporters.includes('otlp_http/convotel'));
    expect(intoIngest.map(([id]) => id).sort()).toEqual(['logs/in', 'traces/in']);
    for (const [, pipeline] of intoIngest) {
      expect((pipeline as { receivers: string[] }).receivers).toEqual(['otlp']);
      expect((pipeline as { processors: string[] }).processors).not.toContain('tail_sampling');
    }
    expect(at(pipelines, 'traces/tempo')['processors']).toContain('tail_sampling');
  });

  it('queues the ingest exporter on disk and retries', () => {
    const exporter = at(main, 'exporters', 'otlp_http/convotel');
    expect(at(exporter, 'sending_queue')['storage']).toBe('file_storage/queue');
    expect(at(exporter, 'retry_on_failure')['enabled']).toBe(true);
  });

  it('drops every content attribute @convotel/semconv marks as content', async () => {
    const semconv = await import('@convotel/semconv');
    const text = JSON.stringify(at(main, 'processors', 'transform/content'));
    for (const key of [
      semconv.ATTR_GEN_AI_INPUT_MESSAGES,
      semconv.ATTR_GEN_AI_OUTPUT_MESSAGES,
      semconv.ATTR_GEN_AI_SYSTEM_INSTRUCTIONS,
      semconv.ATTR_CONVOTEL_TURN_USER_INPUT,
      semconv.ATTR_CONVOTEL_TURN_AGENT_OUTPUT,
      semconv.ATTR_CONVOTEL_STT_TRANSCRIPT,
    ]) {
      expect(text).toContain(`delete_key(span.attributes, \\"${key}\\")`);
      expect(text).toContain(`delete_key(log.attributes, \\"${key}\\")`);
    }
  });

  it('masks secrets without masking token counts', () => {
    const patterns = at(main, 'processors', 'redaction/secrets')['blocked_key_patterns'] as string[];
    const masks = (key: string) => patterns.some((pattern) => new RegExp(pattern.replace('(?i)', ''), 'i').test(key));
    expect(masks('openai.api_key')).toBe(true);
    expect(masks('http.request.header.authorization')).toBe(true);
    expect(masks('gen_ai.usage.input_tokens')).toBe(false);
    expect(masks('gen_ai.usage.output_tokens')).toBe(false);
  });

  it('names where each exporter sends', () => {
    expect(exporterEndpoints(main)).toEqual([
      { exporter: 'otlp_http/convotel', host: 'convotel', port: 4318 },
      { exporter: 'otlp_grpc/tempo', host: 'tempo', port: 4317 },
      { exporter: 'otlp_http/loki', host: 'loki', port: 3100 },
    ]);
  });
});

describe('otel-collector.load-balancing.yaml', () => {
  it('has no problems', () => {
    expect(check(loadBalancing)).toEqual([]);
  });

  it('routes by trace id to second-layer collectors on OTLP/gRPC', () => {
    const exporter = at(loadBalancing, 'exporters', 'load_balancing');
    expect(exporter['routing_key']).toBe('traceID');
    expect(exporterEndpoints(loadBalancing)).toEqual([{ exporter: 'load_balancing', host: 'otel-collector', port: 4317 }]);
  });
});

describe('checkCollectorConfig', () => {
  it('reads the component type before the slash', () => {
    expect(componentType('otlp_http/convotel')).toBe('otlp_http');
    expect(componentType('memory_limiter')).toBe('memory_limiter');
  });

  it('catches a pipeline naming an undefined component', () => {
    const broken = copyOf(main);
    (at(broken, 'service', 'pipelines', 'traces/in')['processors'] as string[]).push('batch');
    expect(check(broken)).toContainEqual({ rule: 'undefined-component', message: 'pipeline traces/in names processor "batch", which is not defined' });
  });

  it('catches a defined component no pipeline uses', () => {
    const broken = copyOf(main);
    at(broken, 'exporters')['debug'] = { verbosity: 'basic' };
    expect(check(broken)).toContainEqual({ rule: 'unused-component', message: 'exporter "debug" is defined but no pipeline uses it' });
  });

  it('catches an extension defined but not enabled', () => {
    const broken = copyOf(main);
    at(broken, 'extensions')['pprof'] = { endpoint: '0.0.0.0:1777' };
    expect(rules(broken)).toEqual(['unused-component']);
  });

  it('catches a connector used on one side only', () => {
    const broken = copyOf(main);
    const pipelines = at(broken, 'service', 'pipelines');
    delete pipelines['traces/tempo'];
    expect(rules(broken)).toContain('connector-one-sided');
  });

  it('catches memory_limiter not first', () => {
    const broken = copyOf(main);
    const pipeline = at(broken, 'service', 'pipelines', 'logs/loki');
    pipeline['processors'] = ['transform/loki_limits', 'memory_limiter'];
    expect(check(broken)).toContainEqual({ rule: 'memory-limiter-not-first', message: 'pipeline logs/loki starts with transform/loki_limits, not memory_limiter' });
  });

  it('catches a queue whose storage extension is not enabled', () => {
    const broken = copyOf(main);
    at(broken, 'service')['extensions'] = ['health_check'];
    const found = rules(broken);
    expect(found).toContain('queue-storage-not-enabled');
    expect(found).toContain('unused-component');
  });

  it('catches a deprecated alias and a component the distribution does not ship', () => {
    const broken = copyOf(loadBalancing);
    const exporters = at(broken, 'exporters');
    exporters['loadbalancing'] = exporters['load_balancing'];
    delete exporters['load_balancing'];
    exporters['loki'] = { endpoint: 'http://loki:3100/loki/api/v1/push' };
    const pipelines = at(broken, 'service', 'pipelines');
    at(pipelines, 'traces')['exporters'] = ['loadbalancing'];
    at(pipelines, 'logs')['exporters'] = ['loki'];
    expect(check(broken)).toEqual([
      { rule: 'deprecated-component-type', message: 'exporter "loadbalancing": "loadbalancing" is a deprecated alias of "load_balancing" in contrib 0.162.0' },
      { rule: 'unknown-component-type', message: `exporter "loki": "loki" was removed from the distribution in v0.131.0: use otlp_http to Loki's /otlp endpoint` },
    ]);
  });

  it('catches a component type not in the list', () => {
    const broken = copyOf(main);
    const processors = at(broken, 'processors');
    processors['queuebatch'] = {};
    (at(broken, 'service', 'pipelines', 'traces/in')['processors'] as string[]).push('queuebatch');
    expect(check(broken)).toEqual([
      { rule: 'unknown-component-type', message: 'processor "queuebatch": contrib 0.162.0 ships no "queuebatch"' },
    ]);
  });

  it('catches a receiver or health check left on its localhost default', () => {
    const broken = copyOf(main);
    at(broken, 'receivers', 'otlp', 'protocols', 'http')['endpoint'] = 'localhost:4318';
    delete at(broken, 'extensions', 'health_check')['endpoint'];
    expect(check(broken)).toEqual([
      { rule: 'bound-to-localhost', message: 'receiver otlp (http) listens on localhost:4318: other containers cannot reach it; bind 0.0.0.0' },
      { rule: 'bound-to-localhost', message: 'extension health_check listens on its default (localhost): other containers cannot reach it; bind 0.0.0.0' },
    ]);
  });

  it('catches an empty config', () => {
    expect(rules({})).toEqual(['no-pipelines']);
  });
});
