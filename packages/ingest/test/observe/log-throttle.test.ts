// The throttle on a hand-stepped clock: what is written, what is counted, per key.
import { describe, expect, it } from 'vitest';
import type { IngestLogger } from '../../src/http/logger.js';
import { createThrottledLog } from '../../src/observe/log-throttle.js';

function recorder(): { logger: IngestLogger; lines: { level: string; message: string; details: unknown }[] } {
  const lines: { level: string; message: string; details: unknown }[] = [];
  const push = (level: string) => (message: string, details?: unknown) => lines.push({ level, message, details });
  return { lines, logger: { info: push('info'), warn: push('warn'), error: push('error') } };
}

describe('createThrottledLog', () => {
  it('writes the first line of a key per interval and counts the others into the next line written', () => {
    const { logger, lines } = recorder();
    let now = 1_000_000;
    const log = createThrottledLog(logger, { intervalMillis: 5000, now: () => now });
    for (let i = 0; i < 4; i += 1) {
      log('warn', 'queue_full', 'answered 503', { reason: 'queue_full' });
      now += 1000;
    }
    expect(lines).toHaveLength(1);
    now += 1000; // 5 s after the first line
    log('warn', 'queue_full', 'answered 503', { reason: 'queue_full' });
    expect(lines).toEqual([
      { level: 'warn', message: 'answered 503', details: { reason: 'queue_full' } },
      { level: 'warn', message: 'answered 503 (3 more suppressed since the last such line)', details: { reason: 'queue_full', suppressed: 3 } },
    ]);
  });

  it('throttles each key on its own', () => {
    const { logger, lines } = recorder();
    const log = createThrottledLog(logger, { now: () => 0 });
    log('warn', 'queue_full', 'full', {});
    log('warn', 'queue_full', 'full', {});
    log('error', 'unexpected', 'bug', {});
    log('warn', 'store_unavailable', 'down', {});
    expect(lines.map((line) => `${line.level} ${line.message}`)).toEqual(['warn full', 'error bug', 'warn down']);
  });
});
