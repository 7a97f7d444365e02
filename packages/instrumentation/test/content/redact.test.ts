import { describe, expect, it } from 'vitest';
import { redactText } from '../../src/index.js';

/** The e-mail pattern redactText matched with before it searched from each '@' (quadratic on long runs of letters). */
const EMAIL_PATTERN = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
function randomFrom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('redactText', () => {
  it('redacts e-mail addresses', () => {
    expect(redactText('write to jane.doe+vip@mail.example.co.uk today')).toBe('write to [REDACTED_EMAIL] today');
  });

  it('finds the e-mail addresses the pattern /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}/g finds, in 20000 generated texts', () => {
    // Texts of address-like parts: a local part, often an '@', a domain, often a top-level
    // domain, a separator. About 29% hold an address, 4% several. No key, card or phone number.
    const random = randomFrom(42);
    const pick = (chars: string): string => chars[Math.floor(random() * chars.length)]!;
    const run = (chars: string, maxLength: number): string => {
      let text = '';
      for (let n = Math.floor(random() * (maxLength + 1)); n > 0; n--) text += pick(chars);
      return text;
    };
    const part = (): string =>
      run('aZ.-_%+', 3) + (random() < 0.7 ? '@' : '') + run('ab.-', 4) + (random() < 0.6 ? ['.co', '.c', '.Zb'][Math.floor(random() * 3)]! : '') + run(' @.!a', 1);
    for (let i = 0; i < 20_000; i++) {
      let text = '';
      for (let n = Math.floor(random() * 4); n > 0; n--) text += part();
      expect(redactText(text), JSON.stringify(text)).toBe(text.replace(EMAIL_PATTERN, '[REDACTED_EMAIL]'));
    }
  });

  it('keeps 100k characters of letters or of a.a.a… (no @) as they are, and redacts a 100k-letter address whole', () => {
    // Timed in bench/instrumentation/redact-text.mjs: linear now, seconds before.
    const letters = 'a'.repeat(100_000);
    expect(redactText(letters)).toBe(letters);
    const dotted = 'a.'.repeat(50_000);
    expect(redactText(dotted)).toBe(dotted);
    expect(redactText(`to ${letters}@x.com, ${dotted}@${letters}.org!`)).toBe('to [REDACTED_EMAIL], [REDACTED_EMAIL]!');
    expect(redactText('a@'.repeat(50_000))).toBe('a@'.repeat(50_000));
  });

  it('redacts each of several addresses, and an address after a broken one', () => {
    expect(redactText('a@b@c.com, x@a.com.foo@b.org; jo@host.io')).toBe('a@[REDACTED_EMAIL], [REDACTED_EMAIL]@b.org; [REDACTED_EMAIL]');
  });

  it('redacts card numbers that pass the Luhn check and keeps other long numbers', () => {
    expect(redactText('card 4111 1111 1111 1111 ok')).toBe('card [REDACTED_CARD] ok');
    expect(redactText('card 4111-1111-1111-1111')).toBe('card [REDACTED_CARD]');
    // 16 digits failing Luhn: an order number, not a card.
    expect(redactText('order 1234567812345678')).toBe('order 1234567812345678');
  });

  it('redacts phone numbers in common formats', () => {
    expect(redactText('call +44 20 7946 0958')).toBe('call [REDACTED_PHONE]');
    expect(redactText('call (415) 555-0132')).toBe('call [REDACTED_PHONE]');
    expect(redactText('call 415.555.0132')).toBe('call [REDACTED_PHONE]');
  });

  it('keeps short numbers, dates and amounts', () => {
    expect(redactText('3 items for 12.50 on 2024-05-01')).toBe('3 items for 12.50 on 2024-05-01');
  });

  it('redacts API keys and bearer tokens', () => {
    expect(redactText('key sk-proj-abcdefghijklmnopqrstuvwxyz123456')).toBe('key [REDACTED_API_KEY]');
    expect(redactText('key sk-ant-api03-abcdefghijklmnopqrstuv')).toBe('key [REDACTED_API_KEY]');
    expect(redactText('aws AKIAABCDEFGHIJKLMNOP')).toBe('aws [REDACTED_API_KEY]');
    expect(redactText('Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload')).toBe('Authorization: Bearer [REDACTED_TOKEN]');
  });
});
