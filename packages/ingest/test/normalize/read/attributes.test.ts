import { describe, expect, it } from 'vitest';
import type { AttributeMap } from '../../../src/otlp/types.js';
import {
  attributeKeys,
  attributeValues,
  getValue,
  hasKeyWithPrefix,
  parseJson,
  readNumber,
  readString,
  readStringArray,
} from '../../../src/normalize/read/attributes.js';

describe('attribute reads', () => {
  it('finds dotted keys inside kvlists and JSON-object strings', () => {
    expect(getValue({ 'gen_ai.usage': { input_tokens: 5 } }, 'gen_ai.usage.input_tokens')).toBe(5);
    expect(getValue({ 'gen_ai.usage': '{"input_tokens":6}' }, 'gen_ai.usage.input_tokens')).toBe(6);
    expect(getValue({ gen_ai: { usage: { input_tokens: 7 } } }, 'gen_ai.usage.input_tokens')).toBe(7);
    expect(getValue({ 'gen_ai.usage': 'not json' }, 'gen_ai.usage.input_tokens')).toBeUndefined();
  });

  it('answers each map from its own keys, however reads of several maps interleave', () => {
    // Same keys, different values: a per-map index must never answer for another map.
    const maps: AttributeMap[] = [
      { a: 1, 'x.y': 'direct' },
      { a: 2, x: { y: 'kvlist' } },
      { a: 3, x: '{"y":"json"}' },
      { a: 4 },
      { b: 5, x: { z: 'other' } },
    ];
    const expected = [
      { keys: ['a', 'x.y'], values: [1, 'direct'], y: 'direct', z: undefined, prefixX: true },
      { keys: ['a', 'x'], values: [2, { y: 'kvlist' }], y: 'kvlist', z: undefined, prefixX: true },
      { keys: ['a', 'x'], values: [3, '{"y":"json"}'], y: 'json', z: undefined, prefixX: true },
      { keys: ['a'], values: [4], y: undefined, z: undefined, prefixX: false },
      { keys: ['b', 'x'], values: [5, { z: 'other' }], y: undefined, z: 'other', prefixX: true },
    ];
    const orders = [
      [0, 1, 2, 3, 4],
      [4, 3, 2, 1, 0],
      [0, 2, 0, 1, 0, 3, 1, 4, 2, 4],
      [1, 1, 3, 3, 1, 0, 2, 2, 0],
    ];
    for (const order of orders) {
      for (const i of order) {
        const map = maps[i] as AttributeMap;
        const want = expected[i];
        expect(getValue(map, 'x.y')).toEqual(want?.y);
        expect(getValue(map, 'x.z')).toEqual(want?.z);
        expect(attributeKeys(map)).toEqual(want?.keys);
        expect(attributeValues(map)).toEqual(want?.values);
        expect(hasKeyWithPrefix(map, 'x')).toBe(want?.prefixX);
        expect(readNumber(map, 'a') ?? readNumber(map, 'b')).toBe(i + 1);
      }
    }
  });

  it('tells which key prefixes a map has', () => {
    const map = { 'gen_ai.prompt.0.role': 'user', 'llm.model_name': 'm' };
    expect(hasKeyWithPrefix(map, 'gen_ai.prompt.')).toBe(true);
    expect(hasKeyWithPrefix(map, 'gen_ai.completion.')).toBe(false);
    expect(hasKeyWithPrefix(map, 'llm.')).toBe(true);
    expect(hasKeyWithPrefix(map, '')).toBe(true);
    expect(hasKeyWithPrefix({}, '')).toBe(false);
  });

  it('treats empty and whitespace-only strings as absent, and keeps any other text as it is', () => {
    for (const blank of ['', ' ', '\t\n', '\u00a0', '\u2028', '\ufeff', '\u3000 ']) {
      expect(readString({ k: blank }, 'k')).toBeUndefined();
      expect(readStringArray({ k: blank }, 'k')).toBeUndefined();
    }
    for (const text of ['a', ' a', '\u00a0a', '\u00e9', '~', '!']) {
      expect(readString({ k: text }, 'k')).toBe(text);
      expect(readStringArray({ k: text }, 'k')).toEqual([text]);
    }
    expect(readString({ k: 12 }, 'k')).toBe('12');
    expect(readString({ k: false }, 'k')).toBe('false');
  });

  it('parses JSON documents after leading whitespace only', () => {
    expect(parseJson('{"a":1}')).toEqual({ a: 1 });
    expect(parseJson(' \n[1]')).toEqual([1]);
    expect(parseJson('\t{"a":2}')).toEqual({ a: 2 });
    expect(parseJson('x{"a":1}')).toBeUndefined();
    expect(parseJson('{broken')).toBeUndefined();
    expect(parseJson('')).toBeUndefined();
    expect(parseJson('   ')).toBeUndefined();
  });
});
