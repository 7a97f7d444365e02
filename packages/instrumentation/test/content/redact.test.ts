import { describe, expect, it } from 'vitest';
import { redactText } from '../../src/index.js';

describe('redactText', () => {
  it('redacts e-mail addresses', () => {
    expect(redactText('write to jane.doe+vip@mail.example.co.uk today')).toBe('write to [REDACTED_EMAIL] today');
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
