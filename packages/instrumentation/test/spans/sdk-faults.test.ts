import { diag, DiagLogLevel, trace, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { conversation, llmCall, step, turn } from '../../src/index.js';

// A tracer provider that fails on every span: stands in for an internal fault of the SDK.
const brokenTracer = {
  startSpan() {
    throw new Error('tracer exploded');
  },
  startActiveSpan() {
    throw new Error('tracer exploded');
  },
} as unknown as Tracer;
const brokenProvider: TracerProvider = { getTracer: () => brokenTracer };
trace.setGlobalTracerProvider(brokenProvider);

const reported: string[] = [];
diag.setLogger(
  {
    error: (message) => reported.push(message),
    warn: () => {},
    info: () => {},
    debug: () => {},
    verbose: () => {},
  },
  DiagLogLevel.ERROR,
);

describe('when the SDK itself fails', () => {
  it('runs the user code as if uninstrumented and reports the fault through diag', async () => {
    const result = await conversation({ conversationId: 'c' }, () =>
      turn({}, () => step('llm', {}, () => llmCall({ provider: 'openai', model: 'gpt-4o' }, async () => 'answer'))),
    );
    expect(result).toBe('answer');
    expect(reported.some((m) => m.startsWith('convotel:'))).toBe(true);
  });

  it('still passes the user error through unchanged', () => {
    const error = new TypeError('bad input');
    expect(() => turn({}, () => step('tool', {}, () => { throw error; }))).toThrow(error);
  });
});
