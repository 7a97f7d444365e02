import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnthropicServer, type AnthropicServer } from '../helpers/anthropic-server.js';
import { instrumentation, ownSpans, tracing } from './load-client.js';

// require-in-the-middle sees only CommonJS; under `node --import …/register` ES modules reach the
// same patch function as a module namespace (import-in-the-middle). Hand it the real ESM build.
let server: AnthropicServer;

beforeAll(async () => {
  server = await startAnthropicServer();
});
afterAll(() => server.close());

describe('AnthropicInstrumentation', () => {
  it('patches the ES module build through its namespace', async () => {
    const namespace = await import('@anthropic-ai/sdk');
    expect((namespace as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag]).toBe('Module');
    const [definition] = instrumentation.getModuleDefinitions();
    const params = { model: 'claude-haiku-4-5', max_tokens: 64, messages: [{ role: 'user' as const, content: 'hi' }] };
    const client = new namespace.default({ baseURL: server.baseURL, apiKey: 'test', maxRetries: 0 });

    // A module of its own: the require hook has not patched it.
    await client.messages.create(params);
    expect(ownSpans(await tracing.spans())).toHaveLength(0);

    definition!.patch?.(namespace);
    try {
      await client.messages.create(params);
      expect(ownSpans(await tracing.spans())).toHaveLength(1);
    } finally {
      definition!.unpatch?.(namespace);
    }

    tracing.reset();
    await client.messages.create(params);
    expect(ownSpans(await tracing.spans())).toHaveLength(0);
  });
});
