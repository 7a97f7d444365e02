import { describe, expect, it } from 'vitest';
import { decimalToPicos, picosToDecimal, usdToPicos } from '../../../src/normalize/units/money.js';

describe('money', () => {
  it('keeps money exact in picodollars', () => {
    expect(usdToPicos(0.0000375)).toBe(37_500_000n);
    expect(picosToDecimal(-1_500_000_000_001n)).toBe('-1.500000000001');
    expect(decimalToPicos('12.5')).toBe(12_500_000_000_000n);
    expect(decimalToPicos(picosToDecimal(123_456_789n))).toBe(123_456_789n);
  });
});
