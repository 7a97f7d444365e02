import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config.js';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

describe('resolveConfig', () => {
  it('applies code over environment over defaults', () => {
    process.env.OTEL_BSP_MAX_QUEUE_SIZE = '5000';
    process.env.OTEL_SERVICE_NAME = 'from-env';
    const config = resolveConfig({ serviceName: 'from-code' });
    expect(config.serviceName).toBe('from-code');
    expect(config.maxQueueSize).toBe(5000);
    expect(config.scheduledDelayMillis).toBe(1000);
    expect(config.captureContent).toBe(false);
  });

  it('ignores bad values with a default instead of throwing', () => {
    process.env.OTEL_BSP_MAX_QUEUE_SIZE = 'lots';
    process.env.CONVOTEL_CAPTURE_CONTENT = 'maybe';
    const config = resolveConfig({ maxContentLength: -3 });
    expect(config.maxQueueSize).toBe(65_536);
    expect(config.captureContent).toBe(false);
    expect(config.maxContentLength).toBe(16_384);
  });

  it('reads CONVOTEL_CAPTURE_CONTENT when the OTel variable is unset', () => {
    process.env.CONVOTEL_CAPTURE_CONTENT = 'true';
    expect(resolveConfig().captureContent).toBe(true);
  });

  it('returns a frozen object', () => {
    expect(Object.isFrozen(resolveConfig())).toBe(true);
  });
});
