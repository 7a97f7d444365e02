import { describe, expect, it } from 'vitest';
import { classifySpan } from '../../../src/normalize/spans/span-role.js';

describe('classifySpan', () => {
  it('counts provider calls, not the wrappers that repeat their usage', () => {
    expect(classifySpan('ai.generateText', {}, 'invoke_agent', 'vercel-ai')).toBe('agent');
    expect(classifySpan('ai.generateText.doGenerate', {}, 'chat', 'vercel-ai')).toBe('llm');
    expect(classifySpan('invoke_agent x', {}, 'invoke_agent', 'otel-genai')).toBe('agent');
    expect(classifySpan('chat gpt-4o', {}, 'chat', 'openlit')).toBe('llm');
    expect(classifySpan('step 1', {}, 'step', 'vercel-ai')).toBe('agent');
  });

  it('recognizes our span kinds, conversation spans of voice frameworks and SQL spans', () => {
    expect(classifySpan('turn', { 'convotel.span.kind': 'turn' }, undefined, 'convotel')).toBe('turn');
    expect(classifySpan('conversation', { 'conversation.id': 'c' }, undefined, 'pipecat')).toBe('conversation');
    expect(classifySpan('agent_session', {}, undefined, 'livekit')).toBe('conversation');
    expect(classifySpan('pg.query', { 'db.system': 'postgresql', 'db.statement': 'SELECT 1' }, undefined, 'other')).toBe('db');
    expect(classifySpan('pg.connect', { 'db.system': 'postgresql' }, undefined, 'other')).toBe('other');
  });
});
