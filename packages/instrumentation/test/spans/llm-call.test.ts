import { estimateCost } from '@convotel/pricing';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { Tiktoken } from 'js-tiktoken/lite';
import o200k from 'js-tiktoken/ranks/o200k_base';
import { beforeEach, describe, expect, it } from 'vitest';
import { conversation, labelLlmCalls, llmCall } from '../../src/index.js';
import { installTestTracing, onlySpan } from '../helpers/otel.js';

const tracing = installTestTracing();

beforeEach(() => tracing.reset());

describe('llmCall', () => {
  it('reads usage and model from an OpenAI-shaped result and computes the cost', async () => {
    const result = await llmCall({ provider: 'openai', model: 'gpt-4o-mini', callType: 'classification' }, async () => ({
      id: 'chatcmpl-1',
      model: 'gpt-4o-mini-2024-07-18',
      choices: [{ message: { role: 'assistant', content: 'billing' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 1200, completion_tokens: 30, prompt_tokens_details: { cached_tokens: 1024 } },
    }));
    expect(result.id).toBe('chatcmpl-1');
    const span = onlySpan(await tracing.spans(), 'chat gpt-4o-mini');
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.attributes['convotel.span.kind']).toBe('llm');
    expect(span.attributes['gen_ai.provider.name']).toBe('openai');
    expect(span.attributes['gen_ai.response.model']).toBe('gpt-4o-mini-2024-07-18');
    expect(span.attributes['gen_ai.response.id']).toBe('chatcmpl-1');
    expect(span.attributes['gen_ai.response.finish_reasons']).toEqual(['stop']);
    expect(span.attributes['gen_ai.usage.input_tokens']).toBe(1200);
    expect(span.attributes['gen_ai.usage.output_tokens']).toBe(30);
    expect(span.attributes['gen_ai.usage.cache_read.input_tokens']).toBe(1024);
    expect(span.attributes['convotel.llm.call_type']).toBe('classification');
    const expected = estimateCost({ kind: 'llm', model: 'gpt-4o-mini', inputTokens: 1200, outputTokens: 30, cacheReadInputTokens: 1024 });
    expect(span.attributes['convotel.cost.usd']).toBeCloseTo(expected!.usd, 12);
    expect(span.attributes['convotel.cost.source']).toBe('computed');
    expect(span.attributes['convotel.usage.estimated']).toBeUndefined();
  });

  it('adds cache tokens to an Anthropic-shaped input count, as OTel requires', async () => {
    await llmCall({ provider: 'anthropic', model: 'claude-sonnet-4-5' }, () => ({
      model: 'claude-sonnet-4-5-20250929',
      content: [{ type: 'text', text: 'hi' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 100, cache_creation_input_tokens: 40 },
    }));
    const span = onlySpan(await tracing.spans(), 'chat claude-sonnet-4-5');
    expect(span.attributes['gen_ai.usage.input_tokens']).toBe(150);
    expect(span.attributes['gen_ai.usage.cache_read.input_tokens']).toBe(100);
    expect(span.attributes['gen_ai.usage.cache_write.input_tokens']).toBe(40);
    expect(span.attributes['gen_ai.response.finish_reasons']).toEqual(['end_turn']);
  });

  it('counts tokens with js-tiktoken when the result reports no usage, after the call returns', async () => {
    const prompt = 'What is the balance of my checking account?';
    const answer = 'Your checking balance is 1,234 dollars.';
    const returned = await llmCall(
      { provider: 'acme', model: 'gpt-4o', messages: [{ role: 'user', content: prompt }] },
      async () => answer,
    );
    expect(returned).toBe(answer);
    const span = onlySpan(await tracing.spans(), 'chat gpt-4o');
    const encoder = new Tiktoken(o200k);
    // One message: its text plus 3 framing tokens, plus 3 for the reply's priming.
    expect(span.attributes['gen_ai.usage.input_tokens']).toBe(encoder.encode(prompt).length + 6);
    expect(span.attributes['gen_ai.usage.output_tokens']).toBe(encoder.encode(answer).length);
    expect(span.attributes['convotel.usage.estimated']).toBe(true);
    expect(span.attributes['convotel.cost.source']).toBe('computed');
  });

  it('stamps the real end time on a span that waited for its token count', async () => {
    const before = Date.now();
    await llmCall({ provider: 'openai', model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }, () => 'y');
    const after = Date.now();
    const span = onlySpan(await tracing.spans(), 'chat gpt-4o');
    const endMs = span.endTime[0] * 1000 + span.endTime[1] / 1e6;
    expect(endMs).toBeGreaterThanOrEqual(before - 1);
    expect(endMs).toBeLessThanOrEqual(after + 1);
  });

  it('prefers usage and cost the caller reports', async () => {
    await llmCall({ provider: 'mistral_ai', model: 'mistral-large' }, (call) => {
      call.setResponse({ usage: { inputTokens: 10, outputTokens: 2 }, costUsd: 0.5 });
      return null;
    });
    const span = onlySpan(await tracing.spans(), 'chat mistral-large');
    expect(span.attributes['gen_ai.usage.input_tokens']).toBe(10);
    expect(span.attributes['convotel.cost.usd']).toBe(0.5);
    expect(span.attributes['convotel.cost.source']).toBe('reported');
  });

  it('records a failed call without counting tokens for it and rethrows', async () => {
    const error = new Error('429 Too Many Requests');
    await expect(
      llmCall({ provider: 'openai', model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }, async () => {
        throw error;
      }),
    ).rejects.toBe(error);
    const span = onlySpan(await tracing.spans(), 'chat gpt-4o');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).toBe('Error');
    expect(span.attributes['gen_ai.usage.input_tokens']).toBeUndefined();
    expect(span.attributes['convotel.cost.usd']).toBeUndefined();
  });

  it("applies labels to the calls made inside labelLlmCalls, the call's own options winning", async () => {
    await conversation({ conversationId: 'c-9' }, () =>
      labelLlmCalls({ callType: 'rag_query', functionName: 'answer', tags: ['beta'] }, async () => {
        await llmCall({ provider: 'openai', model: 'a' }, () => null);
        await llmCall({ provider: 'openai', model: 'b', callType: 'summarization' }, () => null);
      }),
    );
    const spans = await tracing.spans();
    const a = onlySpan(spans, 'chat a');
    const b = onlySpan(spans, 'chat b');
    expect(a.attributes['convotel.llm.call_type']).toBe('rag_query');
    expect(a.attributes['convotel.llm.function']).toBe('answer');
    expect(a.attributes['convotel.tags']).toEqual(['beta']);
    expect(a.attributes['gen_ai.conversation.id']).toBe('c-9');
    expect(b.attributes['convotel.llm.call_type']).toBe('summarization');
  });

  it('records time to first token for a hand-instrumented stream', async () => {
    await llmCall({ provider: 'openai', model: 'gpt-4o', stream: true }, async (call) => {
      await new Promise((r) => setTimeout(r, 20));
      call.markFirstToken();
      call.setResponse({ usage: { inputTokens: 1, outputTokens: 1 } });
    });
    const span = onlySpan(await tracing.spans(), 'chat gpt-4o');
    expect(span.attributes['gen_ai.request.stream']).toBe(true);
    expect(span.attributes['convotel.llm.ttft_ms']).toBeGreaterThanOrEqual(15);
    expect(span.attributes['gen_ai.response.time_to_first_chunk']).toBeCloseTo(
      (span.attributes['convotel.llm.ttft_ms'] as number) / 1000,
      9,
    );
  });
});
