import { describe, expect, it } from 'vitest';
import { normalizeProvider, readProvider } from '../../../src/normalize/concepts/provider.js';

describe('provider', () => {
  it('maps old and vendor spellings to OTel values', () => {
    const cases: [string, string][] = [
      ['OpenAI', 'openai'],
      ['Azure', 'azure.ai.openai'],
      ['az.ai.inference', 'azure.ai.inference'],
      ['vertex_ai', 'gcp.vertex_ai'],
      ['gemini', 'gcp.gemini'],
      ['xai', 'x_ai'],
      ['mistralai', 'mistral_ai'],
      ['amazon-bedrock', 'aws.bedrock'],
      ['anthropic', 'anthropic'],
    ];
    expect(cases.map(([raw]) => normalizeProvider(raw))).toEqual(cases.map(([, expected]) => expected));
  });

  it('prefers gen_ai.provider.name to gen_ai.system, and skips framework names', () => {
    expect(readProvider({ 'gen_ai.system': 'az.ai.openai', 'gen_ai.provider.name': 'openai' })).toEqual({ value: 'openai', key: 'gen_ai.provider.name' });
    expect(readProvider({ 'gen_ai.system': 'langchain', 'llm.provider': 'anthropic' })).toEqual({ value: 'anthropic', key: 'llm.provider' });
  });

  it("reads LangChain's ls_provider from an OpenInference span's metadata JSON, after every provider key", () => {
    const metadata = (provider: string) => JSON.stringify({ ls_provider: provider, ls_model_name: 'm' });
    expect(readProvider({ metadata: metadata('openai') }, 'openinference')).toEqual({ value: 'openai', key: 'metadata.ls_provider' });
    expect(readProvider({ metadata: metadata('google_vertexai') }, 'openinference')?.value).toBe('gcp.vertex_ai');
    expect(readProvider({ metadata: metadata('openai'), 'llm.provider': 'azure' }, 'openinference')).toEqual({ value: 'azure.ai.openai', key: 'llm.provider' });
    // Another flavour's `metadata` is its own business.
    expect(readProvider({ metadata: metadata('openai') }, 'openllmetry')).toBeUndefined();
  });

  it('cuts the AI SDK provider id at its API suffix', () => {
    expect(readProvider({ 'ai.model.provider': 'anthropic.messages' })).toEqual({ value: 'anthropic', key: 'ai.model.provider' });
    expect(readProvider({ 'ai.model.provider': 'google.vertex.chat' })?.value).toBe('gcp.vertex_ai');
    expect(readProvider({ 'gen_ai.system': 'openai.responses' }, 'vercel-ai')?.value).toBe('openai');
    // Mastra copies its AI SDK model's provider id into gen_ai.system.
    expect(readProvider({ 'gen_ai.system': 'openai.chat' }, 'mastra')).toEqual({ value: 'openai', key: 'gen_ai.system' });
    expect(readProvider({ 'gen_ai.system': 'openai.chat' }, 'otel-genai')?.value).toBe('openai.chat');
  });

  it('guesses from server.address last', () => {
    expect(readProvider({ 'server.address': 'api.anthropic.com' })).toEqual({ value: 'anthropic', key: 'server.address' });
    expect(readProvider({ 'server.address': 'myco.openai.azure.com' })?.value).toBe('azure.ai.openai');
    expect(readProvider({ 'server.address': 'localhost' })).toBeUndefined();
  });
});
