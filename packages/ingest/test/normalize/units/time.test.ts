import { describe, expect, it } from 'vitest';
import { hourOf, microsToMillisText, microsToTimestamp } from '../../../src/normalize/units/time.js';

describe('time', () => {
  it('writes microsecond timestamps and hours in UTC', () => {
    expect(microsToTimestamp(1_772_359_200_123_456n)).toBe('2026-03-01T10:00:00.123456Z');
    expect(hourOf(1_772_362_799_999_999n)).toBe(1_772_359_200_000_000n);
    expect(microsToMillisText(1_234_567n)).toBe('1234.567');
  });
});
