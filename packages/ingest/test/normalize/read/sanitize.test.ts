import { describe, expect, it } from 'vitest';
import { toIdentifier, toStorableContent, toStorableText, toStorableValue } from '../../../src/normalize/read/sanitize.js';

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

describe('storable content', () => {
  const MARK = '…[truncated]';

  it('cuts content longer than the cap and marks it as the SDK does', () => {
    expect(toStorableContent('abcdef', 6)).toBe('abcdef');
    expect(toStorableContent('abcdefg', 6)).toBe(`abcdef${MARK}`);
    expect(toStorableContent('a\u0000bcdefg', 6)).toBe(`abcde${MARK}`);
  });

  it('never cuts inside a surrogate pair', () => {
    expect(toStorableContent('abcde\uD83D\uDE00xyz', 6)).toBe(`abcde${MARK}`);
  });

  it('leaves content cut already (by the SDK) with its one marker', () => {
    const cut = toStorableContent('x'.repeat(100), 10);
    expect(toStorableContent(cut, 10)).toBe(cut);
    expect(toStorableContent(`${'x'.repeat(8)}${MARK}`, 10)).toBe(`${'x'.repeat(8)}${MARK}`);
  });

  it('cuts every string of a value, not its keys', () => {
    const long = 'k'.repeat(20);
    expect(toStorableValue({ [long]: ['y'.repeat(20), 'short'] }, 10)).toEqual({ [long]: [`${'y'.repeat(10)}${MARK}`, 'short'] });
  });
});
