import { describe, expect, it } from 'vitest';
import { afterCursorCondition, decodeCursor, encodeCursor, resolveLimit, type KeysetOrder } from '../src/cursor.js';
import { QueryParameterError } from '../src/errors.js';
import { SqlParams } from '../src/sql.js';

const order: KeysetOrder = { name: 'recent', key: 'c.started_at', type: 'timestamptz', id: 'c.conversation_id' };

describe('cursors', () => {
  it('round-trips a position and turns it into a bound condition', () => {
    const cursor = encodeCursor({ sort: 'recent', key: '2026-01-01 00:00:00.123456+00', id: "conv-'1" });
    expect(decodeCursor(cursor, 'recent')).toEqual({ sort: 'recent', key: '2026-01-01 00:00:00.123456+00', id: "conv-'1" });
    const params = new SqlParams();
    expect(afterCursorCondition(order, cursor, params)).toEqual(['(c.started_at, c.conversation_id) < ($1::timestamptz, $2::text)']);
    expect(params.values).toEqual(['2026-01-01 00:00:00.123456+00', "conv-'1"]);
  });

  it('refuses a cursor of another ordering and anything that is no cursor', () => {
    const slowest = encodeCursor({ sort: 'slowest', key: '1', id: 'a' });
    for (const cursor of [slowest, 'x', '', Buffer.from('[1,2,3]').toString('base64url'), Buffer.from('{"a":1}').toString('base64url')]) {
      expect(() => decodeCursor(cursor, 'recent')).toThrow(QueryParameterError);
    }
  });

  it('takes limits from 1 to 1000, 50 by default', () => {
    expect(resolveLimit(undefined)).toBe(50);
    expect(resolveLimit(1000)).toBe(1000);
    for (const limit of [0, 1001, 2.5, Number.NaN]) expect(() => resolveLimit(limit)).toThrow(QueryParameterError);
  });
});
