import { SpanStatusCode, trace } from '@opentelemetry/api';
import { beforeEach, describe, expect, it } from 'vitest';
import { conversation, startConversation, step, turn } from '../../src/index.js';
import { installTestTracing, onlySpan } from '../helpers/otel.js';

const tracing = installTestTracing();

beforeEach(() => tracing.reset());

describe('conversation and turns', () => {
  it('makes each turn the root of its own trace, linked to the conversation span', async () => {
    await conversation({ conversationId: 'c-1' }, async (c) => {
      await turn({}, async () => {});
      await c.turn({}, async () => {});
    });
    const spans = await tracing.spans();
    const conv = onlySpan(spans, 'conversation');
    const turns = spans.filter((s) => s.name === 'turn');
    expect(turns).toHaveLength(2);
    for (const t of turns) {
      expect(t.parentSpanContext).toBeUndefined();
      expect(t.spanContext().traceId).not.toBe(conv.spanContext().traceId);
      expect(t.links.map((l) => l.context.spanId)).toEqual([conv.spanContext().spanId]);
    }
    expect(turns[0]!.spanContext().traceId).not.toBe(turns[1]!.spanContext().traceId);
  });

  it('stamps conversation, user and session ids on every span inside a conversation, foreign ones too', async () => {
    await conversation({ conversationId: 'c-2', userId: 'u-9', sessionId: 's-3', agentName: 'support', channel: 'voice' }, () =>
      turn({}, () =>
        step('sql', {}, () => {
          trace.getTracer('some-other-library').startSpan('SELECT orders').end();
        }),
      ),
    );
    const spans = await tracing.spans();
    expect(spans.map((s) => s.name).sort()).toEqual(['SELECT orders', 'conversation', 'step sql', 'turn']);
    for (const span of spans) {
      expect(span.attributes['gen_ai.conversation.id'], span.name).toBe('c-2');
      expect(span.attributes['user.id'], span.name).toBe('u-9');
      expect(span.attributes['session.id'], span.name).toBe('s-3');
    }
    const conv = onlySpan(spans, 'conversation');
    expect(conv.attributes['convotel.span.kind']).toBe('conversation');
    expect(conv.attributes['gen_ai.agent.name']).toBe('support');
    expect(conv.attributes['convotel.channel']).toBe('voice');
    expect(onlySpan(spans, 'step sql').parentSpanContext?.spanId).toBe(onlySpan(spans, 'turn').spanContext().spanId);
  });

  it('generates a conversation id when none is given', async () => {
    const handle = startConversation({});
    handle.end();
    expect(handle.conversationId).toMatch(/^[0-9a-f-]{36}$/);
    const [span] = await tracing.spans();
    expect(span!.attributes['gen_ai.conversation.id']).toBe(handle.conversationId);
  });

  it('numbers turns in order when no index is given, continuing after an explicit one', async () => {
    const c = startConversation({ conversationId: 'c-3' });
    c.turn({}, () => {});
    c.turn({ index: 5 }, () => {});
    c.turn({}, () => {});
    c.end();
    const indexes = (await tracing.spans()).filter((s) => s.name === 'turn').map((s) => s.attributes['convotel.turn.index']);
    expect(indexes).toEqual([0, 5, 6]);
  });

  it('records metadata and turn facts learnt while the turn runs', async () => {
    await conversation({ conversationId: 'c-4', metadata: { plan: 'gold', retries: 2 } }, () =>
      turn({ intent: 'greeting' }, (t) => {
        t.setInterrupted();
        t.setPerceivedLatencyMs(820);
        t.setClassification('smalltalk');
      }),
    );
    const spans = await tracing.spans();
    const conv = onlySpan(spans, 'conversation');
    expect(conv.attributes['convotel.metadata.plan']).toBe('gold');
    expect(conv.attributes['convotel.metadata.retries']).toBe(2);
    const t = onlySpan(spans, 'turn');
    expect(t.attributes['convotel.turn.intent']).toBe('greeting');
    expect(t.attributes['convotel.turn.interrupted']).toBe(true);
    expect(t.attributes['convotel.turn.perceived_latency_ms']).toBe(820);
    expect(t.attributes['convotel.turn.classification']).toBe('smalltalk');
  });

  it('lets event handlers outside the async context add turns through the handle', async () => {
    const c = startConversation({ conversationId: 'c-5', userId: 'u-1' });
    await new Promise<void>((resolve) => setTimeout(() => c.turn({}, () => resolve()), 1));
    c.end('hangup');
    const spans = await tracing.spans();
    expect(onlySpan(spans, 'turn').attributes['gen_ai.conversation.id']).toBe('c-5');
    expect(onlySpan(spans, 'conversation').attributes['convotel.conversation.end_reason']).toBe('hangup');
  });
});

describe('errors', () => {
  it('records a thrown error on the span and rethrows the same error object', () => {
    class PaymentError extends Error {}
    const error = new PaymentError('card declined');
    expect(() => conversation({ conversationId: 'c-6' }, () => turn({}, () => { throw error; }))).toThrow(error);
    return tracing.spans().then((spans) => {
      const t = onlySpan(spans, 'turn');
      expect(t.status).toEqual({ code: SpanStatusCode.ERROR, message: 'card declined' });
      expect(t.attributes['error.type']).toBe('PaymentError');
      expect(t.events.map((e) => e.name)).toEqual(['exception']);
      expect(onlySpan(spans, 'conversation').status.code).toBe(SpanStatusCode.ERROR);
    });
  });

  it('returns the very promise the function returned and passes its rejection through', async () => {
    const error = new Error('upstream down');
    const promise = Promise.reject(error);
    promise.catch(() => {});
    const returned = turn({}, () => promise);
    expect(returned).toBe(promise);
    await expect(returned).rejects.toBe(error);
    const t = onlySpan(await tracing.spans(), 'turn');
    expect(t.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('ends a span once even when end is called twice', async () => {
    const c = startConversation({ conversationId: 'c-7' });
    c.end();
    c.end('error');
    const spans = await tracing.spans();
    expect(spans).toHaveLength(1);
    expect(spans[0]!.status.code).toBe(SpanStatusCode.UNSET);
  });
});
