import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPriceTable, estimateTelephonyCost, getDefaultPriceTable, loadPriceFile, PriceTableError } from '../src/index.js';
import type { TelephonyPriceEntry } from '../src/index.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convotel-telephony-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function carrier(overrides: Partial<TelephonyPriceEntry> = {}): TelephonyPriceEntry {
  return { kind: 'telephony', provider: 'acme', direction: 'inbound', usdPerMinute: 0.01, billingIncrementSeconds: 60, ...overrides };
}

describe('estimateTelephonyCost', () => {
  it('rounds a call up to whole started minutes for a per-minute carrier', () => {
    const table = createPriceTable({ entries: [carrier()], extend: false });
    expect(estimateTelephonyCost({ provider: 'acme', durationSeconds: 61 }, table)).toMatchObject({ billedMinutes: 2, usd: 0.02 });
    expect(estimateTelephonyCost({ provider: 'acme', durationSeconds: 60 }, table)?.billedMinutes).toBe(1);
    expect(estimateTelephonyCost({ provider: 'acme', durationSeconds: 0.2 }, table)?.billedMinutes).toBe(1);
  });

  it('bills per second for a per-second carrier, raised to its minimum', () => {
    const table = createPriceTable({ entries: [carrier({ billingIncrementSeconds: 6, minimumBilledSeconds: 30 })], extend: false });
    expect(estimateTelephonyCost({ provider: 'acme', durationSeconds: 61 }, table)?.billedMinutes).toBeCloseTo(66 / 60, 12);
    expect(estimateTelephonyCost({ provider: 'acme', durationSeconds: 4 }, table)?.billedMinutes).toBeCloseTo(0.5, 12);
    const perSecond = createPriceTable({ entries: [carrier({ billingIncrementSeconds: 1, usdPerMinute: 0.006 })], extend: false });
    expect(estimateTelephonyCost({ provider: 'acme', durationSeconds: 90.4 }, perSecond)?.usd).toBeCloseTo((91 / 60) * 0.006, 12);
  });

  it('does not charge a third minute for float noise in a two-minute duration', () => {
    const table = createPriceTable({ entries: [carrier()], extend: false });
    expect(estimateTelephonyCost({ provider: 'acme', durationSeconds: 0.1 * 3 * 400 }, table)?.billedMinutes).toBe(2);
  });

  it('charges nothing for a call that never connected, even with a minimum', () => {
    const table = createPriceTable({ entries: [carrier({ minimumBilledSeconds: 60 })], extend: false });
    expect(estimateTelephonyCost({ provider: 'acme', durationSeconds: 0 }, table)).toMatchObject({ billedMinutes: 0, usd: 0 });
    expect(estimateTelephonyCost({ provider: 'acme', durationSeconds: -5 }, table)?.usd).toBe(0);
  });

  it('prices the minutes the carrier billed as given, without rounding again', () => {
    const table = createPriceTable({ entries: [carrier()], extend: false });
    const estimate = estimateTelephonyCost({ provider: 'acme', billedMinutes: 2.5, durationSeconds: 400 }, table);
    expect(estimate).toMatchObject({ billedMinutes: 2.5, usd: 0.025 });
  });

  it('looks the price up by direction, inbound by default', () => {
    const table = createPriceTable({
      entries: [carrier({ usdPerMinute: 0.01 }), carrier({ direction: 'outbound', usdPerMinute: 0.03 })],
      extend: false,
    });
    expect(estimateTelephonyCost({ provider: 'acme', durationSeconds: 60 }, table)?.usd).toBe(0.01);
    expect(estimateTelephonyCost({ provider: 'ACME', direction: 'outbound', durationSeconds: 60 }, table)?.usd).toBe(0.03);
    expect(estimateTelephonyCost({ provider: 'acme', direction: 'outbound', durationSeconds: 60 }, table)?.entry.direction).toBe(
      'outbound',
    );
  });

  it('prefers the entry for the product asked, then the provider default', () => {
    const table = getDefaultPriceTable();
    expect(estimateTelephonyCost({ provider: 'twilio', product: 'us-toll-free', durationSeconds: 60 })?.usd).toBe(0.022);
    expect(estimateTelephonyCost({ provider: 'twilio', durationSeconds: 60 }, table)?.entry.product).toBe('us-local');
    expect(estimateTelephonyCost({ provider: 'twilio', product: 'no-such-product', durationSeconds: 60 })?.usd).toBe(0.0085);
  });

  it('returns undefined for an unknown provider or a missing duration', () => {
    expect(estimateTelephonyCost({ provider: 'carrier-pigeon', durationSeconds: 60 })).toBeUndefined();
    expect(estimateTelephonyCost({ provider: 'twilio' })).toBeUndefined();
    expect(estimateTelephonyCost({ provider: 'twilio', durationSeconds: Number.NaN })).toBeUndefined();
  });

  it('prices every built-in provider both ways with a source and the rounding its docs state', () => {
    const increments = { twilio: 60, telnyx: 60, vonage: 1, livekit_sip: 60 };
    for (const [provider, increment] of Object.entries(increments)) {
      for (const direction of ['inbound', 'outbound'] as const) {
        const estimate = estimateTelephonyCost({ provider, direction, durationSeconds: 61 });
        expect(estimate, `${provider} ${direction}`).toBeDefined();
        expect(estimate!.entry.billingIncrementSeconds, provider).toBe(increment);
        expect(estimate!.billedMinutes, provider).toBeCloseTo(increment === 60 ? 2 : 61 / 60, 12);
        expect(estimate!.entry.source, provider).toMatch(/^https:\/\//);
      }
    }
  });
});

describe('telephony entries in price files', () => {
  it('lets a price file override a built-in carrier price', () => {
    const file = path.join(dir, 'carrier.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        entries: [
          { kind: 'telephony', provider: 'twilio', direction: 'inbound', usdPerMinute: 0.004, billingIncrementSeconds: 1, note: 'our contract' },
        ],
      }),
    );
    const table = createPriceTable({ entries: loadPriceFile(file) });
    const estimate = estimateTelephonyCost({ provider: 'twilio', durationSeconds: 90 }, table);
    expect(estimate?.billedMinutes).toBe(1.5);
    expect(estimate?.usd).toBeCloseTo(0.006, 12);
    expect(estimate?.entry.note).toBe('our contract');
    // Outbound is not overridden: the built-in price still applies.
    expect(estimateTelephonyCost({ provider: 'twilio', direction: 'outbound', durationSeconds: 60 }, table)?.usd).toBe(0.014);
  });

  it('names the entry and the field of a bad telephony price', () => {
    const cases: [unknown, string][] = [
      [{ kind: 'telephony', direction: 'inbound', usdPerMinute: 1, billingIncrementSeconds: 60 }, 'entries[0]: "provider" must be a non-empty string'],
      [
        { kind: 'telephony', provider: 'twilio', direction: 'sideways', usdPerMinute: 1, billingIncrementSeconds: 60 },
        'entries[0] (provider "twilio"): "direction" must be "inbound" or "outbound", got "sideways"',
      ],
      [
        { kind: 'telephony', provider: 'twilio', direction: 'inbound', usdPerMinute: 1 },
        '"billingIncrementSeconds" must be a positive integer (60 = per started minute, 1 = per second), got nothing',
      ],
      [
        { kind: 'telephony', provider: 'twilio', direction: 'inbound', usdPerMinute: -1, billingIncrementSeconds: 60 },
        '"usdPerMinute" must be a finite number >= 0 (USD), got -1',
      ],
      [
        { kind: 'telephony', provider: 'twilio', direction: 'inbound', usdPerMinute: 1, billingIncrementSeconds: 60, model: 'x' },
        'unknown field "model"',
      ],
    ];
    for (const [entry, message] of cases) {
      const file = path.join(dir, 'bad.json');
      fs.writeFileSync(file, JSON.stringify([entry]));
      let error: unknown;
      try {
        loadPriceFile(file);
      } catch (caught) {
        error = caught;
      }
      expect(error, message).toBeInstanceOf(PriceTableError);
      expect((error as PriceTableError).message, message).toContain(message);
    }
  });
});
