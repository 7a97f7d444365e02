// Tests src/config.ts (kept under test/http/ for now: the ingest's config is its HTTP server's).
import { describe, expect, it } from 'vitest';
import { DEFAULT_INGEST_CONFIG, parseIngestConfig } from '../src/config.js';

describe('parseIngestConfig', () => {
  it('uses the OTLP defaults when nothing is set', () => {
    const config = parseIngestConfig({});
    expect(config).toEqual({
      port: 4318,
      host: '0.0.0.0',
      maxBodyBytes: 16 * 1024 * 1024,
      maxInflatedBytes: 64 * 1024 * 1024,
      maxInflightBytes: 128 * 1024 * 1024,
      maxConnections: DEFAULT_INGEST_CONFIG.maxConnections,
      requestTimeoutMillis: 60_000,
      dbTimeoutMillis: 10_000,
      ingestToken: undefined,
      retentionDays: undefined,
      maxContentLength: 16384,
      isLiveEnabled: true,
      logLevel: 'info',
    });
    expect(config).toEqual(DEFAULT_INGEST_CONFIG);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads every variable', () => {
    expect(
      parseIngestConfig({
        CONVOTEL_OTLP_PORT: '0',
        CONVOTEL_OTLP_HOST: '127.0.0.1',
        CONVOTEL_MAX_BODY_BYTES: '1048576',
        CONVOTEL_MAX_INFLATED_BYTES: '8388608',
        CONVOTEL_MAX_INFLIGHT_BYTES: '16777216',
        CONVOTEL_MAX_CONNECTIONS: '100',
        CONVOTEL_REQUEST_TIMEOUT_MS: '30000',
        CONVOTEL_DB_TIMEOUT_MS: '4000',
        CONVOTEL_INGEST_TOKEN: 'secret-token',
        CONVOTEL_MAX_CONTENT_LENGTH: '4096',
        CONVOTEL_LIVE: 'off',
        CONVOTEL_LOG_LEVEL: 'WARN',
        UNRELATED: 'ignored',
      }),
    ).toEqual({
      port: 0,
      host: '127.0.0.1',
      maxBodyBytes: 1048576,
      maxInflatedBytes: 8388608,
      maxInflightBytes: 16777216,
      maxConnections: 100,
      requestTimeoutMillis: 30000,
      dbTimeoutMillis: 4000,
      ingestToken: 'secret-token',
      retentionDays: undefined,
      maxContentLength: 4096,
      isLiveEnabled: false,
      logLevel: 'warn',
    });
  });

  it('treats empty variables as unset', () => {
    expect(parseIngestConfig({ CONVOTEL_INGEST_TOKEN: '', CONVOTEL_OTLP_PORT: '' })).toEqual(DEFAULT_INGEST_CONFIG);
  });

  it('refuses invalid values with a message naming each variable', () => {
    expect(() => parseIngestConfig({ CONVOTEL_OTLP_PORT: 'http', CONVOTEL_MAX_BODY_BYTES: '-1' })).toThrow(
      /^Invalid ingest configuration:\n {2}CONVOTEL_OTLP_PORT: .+\n {2}CONVOTEL_MAX_BODY_BYTES: .+$/,
    );
    expect(() => parseIngestConfig({ CONVOTEL_OTLP_PORT: '70000' })).toThrow(/CONVOTEL_OTLP_PORT/);
  });

  it('refuses an inflated-size cap below the body cap', () => {
    expect(() => parseIngestConfig({ CONVOTEL_MAX_BODY_BYTES: '2097152', CONVOTEL_MAX_INFLATED_BYTES: '1048576' })).toThrow(
      'CONVOTEL_MAX_INFLATED_BYTES: must be at least CONVOTEL_MAX_BODY_BYTES',
    );
  });

  it('refuses a budget of bodies in flight below one inflated body', () => {
    expect(() => parseIngestConfig({ CONVOTEL_MAX_INFLATED_BYTES: '67108864', CONVOTEL_MAX_INFLIGHT_BYTES: '33554432' })).toThrow(
      'CONVOTEL_MAX_INFLIGHT_BYTES: must be at least CONVOTEL_MAX_INFLATED_BYTES',
    );
  });
});

describe('retention setting', () => {
  it('reads CONVOTEL_RETENTION_DAYS and leaves retention off without it', () => {
    expect(parseIngestConfig({ CONVOTEL_RETENTION_DAYS: '30' }).retentionDays).toBe(30);
    expect(parseIngestConfig({}).retentionDays).toBeUndefined();
    expect(() => parseIngestConfig({ CONVOTEL_RETENTION_DAYS: '-1' })).toThrow(/CONVOTEL_RETENTION_DAYS/);
  });
});

describe('content length setting', () => {
  it('reads CONVOTEL_MAX_CONTENT_LENGTH and refuses a length that is not a positive integer', () => {
    expect(parseIngestConfig({ CONVOTEL_MAX_CONTENT_LENGTH: '100' }).maxContentLength).toBe(100);
    expect(parseIngestConfig({}).maxContentLength).toBe(16384);
    expect(() => parseIngestConfig({ CONVOTEL_MAX_CONTENT_LENGTH: '0' })).toThrow(/CONVOTEL_MAX_CONTENT_LENGTH/);
    expect(() => parseIngestConfig({ CONVOTEL_MAX_CONTENT_LENGTH: '1.5' })).toThrow(/CONVOTEL_MAX_CONTENT_LENGTH/);
  });
});

describe('live feed setting', () => {
  it('reads CONVOTEL_LIVE as on or off in any case, on when unset or empty, and refuses anything else', () => {
    expect(parseIngestConfig({ CONVOTEL_LIVE: 'off' }).isLiveEnabled).toBe(false);
    expect(parseIngestConfig({ CONVOTEL_LIVE: 'OFF' }).isLiveEnabled).toBe(false);
    expect(parseIngestConfig({ CONVOTEL_LIVE: 'on' }).isLiveEnabled).toBe(true);
    expect(parseIngestConfig({ CONVOTEL_LIVE: '' }).isLiveEnabled).toBe(true);
    expect(parseIngestConfig({}).isLiveEnabled).toBe(true);
    expect(() => parseIngestConfig({ CONVOTEL_LIVE: 'false' })).toThrow(/CONVOTEL_LIVE/);
  });
});

describe('log level setting', () => {
  it('refuses a CONVOTEL_LOG_LEVEL that is not a level, naming the variable', () => {
    expect(() => parseIngestConfig({ CONVOTEL_LOG_LEVEL: 'verbose' })).toThrow(/CONVOTEL_LOG_LEVEL/);
  });
});
