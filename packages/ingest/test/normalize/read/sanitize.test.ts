import { describe, expect, it } from 'vitest';
import { toIdentifier, toStorableText, toStorableValue } from '../../../src/normalize/read/sanitize.js';

describe('storable strings', () => {
  it('strips NUL and replaces unpaired surrogates, leaving everything else alone', () => {
    expect(toStorableText("a\u0000b'; DROP TABLE x; --\\")).toBe("ab'; DROP TABLE x; --\\");
    expect(toStorableText('\uD83D\uDE00 ok \uD800 \uDC00')).toBe('\uD83D\uDE00 ok \uFFFD \uFFFD');
    expect(toStorableValue({ 'k\u0000': ['v\u0000', Number.NaN, { x: '\uDBFF' }] })).toEqual({ k: ['v', null, { x: '\uFFFD' }] });
  });

  it('keeps short identifiers and hashes long ones', () => {
    expect(toIdentifier('gpt-4o')).toBe('gpt-4o');
    const long = toIdentifier('m'.repeat(1000));
    expect(long).toHaveLength(256);
    expect(long).toMatch(/#[0-9a-f]{16}$/);
  });
});
