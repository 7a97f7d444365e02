// Random spans encoded by protobufjs from the schema, decoded by our field walker: every
// attribute comes back as the plain value it was written as. Seeded, so a failure replays.
import { describe, expect, it } from 'vitest';
import { decodeTraceRequestProtobuf } from '../../src/otlp/decode-protobuf.js';
import type { AttributeValue, Span } from '../../src/otlp/types.js';
import { encodeTraceRequest, wireSpan, wireTraceRequest } from '../helpers/otlp-fixtures.js';

function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

/** A value in protobufjs object form and the plain value the decoder must give for it. */
interface Case {
  readonly wire: Record<string, unknown>;
  readonly plain: AttributeValue;
}

// Keys repeat across spans (the string table's hit path), some differ only in their middle
// (same length, head and tail: one hash slot), one is longer than what is interned.
const KEYS = [
  'gen_ai.request.model',
  'gen_ai.usage.input_tokens',
  'app.tenant.id',
  'app.aaaaaaaa.0000000000.zzzzzzzz',
  'app.aaaaaaaa.1111111111.zzzzzzzz',
  'clé.unicode.🙂',
  `long.${'k'.repeat(90)}`,
];
const TEXTS = ['gpt-4o-mini', 'gpt-4o-mina', '', 'ünïcödé ✓', `conversation-${'0'.repeat(70)}-1`, `conversation-${'0'.repeat(70)}-2`];

function randomValue(next: () => number, depth: number): Case {
  const pick = Math.floor(next() * (depth < 2 ? 9 : 7));
  switch (pick) {
    case 0: {
      const text = TEXTS[Math.floor(next() * TEXTS.length)] as string;
      return { wire: { stringValue: text }, plain: text };
    }
    case 1:
      return { wire: { stringValue: 'with\u0000nul' }, plain: 'withnul' };
    case 2: {
      const value = next() < 0.5;
      return { wire: { boolValue: value }, plain: value };
    }
    case 3: {
      const value = Math.floor((next() - 0.5) * 1e12);
      return { wire: { intValue: String(value) }, plain: value };
    }
    case 4:
      return { wire: { intValue: '9007199254740993' }, plain: '9007199254740993' };
    case 5: {
      const value = (next() - 0.5) * 1e6;
      return { wire: { doubleValue: value }, plain: value };
    }
    case 6: {
      const bytes = Buffer.from([Math.floor(next() * 256), 0, 255]);
      return { wire: { bytesValue: bytes }, plain: bytes.toString('base64') };
    }
    case 7: {
      const items = Array.from({ length: Math.floor(next() * 3) }, () => randomValue(next, depth + 1));
      return { wire: { arrayValue: { values: items.map((item) => item.wire) } }, plain: items.map((item) => item.plain) };
    }
    default: {
      const entries = Array.from({ length: Math.floor(next() * 3) }, (_, i) => [`k${i}`, randomValue(next, depth + 1)] as const);
      return {
        wire: { kvlistValue: { values: entries.map(([key, item]) => ({ key, value: item.wire })) } },
        plain: Object.fromEntries(entries.map(([key, item]) => [key, item.plain])),
      };
    }
  }
}

function randomSpan(next: () => number, index: number): { wire: Record<string, unknown>; attributes: Record<string, AttributeValue> } {
  const keyValues: Record<string, unknown>[] = [];
  const attributes: Record<string, AttributeValue> = {};
  const count = Math.floor(next() * 12);
  for (let i = 0; i < count; i += 1) {
    const key = KEYS[Math.floor(next() * KEYS.length)] as string;
    const { wire, plain } = randomValue(next, 0);
    keyValues.push({ key, value: wire });
    // A repeated key keeps its last value.
    attributes[key] = plain;
  }
  if (next() < 0.2) {
    keyValues.push({ key: 'empty' });
    attributes['empty'] = null;
  }
  const spanId = Buffer.alloc(8);
  spanId.writeUInt32BE(index + 1, 4);
  return { wire: wireSpan({ spanId, name: `span ${index}`, attributes: keyValues }), attributes };
}

describe('decodeTraceRequestProtobuf on random spans', () => {
  it('gives back every attribute as written, over many requests sharing the string table', () => {
    const next = random(20261121);
    for (let request = 0; request < 40; request += 1) {
      const spans = Array.from({ length: 25 }, (_, i) => randomSpan(next, i));
      const decoded = decodeTraceRequestProtobuf(encodeTraceRequest(wireTraceRequest(spans.map((span) => span.wire))));
      const got: Span[] = decoded.request.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
      expect(got.map((span) => span.name)).toEqual(spans.map((_, i) => `span ${i}`));
      got.forEach((span, i) => expect(span.attributes).toEqual(spans[i]?.attributes));
    }
  });
});
