// Timestamp text of the write path, checked by decoding it back.
import { describe, expect, it } from 'vitest';
import { microsToTimestamp } from '../../../src/normalize/units/time.js';
import { timestamp } from '../../../src/store/columns/to-sql.js';

/** `2026-03-01 10:00:00.000001+00` → µs since the epoch. */
function parseTimestamp(text: string): bigint {
  const match = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{6})\+00$/.exec(text);
  if (match === null) throw new Error(`not a timestamp: ${text}`);
  const [, y, mo, d, h, mi, s, us] = match.map(Number) as number[];
  return BigInt(Date.UTC(y as number, (mo as number) - 1, d, h, mi, s)) * 1000n + BigInt(us as number);
}

describe('timestamp', () => {
  it('writes the exact microsecond, in UTC', () => {
    const values = [0n, 1n, -1n, 999_999n, 1_772_359_200_000_000n, 1_772_359_200_123_456n, 1_772_445_599_999_999n, 946_684_800_000_000n, 7_258_118_399_999_999n];
    for (const micros of values) {
      const text = timestamp(micros) as string;
      expect(parseTimestamp(text), text).toBe(micros);
      expect(new Date(text.replace(' ', 'T').replace('+00', 'Z')).getTime()).toBe(new Date(microsToTimestamp(micros)).getTime());
    }
    expect(timestamp(undefined)).toBeNull();
  });

  it('matches the general formatter on random times, whatever the order of days and minutes', () => {
    // A seeded walk: runs within one minute, jumps across minutes, hours, days and back.
    let seed = 12345;
    const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
    let micros = 1_772_359_200_000_000n;
    for (let i = 0; i < 5000; i += 1) {
      const jump = next();
      const step = jump < 0.7 ? BigInt(Math.floor(next() * 2_000_000)) : jump < 0.9 ? BigInt(Math.floor(next() * 7_200_000_000)) : -BigInt(Math.floor(next() * 172_800_000_000));
      micros += step;
      const text = timestamp(micros) as string;
      expect(text.replace(' ', 'T').replace('+00', 'Z'), String(micros)).toBe(microsToTimestamp(micros));
    }
  });

  it('falls back to ISO text beyond the exact range of a double', () => {
    expect(timestamp(2n ** 60n)).toBe(microsToTimestamp(2n ** 60n));
  });
});
