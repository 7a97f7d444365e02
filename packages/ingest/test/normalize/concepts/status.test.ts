import { describe, expect, it } from 'vitest';
import { normalizeFinishReason, readFinishReason, readOutcome } from '../../../src/normalize/concepts/status.js';

describe('readOutcome', () => {
  it('is ok without an error signal', () => {
    expect(readOutcome({ attributes: {}, events: [], status: { code: 1, message: undefined } })).toEqual({ status: 'ok', errorType: undefined, errorMessage: undefined });
  });

  it('is an error when the finish reason is error, whatever the status says', () => {
    const failed = { status: 'error', errorType: '_OTHER', errorMessage: undefined };
    expect(readOutcome({ attributes: { 'gen_ai.response.finish_reasons': 'error' }, events: [], status: { code: 1, message: undefined } })).toEqual(failed);
    expect(readOutcome({ attributes: { 'gen_ai.response.finish_reasons': ['stop', 'error'] }, events: [], status: { code: 0, message: undefined } })).toEqual(failed);
    expect(readOutcome({ attributes: { 'gen_ai.response.finish_reasons': ['stop'] }, events: [], status: { code: 1, message: undefined } }).status).toBe('ok');
  });

  it('takes the type from error.type, else the exception event, else _OTHER', () => {
    const exception = { name: 'exception', timeUnixNano: 1n, attributes: { 'exception.type': 'TimeoutError', 'exception.message': 'took too long' } };
    expect(readOutcome({ attributes: { 'error.type': 'RateLimitError' }, events: [exception], status: { code: 2, message: '429' } })).toEqual({
      status: 'error',
      errorType: 'RateLimitError',
      errorMessage: '429',
    });
    expect(readOutcome({ attributes: {}, events: [exception], status: { code: 2, message: undefined } })).toEqual({
      status: 'error',
      errorType: 'TimeoutError',
      errorMessage: 'took too long',
    });
    expect(readOutcome({ attributes: { 'langfuse.observation.level': 'ERROR', 'langfuse.observation.status_message': 'bad' }, events: [], status: { code: 0, message: undefined } })).toEqual({
      status: 'error',
      errorType: '_OTHER',
      errorMessage: 'bad',
    });
  });
  it('takes the type from the HTTP status an SDK error message starts with, when nothing names it', () => {
    const message = '429 Rate limit reached for gpt-4o-mini (mock)';
    const onlyMessage = { name: 'exception', timeUnixNano: 1n, attributes: { 'exception.message': message } };
    expect(readOutcome({ attributes: {}, events: [onlyMessage], status: { code: 2, message } }).errorType).toBe('429');
    expect(readOutcome({ attributes: {}, events: [onlyMessage], status: { code: 2, message: undefined } }).errorType).toBe('429');
    // A status-like number elsewhere in the text, or a success code, names nothing.
    expect(readOutcome({ attributes: {}, events: [], status: { code: 2, message: 'Error in agent run: 429 Rate limit' } }).errorType).toBe('_OTHER');
    expect(readOutcome({ attributes: {}, events: [], status: { code: 2, message: '200 items failed' } }).errorType).toBe('_OTHER');
    // A named type still wins over the status.
    const typed = { name: 'exception', timeUnixNano: 1n, attributes: { 'exception.type': 'RateLimitError', 'exception.message': message } };
    expect(readOutcome({ attributes: {}, events: [typed], status: { code: 2, message } }).errorType).toBe('RateLimitError');
  });
});

describe('finish reasons', () => {
  it('normalizes provider spellings', () => {
    expect(['tool_calls', 'tool-calls', 'tool_use', 'end_turn', 'STOP', 'MAX_TOKENS', 'SAFETY', 'length'].map(normalizeFinishReason)).toEqual([
      'tool_call',
      'tool_call',
      'tool_call',
      'stop',
      'stop',
      'length',
      'content_filter',
      'length',
    ]);
  });

  it('reads the first reason in key order', () => {
    expect(readFinishReason({ 'gen_ai.response.finish_reasons': ['tool_calls', 'stop'] }, undefined)).toBe('tool_call');
    expect(readFinishReason({}, [{ role: 'assistant', parts: [], finish_reason: 'length' }])).toBe('length');
    expect(readFinishReason({ 'ai.response.finishReason': 'content-filter' }, undefined)).toBe('content_filter');
  });
});
