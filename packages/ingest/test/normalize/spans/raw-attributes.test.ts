import { describe, expect, it } from 'vitest';
import { toRawAttributes } from '../../../src/normalize/spans/raw-attributes.js';

describe('toRawAttributes', () => {
  it('stores a storable map without content keys as it is', () => {
    const attributes = { 'app.region': 'eu-west-1', 'gen_ai.request.model': 'gpt-4o', count: 3, tags: ['a'], nested: { k: 'v' } };
    expect(toRawAttributes(attributes)).toBe(attributes);
  });

  it('leaves out content keys, keeping the other keys in order', () => {
    const attributes = { a: 1, 'gen_ai.prompt.0.content': 'secret', 'input.value': '{}', b: 'x', 'llm.output_messages.0.message.content': 'y' };
    const raw = toRawAttributes(attributes);
    expect(raw).not.toBe(attributes);
    expect(Object.keys(raw as object)).toEqual(['a', 'b']);
    expect(raw).toEqual({ a: 1, b: 'x' });
    expect(attributes).toHaveProperty('input.value');
  });

  it('sanitizes unstorable keys and values, whatever the same keys held before', () => {
    // The same keys arrive clean first and last: what is remembered of a key must not cover its values.
    const clean = { a: 'fine', b: 2 };
    expect(toRawAttributes(clean)).toBe(clean);
    expect(toRawAttributes({ a: 'bad\u0000', b: Number.NaN })).toEqual({ a: 'bad', b: null });
    expect(toRawAttributes({ a: '\uD800', 'gen_ai.prompt': 'p' })).toEqual({ a: '\uFFFD' });
    expect(toRawAttributes({ a: 'fine', 'k\u0000': 1 })).toEqual({ a: 'fine', k: 1 });
    expect(toRawAttributes(clean)).toBe(clean);
  });
});
