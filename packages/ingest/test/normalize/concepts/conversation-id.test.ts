import { describe, expect, it } from 'vitest';
import { betterCandidate, readIdentity, traceIdCandidate, type IdCandidate } from '../../../src/normalize/concepts/conversation-id.js';

describe('readIdentity', () => {
  it('takes the first key of the reference order on the span', () => {
    const identity = readIdentity(
      {
        'traceloop.association.properties.session_id': 'tl',
        'session.id': 'sess',
        'ai.telemetry.metadata.userId': 'ai-user',
        'enduser.id': 'end-user',
      },
      {},
    );
    expect(identity.conversation).toEqual({ value: 'sess', key: 'session.id', rank: 1 });
    expect(identity.user).toEqual({ value: 'end-user', key: 'enduser.id', rank: 1 });
    expect(identity.session).toEqual({ value: 'sess', key: 'session.id', rank: 0 });
  });

  it("reads Mastra's threadId and resourceId on Mastra spans only, after every common key", () => {
    const mastra = { threadId: 'thread-1', resourceId: 'resource-1' };
    expect(readIdentity(mastra, {}, 'mastra')).toMatchObject({
      conversation: { value: 'thread-1', key: 'threadId', rank: 10 },
      user: { value: 'resource-1', key: 'resourceId', rank: 9 },
    });
    expect(readIdentity({ ...mastra, 'session.id': 'sess' }, {}, 'mastra').conversation?.key).toBe('session.id');
    expect(readIdentity(mastra, {}, 'otel-genai')).toMatchObject({ conversation: undefined, user: undefined });
    expect(readIdentity(mastra, {})).toMatchObject({ conversation: undefined, user: undefined });
  });

  it('falls back to resource attributes, ranked after every span key', () => {
    const identity = readIdentity({ 'conversation.id': 'pipecat' }, { 'gen_ai.conversation.id': 'from-resource', 'user.id': 'res-user' });
    expect(identity.conversation).toEqual({ value: 'pipecat', key: 'conversation.id', rank: 9 });
    expect(identity.user).toEqual({ value: 'res-user', key: 'resource:user.id', rank: 100 });
  });

  it('reads Langfuse, Traceloop and AI SDK metadata keys', () => {
    expect(readIdentity({ 'langfuse.session.id': 'lf' }, {}).conversation?.key).toBe('langfuse.session.id');
    expect(readIdentity({ 'traceloop.association.properties.conversation_id': 'tc' }, {}).conversation?.value).toBe('tc');
    expect(readIdentity({ 'ai.telemetry.metadata.sessionId': 'as' }, {}).conversation?.key).toBe('ai.telemetry.metadata.sessionId');
    expect(readIdentity({ 'langfuse.trace.metadata.langfuse_session_id': 'lm' }, {}).conversation?.value).toBe('lm');
    expect(readIdentity({ 'gen_ai.request.user': 'openai-user' }, {}).user?.key).toBe('gen_ai.request.user');
  });

  it('bounds huge ids so they can be indexed, keeping distinct ids distinct', () => {
    const a = readIdentity({ 'gen_ai.conversation.id': `${'x'.repeat(5000)}a` }, {}).conversation?.value ?? '';
    const b = readIdentity({ 'gen_ai.conversation.id': `${'x'.repeat(5000)}b` }, {}).conversation?.value ?? '';
    expect(a.length).toBeLessThanOrEqual(256);
    expect(a).not.toBe(b);
  });
});

describe('betterCandidate', () => {
  it('is a total order: any merge order gives the same winner', () => {
    const candidates: IdCandidate[] = [
      traceIdCandidate('0af7651916cd43dd8448eb211c80319c'),
      { value: 'z', rank: 1, key: 'session.id' },
      { value: 'b', rank: 0, key: 'gen_ai.conversation.id' },
      { value: 'a', rank: 0, key: 'gen_ai.conversation.id' },
      { value: 'a', rank: 100, key: 'resource:gen_ai.conversation.id' },
    ];
    const winners = new Set<string>();
    for (let i = 0; i < 50; i += 1) {
      const order = [...candidates].sort(() => Math.random() - 0.5);
      winners.add(JSON.stringify(order.reduce<IdCandidate | undefined>((best, next) => betterCandidate(best, next), undefined)));
    }
    expect([...winners]).toEqual([JSON.stringify({ value: 'a', rank: 0, key: 'gen_ai.conversation.id' })]);
  });
});
