import { describe, expect, it } from 'vitest';
import { PendingAttributes, toAttributeMap } from '../../src/otlp/attribute-shapes.js';
import type { AttributeValue } from '../../src/otlp/types.js';

function mapOf(pairs: readonly (readonly [string, AttributeValue])[], pending = new PendingAttributes()): Record<string, AttributeValue> {
  for (const [key, value] of pairs) pending.add(key, value);
  return toAttributeMap(pending);
}

/** What plain property stores give, for comparison (`__proto__` as an own key). */
function plainMapOf(pairs: readonly (readonly [string, AttributeValue])[]): Record<string, AttributeValue> {
  const map: Record<string, AttributeValue> = {};
  for (const [key, value] of pairs) Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  return map;
}

const KEYS = Array.from({ length: 20 }, (_, i) => `app.attribute.${i}`);

function pairsWith(values: (i: number) => AttributeValue, keys: readonly string[] = KEYS): [string, AttributeValue][] {
  return keys.map((key, i) => [key, values(i)]);
}

describe('attribute maps from shapes', () => {
  it('gives each map of a repeated key list its own values, in wire order', () => {
    const pending = new PendingAttributes();
    const first = mapOf(pairsWith((i) => `first-${i}`), pending);
    const second = mapOf(pairsWith((i) => (i % 2 === 0 ? i : { nested: [i] })), pending);
    const third = mapOf(pairsWith(() => null), pending);
    expect(first).toEqual(plainMapOf(pairsWith((i) => `first-${i}`)));
    expect(Object.keys(second)).toEqual(KEYS);
    expect(second).toEqual(plainMapOf(pairsWith((i) => (i % 2 === 0 ? i : { nested: [i] }))));
    expect(third).toEqual(plainMapOf(pairsWith(() => null)));
    // Maps never share storage.
    second['app.attribute.0'] = 'changed';
    expect(first['app.attribute.0']).toBe('first-0');
  });

  it('tells apart key lists that agree in length, first and last key', () => {
    const other = KEYS.map((key, i) => (i === 10 ? 'app.attribute.other' : key));
    mapOf(pairsWith((i) => i));
    const map = mapOf(pairsWith((i) => i, other));
    expect(Object.keys(map)).toEqual(other);
    expect(map['app.attribute.other']).toBe(10);
    expect('app.attribute.10' in map).toBe(false);
  });

  it('keeps the last value of a repeated key, and its first position', () => {
    const keys = [...KEYS, 'app.attribute.3'];
    for (let round = 0; round < 2; round += 1) {
      const map = mapOf(pairsWith((i) => `v${round}-${i}`, keys));
      expect(Object.keys(map)).toEqual(KEYS);
      expect(map['app.attribute.3']).toBe(`v${round}-20`);
    }
  });

  it('stores a `__proto__` key as an own attribute, never as the prototype', () => {
    const keys = [...KEYS, '__proto__'];
    for (let round = 0; round < 2; round += 1) {
      const map = mapOf(pairsWith((i) => (i === 20 ? { polluted: true } : i), keys));
      expect(Object.getPrototypeOf(map)).toBe(Object.prototype);
      expect(Object.keys(map)).toContain('__proto__');
      expect((map as { polluted?: unknown }).polluted).toBeUndefined();
    }
  });

  it('builds short and very long maps too, and empties the collector after each map', () => {
    const pending = new PendingAttributes();
    expect(mapOf([['a', 1]], pending)).toEqual({ a: 1 });
    expect(pending.count).toBe(0);
    const long = Array.from({ length: 200 }, (_, i): [string, AttributeValue] => [`k${i}`, i]);
    expect(mapOf(long, pending)).toEqual(plainMapOf(long));
    expect(mapOf([], pending)).toEqual({});
  });

  it('answers right once more key lists were seen than it keeps templates for', () => {
    const lists = Array.from({ length: 80 }, (_, n) => KEYS.map((key) => `${key}.list${n}`));
    for (let round = 0; round < 2; round += 1) {
      for (const [n, keys] of lists.entries()) {
        const map = mapOf(pairsWith((i) => n * 100 + i, keys));
        expect(Object.keys(map)).toEqual(keys);
        expect(map[keys[7] as string]).toBe(n * 100 + 7);
      }
    }
  });
});
