import { describe, expect, it } from 'vitest';
import { formatDuration, formatRate, formatSecondsAndMs, formatShare, formatUsd, NONE } from '../../src/format/units.js';

describe('units', () => {
  it('shows durations as the seed session does, and for people', () => {
    expect(formatSecondsAndMs(3567)).toBe('3.567s (3567.0ms)');
    expect(formatSecondsAndMs(null)).toBe(NONE);
    expect([850, 6864, 123_456, 3_725_000].map(formatDuration)).toEqual(['850ms', '6.86s', '2m 03s', '1h 02m']);
  });

  it('shows money with the precision its size needs', () => {
    expect([0, 12.345, 0.025582, 0.00814, 0.0000123, -0.5].map(formatUsd)).toEqual(['$0', '$12.35', '$0.0256', '$0.0081', '$0.000012', '-$0.5000']);
  });

  it('shows rates and shares as percents', () => {
    expect(formatRate(0.25)).toBe('25.00%');
    expect(formatShare(3567 / 6864)).toBe('52%');
  });
});
