import { describe, expect, it } from 'vitest';
import { lastUserText, outputText, readInputContent, readOutputContent, toMessages } from '../../../src/normalize/concepts/content.js';

const text = (role: string, content: string) => ({ role, parts: [{ type: 'text', content }] });

describe('content', () => {
  it('keeps OTel messages and system instructions as they are', () => {
    const content = readInputContent(
      { 'gen_ai.input.messages': JSON.stringify([text('user', 'hi')]), 'gen_ai.system_instructions': '[{"type":"text","content":"be nice"}]' },
      [],
    );
    expect(content).toEqual({ messages: [text('user', 'hi')], key: 'gen_ai.input.messages', systemInstructions: [{ type: 'text', content: 'be nice' }] });
  });

  it('reads the operation-details span event when the span has no content attribute', () => {
    const content = readOutputContent({}, [
      { name: 'gen_ai.client.inference.operation.details', timeUnixNano: 1n, attributes: { 'gen_ai.output.messages': [{ role: 'assistant', parts: [{ type: 'text', content: 'ok' }], finish_reason: 'stop' }] } },
    ]);
    expect(content?.messages).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: 'ok' }], finish_reason: 'stop' }]);
    expect(content?.key).toBe('gen_ai.client.inference.operation.details:gen_ai.output.messages');
  });

  it('regroups flattened OpenLLMetry and OpenInference messages in index order', () => {
    const legacy = readInputContent({ 'gen_ai.prompt.1.role': 'user', 'gen_ai.prompt.1.content': 'second', 'gen_ai.prompt.0.role': 'system', 'gen_ai.prompt.0.content': 'first' }, []);
    expect(legacy?.messages).toEqual([text('system', 'first'), text('user', 'second')]);
    const openInference = readInputContent(
      {
        'llm.input_messages.0.message.role': 'user',
        'llm.input_messages.0.message.contents.1.message_content.text': 'b',
        'llm.input_messages.0.message.contents.0.message_content.text': 'a',
      },
      [],
    );
    expect(openInference?.messages).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'a' }, { type: 'text', content: 'b' }] }]);
  });

  it('unwraps whole requests and responses (input.value, output.value, ai.prompt)', () => {
    expect(toMessages('{"model":"gpt-4o","messages":[{"role":"user","content":"q"}]}', 'user')).toEqual([text('user', 'q')]);
    expect(toMessages({ choices: [{ message: { role: 'assistant', content: 'a' } }] }, 'assistant')).toEqual([text('assistant', 'a')]);
    expect(toMessages('{"system":"sys","prompt":"p"}', 'user')).toEqual([text('user', 'p')]);
    expect(toMessages('{"system":"sys","messages":[{"role":"user","content":[{"type":"text","text":"x"}]}]}', 'user')).toEqual([text('system', 'sys'), text('user', 'x')]);
    expect(toMessages('plain words', 'assistant')).toEqual([text('assistant', 'plain words')]);
  });

  it('finds the last user text and the output text', () => {
    const messages = [text('system', 's'), text('user', 'first'), text('assistant', 'a'), text('user', 'last')];
    expect(lastUserText(messages)).toBe('last');
    expect(outputText([{ role: 'assistant', parts: [{ type: 'tool_call', name: 'f' }] }, text('assistant', 'done')])).toBe('done');
  });
});
