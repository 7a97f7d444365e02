// How the patch finds the client in what the module loader hands it. The real client is
// exercised end to end in chat-completions, responses and embeddings tests; here the exports
// take the shapes the loaders produce, without loading the client.
import { isWrapped } from '@opentelemetry/instrumentation';
import { describe, expect, it } from 'vitest';
import { OpenAIInstrumentation } from '../../src/openai/instrumentation.js';

function fakeClientClass() {
  class Completions {
    create(): string {
      return 'chat';
    }
  }
  class Responses {
    create(): string {
      return 'responses';
    }
  }
  class Embeddings {
    create(): string {
      return 'embeddings';
    }
  }
  return { Chat: { Completions }, Responses, Embeddings };
}

function definition() {
  const [openai] = new OpenAIInstrumentation({ enabled: false }).getModuleDefinitions();
  if (openai?.patch === undefined || openai.unpatch === undefined) throw new Error('no openai definition');
  return { ...openai, patch: openai.patch, unpatch: openai.unpatch };
}

describe('OpenAIInstrumentation', () => {
  it('targets openai 4.19 up to, not including, 8', () => {
    const openai = definition();
    expect(openai.name).toBe('openai');
    expect(openai.supportedVersions).toEqual(['>=4.19.0 <8']);
  });

  it('patches the client found under default in an ES module namespace', () => {
    const client = fakeClientClass();
    const namespace = { [Symbol.toStringTag]: 'Module', default: client };

    definition().patch(namespace);

    expect(isWrapped(client.Chat.Completions.prototype.create)).toBe(true);
    expect(isWrapped(client.Responses.prototype.create)).toBe(true);
    expect(isWrapped(client.Embeddings.prototype.create)).toBe(true);
  });

  it('patches the OpenAI export of CommonJS and unpatches it again', () => {
    const client = fakeClientClass();
    const exports = { OpenAI: client, default: client };
    const openai = definition();

    openai.patch(exports);
    expect(isWrapped(client.Chat.Completions.prototype.create)).toBe(true);
    openai.unpatch(exports);

    expect(isWrapped(client.Chat.Completions.prototype.create)).toBe(false);
    expect(new client.Chat.Completions().create()).toBe('chat');
  });

  it('patches what exists in clients older than the Responses API', () => {
    const { Chat, Embeddings } = fakeClientClass();

    definition().patch({ OpenAI: { Chat, Embeddings } });

    expect(isWrapped(Chat.Completions.prototype.create)).toBe(true);
    expect(isWrapped(Embeddings.prototype.create)).toBe(true);
  });
});
