import { toServerAttributes } from '../../src/spans/server-attributes.js';
import { describe, expect, it } from 'vitest';
import {
  toInputMessages,
  toInputTexts,
  toRequestAttributes,
  toSystemInstructions,
} from '../../src/anthropic/map-request.js';

const capture = (value: unknown): string => JSON.stringify(value);

describe('toRequestAttributes', () => {
  it('records the sampling parameters Anthropic takes', () => {
    const attributes = toRequestAttributes({
      model: 'claude-haiku-4-5',
      max_tokens: 512,
      temperature: 0,
      top_p: 0.95,
      top_k: 5,
      stop_sequences: ['END'],
      stream: true,
      messages: [],
    });

    expect(attributes).toEqual({
      'gen_ai.request.max_tokens': 512,
      'gen_ai.request.temperature': 0,
      'gen_ai.request.top_p': 0.95,
      'gen_ai.request.top_k': 5,
      'gen_ai.request.stop_sequences': ['END'],
      'gen_ai.request.stream': true,
    });
  });

  it('leaves out what the request does not set', () => {
    expect(toRequestAttributes({ model: 'claude-haiku-4-5', stream: false, stop_sequences: [] })).toEqual({});
  });

  it('builds no content without a capture function', () => {
    const attributes = toRequestAttributes({
      system: 'secret system prompt',
      messages: [{ role: 'user', content: 'secret question' }],
      tools: [{ name: 'lookup_order', input_schema: { type: 'object' } }],
    });

    expect(JSON.stringify(attributes)).not.toContain('secret');
  });

  it('captures messages, system instructions and tool definitions through the capture function', () => {
    const attributes = toRequestAttributes(
      {
        system: 'Be brief.',
        messages: [{ role: 'user', content: 'Hi' }],
        tools: [{ name: 'lookup_order', description: 'Finds an order', input_schema: { type: 'object' } }],
      },
      { capture },
    );

    expect(JSON.parse(attributes['gen_ai.input.messages'] as string)).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'Hi' }] }]);
    expect(JSON.parse(attributes['gen_ai.system_instructions'] as string)).toEqual([{ type: 'text', content: 'Be brief.' }]);
    expect(JSON.parse(attributes['gen_ai.tool.definitions'] as string)).toEqual([
      { type: 'function', name: 'lookup_order', description: 'Finds an order', parameters: { type: 'object' } },
    ]);
  });

  it('stores nothing when the capture function declines', () => {
    const attributes = toRequestAttributes({ system: 'x', messages: [{ role: 'user', content: 'Hi' }] }, { capture: () => undefined });

    expect(attributes).toEqual({});
  });
});

describe('toServerAttributes', () => {
  it('reads host and port from the base URL, with the scheme default port', () => {
    expect(toServerAttributes('https://api.anthropic.com')).toEqual({ 'server.address': 'api.anthropic.com', 'server.port': 443 });
    expect(toServerAttributes('http://127.0.0.1:8080/proxy')).toEqual({ 'server.address': '127.0.0.1', 'server.port': 8080 });
    expect(toServerAttributes('http://[::1]:9000')).toEqual({ 'server.address': '::1', 'server.port': 9000 });
  });

  it('records nothing for a missing or unparsable URL', () => {
    expect(toServerAttributes(undefined)).toEqual({});
    expect(toServerAttributes('not a url')).toEqual({});
  });
});

describe('toInputMessages', () => {
  it('maps text, images, tool calls, tool results and thinking to GenAI parts', () => {
    const messages = toInputMessages([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in this picture?' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png' } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'I should look it up.' },
          { type: 'tool_use', id: 'toolu_1', name: 'lookup', input: { q: 'cat' } },
        ],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'a cat' }] }] },
    ]);

    expect(messages).toEqual([
      {
        role: 'user',
        parts: [
          { type: 'text', content: 'What is in this picture?' },
          { type: 'blob', modality: 'image', mime_type: 'image/png' },
          { type: 'uri', modality: 'image', uri: 'https://example.com/a.png' },
        ],
      },
      {
        role: 'assistant',
        parts: [
          { type: 'reasoning', content: 'I should look it up.' },
          { type: 'tool_call', id: 'toolu_1', name: 'lookup', arguments: { q: 'cat' } },
        ],
      },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'toolu_1', response: 'a cat' }] },
    ]);
  });

  it('keeps a user message that mixes tool results and text as a user message', () => {
    const [message] = toInputMessages([
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: 'done' },
          { type: 'text', text: 'Thanks' },
        ],
      },
    ]);

    expect(message!.role).toBe('user');
  });
});

describe('toSystemInstructions', () => {
  it('accepts a string or text blocks, and nothing for an empty system prompt', () => {
    expect(toSystemInstructions('Be brief.')).toEqual([{ type: 'text', content: 'Be brief.' }]);
    expect(toSystemInstructions([{ type: 'text', text: 'Be brief.' }])).toEqual([{ type: 'text', content: 'Be brief.' }]);
    expect(toSystemInstructions('')).toBeUndefined();
    expect(toSystemInstructions(undefined)).toBeUndefined();
  });
});

describe('toInputTexts', () => {
  it('lists the system prompt and the text of each message for counting', () => {
    expect(
      toInputTexts({
        system: [{ type: 'text', text: 'Be brief.' }],
        messages: [
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: [{ type: 'text', text: 'Hello' }] },
        ],
      }),
    ).toEqual(['Be brief.', 'Hi', 'Hello']);
  });
});
