// The Vercel AI SDK's telemetry (`ai`, `@ai-sdk/*`; `experimental_telemetry`):
// test/fixtures/vercel-ai. Its keys are spelled here and nowhere else. Pure.
//  - Legacy `ai.*` spans: provider calls end in doGenerate/doStream/doEmbed; the other
//    `ai.*` operations are wrappers repeating their children's usage.
//  - The provider and the API come together (`openai.chat`, `anthropic.messages`).
import type { AttributeMap } from '../../otlp/types.js';
import { readString } from '../read/attributes.js';
import type { Operation } from '../concepts/operation-kind.js';
import type { FlavourSpec } from './flavour-spec.js';

/** `{provider}.{api}`: the provider is used up to its first `.`. */
export const AI_SDK_PROVIDER_KEY = 'ai.model.provider';
const OPERATION_ID_KEY = 'ai.operationId';
const FUNCTION_ID_KEY = 'ai.telemetry.functionId';
const METADATA = 'ai.telemetry.metadata.';
export const AI_SDK_PROMPT_MESSAGES_KEY = 'ai.prompt.messages';
export const AI_SDK_PROMPT_KEY = 'ai.prompt';
export const AI_SDK_RESPONSE_TEXT_KEYS = ['ai.response.text', 'ai.response.object', 'ai.result.text'] as const;

const PROVIDER_CALL = /^ai\.\w+\.(doGenerate|doStream|doEmbed)$/;
const WRAPPER = /^ai\.(generateText|streamText|generateObject|streamObject|embed|embedMany)$/;

function operationOfName(name: string): Operation | undefined {
  if (!name.startsWith('ai.')) return undefined;
  if (PROVIDER_CALL.test(name)) return name.endsWith('doEmbed') ? 'embeddings' : 'chat';
  if (WRAPPER.test(name)) return 'invoke_agent';
  if (name === 'ai.toolCall') return 'execute_tool';
  return undefined;
}

/** Whether a span is a legacy AI SDK wrapper (`ai.generateText`, `ai.embed`, …). */
function isWrapperCall(name: string, attributes: AttributeMap): boolean {
  return WRAPPER.test(readString(attributes, OPERATION_ID_KEY) ?? name);
}

export const vercelAi = {
  name: 'vercel-ai',
  scopePrefixes: ['@ai-sdk/'],
  // Its legacy telemetry's bare scope name.
  scopeNames: ['ai'],
  markerPrefixes: ['ai.'],
  keys: {
    conversationId: [`${METADATA}conversationId`, `${METADATA}sessionId`],
    userId: [`${METADATA}userId`],
    sessionId: [`${METADATA}sessionId`],
    requestModel: ['ai.model.id'],
    responseModel: ['ai.response.model'],
    provider: [AI_SDK_PROVIDER_KEY],
    // embed/embedMany: `ai.usage.tokens` is their only count, and it counts input.
    inputTokens: ['ai.usage.inputTokens', 'ai.usage.promptTokens', 'ai.usage.tokens'],
    outputTokens: ['ai.usage.outputTokens', 'ai.usage.completionTokens'],
    cacheReadTokens: ['ai.usage.inputTokenDetails.cacheReadTokens', 'ai.usage.cachedInputTokens'],
    cacheWriteTokens: ['ai.usage.inputTokenDetails.cacheWriteTokens'],
    reasoningTokens: ['ai.usage.outputTokenDetails.reasoningTokens', 'ai.usage.reasoningTokens'],
    totalTokens: ['ai.usage.totalTokens', 'ai.usage.tokens'],
    finishReason: ['ai.response.finishReason'],
    toolName: ['ai.toolCall.name'],
    agentName: [FUNCTION_ID_KEY],
    function: [FUNCTION_ID_KEY],
    temperature: ['ai.settings.temperature'],
    maxTokens: ['ai.settings.maxOutputTokens', 'ai.settings.maxTokens'],
    contentKeyPrefixes: [AI_SDK_PROMPT_KEY, ...AI_SDK_RESPONSE_TEXT_KEYS],
  },
  ttftKeys: [
    { key: 'ai.response.msToFirstChunk', toMs: 1 },
    { key: 'ai.stream.msToFirstChunk', toMs: 1 },
  ],
  operationOfName: (name, attributes) => {
    const operationId = readString(attributes, OPERATION_ID_KEY);
    return (operationId === undefined ? undefined : operationOfName(operationId)) ?? operationOfName(name);
  },
  isWrapperCall,
  providerIsAiSdkId: true,
} as const satisfies FlavourSpec;
