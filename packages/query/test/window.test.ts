import { describe, expect, it } from 'vitest';
import { QueryParameterError } from '../src/errors.js';
import { resolveWindow } from '../src/window.js';

const now = new Date('2026-03-10T12:00:00.000Z');
const HOUR = 3_600_000;

function parameterOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof QueryParameterError) return error.parameter;
    throw error;
  }
  return undefined;
}

describe('resolveWindow', () => {
  it('defaults to the 24 hours before now', () => {
    expect(resolveWindow({}, now)).toEqual({ from: new Date(now.getTime() - 24 * HOUR), to: now });
  });

  it('takes hours from 1 to 2160', () => {
    expect(resolveWindow({ hours: 1 }, now).from).toEqual(new Date(now.getTime() - HOUR));
    expect(resolveWindow({ hours: 2160 }, now).from).toEqual(new Date(now.getTime() - 2160 * HOUR));
    expect(parameterOf(() => resolveWindow({ hours: 0 }, now))).toBe('hours');
    expect(parameterOf(() => resolveWindow({ hours: 2161 }, now))).toBe('hours');
    expect(parameterOf(() => resolveWindow({ hours: 1.5 }, now))).toBe('hours');
  });

  it('takes from/to up to 90 days apart, from before to', () => {
    expect(resolveWindow({ from: '2026-01-01', to: '2026-04-01' }, now)).toEqual({ from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-04-01T00:00:00Z') });
    expect(parameterOf(() => resolveWindow({ from: '2026-01-01', to: '2026-04-01T00:00:00.001Z' }, now))).toBe('from');
    expect(parameterOf(() => resolveWindow({ from: '2026-01-02', to: '2026-01-01' }, now))).toBe('from');
    expect(parameterOf(() => resolveWindow({ from: '2026-01-02', to: '2026-01-02' }, now))).toBe('from');
  });

  it('ends a from-only window now and starts a to-only window hours before to', () => {
    expect(resolveWindow({ from: '2026-03-10T00:00:00Z' }, now)).toEqual({ from: new Date('2026-03-10T00:00:00Z'), to: now });
    expect(resolveWindow({ to: '2026-03-01T00:00:00Z', hours: 2 }, now)).toEqual({ from: new Date('2026-02-28T22:00:00Z'), to: new Date('2026-03-01T00:00:00Z') });
    expect(resolveWindow({ from: '2026-03-01T00:00:00Z', hours: 2 }, now)).toEqual({ from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-01T02:00:00Z') });
  });

  it('refuses times without a zone and text that is no time', () => {
    for (const text of ['2026-03-01T00:00:00', 'yesterday', '1700000000', '2026-03-01 00:00:00Z', '']) {
      expect(parameterOf(() => resolveWindow({ from: text }, now))).toBe('from');
    }
    expect(parameterOf(() => resolveWindow({ hours: 3, from: '2026-03-01', to: '2026-03-02' }, now))).toBe('hours');
  });
});
