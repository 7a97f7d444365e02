import { describe, expect, it } from 'vitest';
import { readOperation, toOperation } from '../../../src/normalize/concepts/operation.js';

describe('readOperation', () => {
  it('maps every instrumentation spelling onto one enum', () => {
    const cases: [string, string][] = [
      ['generate_content', 'chat'],
      ['LLM', 'chat'],
      ['generation', 'chat'],
      ['completion', 'text_completion'],
      ['EMBEDDING', 'embeddings'],
      ['TOOL', 'execute_tool'],
      ['create_agent', 'invoke_agent'],
      ['CHAIN', 'workflow'],
      ['task', 'workflow'],
      ['RETRIEVER', 'retrieval'],
      ['speech_to_text', 'stt'],
      ['text_to_speech', 'tts'],
      ['agent_step', 'step'],
      ['rerank', 'other'],
    ];
    expect(cases.map(([raw]) => toOperation(raw))).toEqual(cases.map(([, expected]) => expected));
  });

  it('follows the key order of the reference, then span names', () => {
    expect(readOperation('x', { 'gen_ai.operation.name': 'chat', 'openinference.span.kind': 'AGENT' })).toEqual({ value: 'chat', key: 'gen_ai.operation.name' });
    expect(readOperation('x', { 'llm.request.type': 'completion' })).toEqual({ value: 'text_completion', key: 'llm.request.type' });
    expect(readOperation('ai.streamText.doStream', {})).toEqual({ value: 'chat', key: 'span.name' });
    expect(readOperation('ai.embed.doEmbed', {})?.value).toBe('embeddings');
    expect(readOperation('openai.chat', {})?.value).toBe('chat');
    expect(readOperation('execute_tool lookup', {})?.value).toBe('execute_tool');
    expect(readOperation('step stt', { 'convotel.step.name': 'stt' })?.value).toBe('stt');
  });

  it('tells OpenLIT audio transcription from speech synthesis', () => {
    expect(readOperation('audio tts-1', { 'gen_ai.operation.name': 'audio', 'gen_ai.request.model': 'tts-1' })?.value).toBe('tts');
    expect(readOperation('audio whisper-1', { 'gen_ai.operation.name': 'audio', 'gen_ai.request.model': 'whisper-1' })?.value).toBe('stt');
  });

  it('does not take names of Object.prototype for operations', () => {
    expect(toOperation('constructor')).toBe('other');
    expect(readOperation('toString handler', {})).toBeUndefined();
    expect(readOperation('span', { 'gen_ai.operation.name': '__proto__' })?.value).toBe('other');
  });
});
