import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig, setActiveConfig } from '../../src/config.js';
import { toCapturedContent } from '../../src/content/capture.js';
import { step } from '../../src/index.js';
import { installTestTracing, onlySpan } from '../helpers/otel.js';

const tracing = installTestTracing();

afterEach(() => setActiveConfig(resolveConfig()));

describe('content capture', () => {
  it('captures nothing by default', () => {
    setActiveConfig(resolveConfig());
    expect(toCapturedContent('hello')).toBeUndefined();
  });

  it('is switched on by OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT', () => {
    process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT = 'true';
    try {
      setActiveConfig(resolveConfig());
      expect(toCapturedContent('hello')).toBe('hello');
    } finally {
      delete process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT;
    }
  });

  it('lets the code option win over the environment', () => {
    process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT = 'true';
    try {
      setActiveConfig(resolveConfig({ captureContent: false }));
      expect(toCapturedContent('hello')).toBeUndefined();
    } finally {
      delete process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT;
    }
  });

  it('serializes structures as JSON and redacts them', () => {
    setActiveConfig(resolveConfig({ captureContent: true }));
    const captured = toCapturedContent([{ role: 'user', parts: [{ type: 'text', content: 'mail bob@corp.io' }] }]);
    expect(JSON.parse(captured!)).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'mail [REDACTED_EMAIL]' }] }]);
  });

  it('applies the user redaction hook after the built-in patterns', () => {
    setActiveConfig(resolveConfig({ captureContent: true, redact: (text) => text.replace(/ACME-\d+/g, '[ORDER]') }));
    expect(toCapturedContent('order ACME-123 for x@y.com')).toBe('order [ORDER] for [REDACTED_EMAIL]');
  });

  it('caps long content and marks the cut', () => {
    setActiveConfig(resolveConfig({ captureContent: true, maxContentLength: 100 }));
    const captured = toCapturedContent('a'.repeat(10_000))!;
    expect(captured.startsWith('a'.repeat(100))).toBe(true);
    expect(captured.length).toBeLessThan(120);
    expect(captured.endsWith('[truncated]')).toBe(true);
  });

  it('stores a redacted transcript on an STT step when capture is on', async () => {
    setActiveConfig(resolveConfig({ captureContent: true }));
    await step('stt', { transcript: 'call me on +1 415 555 0132' }, () => {});
    const span = onlySpan(await tracing.spans(), 'step stt');
    expect(span.attributes['convotel.stt.transcript']).toBe('call me on [REDACTED_PHONE]');
  });
});
