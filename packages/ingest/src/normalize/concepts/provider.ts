// Provider name: ordered keys, value spellings mapped to OTel `gen_ai.provider.name` values,
// and a last-resort guess from `server.address`. Pure.
import { ATTR_GEN_AI_SYSTEM, ATTR_SERVER_ADDRESS } from '@convotel/semconv';
import type { AttributeMap } from '../../otlp/types.js';
import { readString, type Found } from '../read/attributes.js';
import { PROVIDER_KEYS } from '../read/keys.js';
import { flavourSpec, ownKeys, type Flavour } from '../flavours/registry.js';
import { AI_SDK_PROVIDER_KEY } from '../flavours/vercel-ai.js';

const PROVIDER_ALIASES: Readonly<Record<string, string>> = {
  'az.ai.openai': 'azure.ai.openai',
  'az.ai.inference': 'azure.ai.inference',
  azure: 'azure.ai.openai',
  'azure-openai': 'azure.ai.openai',
  vertex_ai: 'gcp.vertex_ai',
  vertexai: 'gcp.vertex_ai',
  'google.vertex': 'gcp.vertex_ai',
  gemini: 'gcp.gemini',
  'google.generative-ai': 'gcp.gemini',
  'google-generative-ai': 'gcp.gemini',
  xai: 'x_ai',
  mistral: 'mistral_ai',
  mistralai: 'mistral_ai',
  'amazon-bedrock': 'aws.bedrock',
  aws: 'aws.bedrock',
  amazon: 'aws.bedrock',
  bedrock: 'aws.bedrock',
  // LangChain's `ls_provider` spellings.
  amazon_bedrock: 'aws.bedrock',
  google_vertexai: 'gcp.vertex_ai',
  google_genai: 'gcp.gemini',
};

// Framework names some SDKs (OpenLIT) put where the provider belongs: not a provider.
const FRAMEWORK_NAMES = new Set(['langchain', 'langgraph', 'llamaindex', 'vercel_ai', 'crewai', 'haystack']);

const HOST_GUESSES: readonly (readonly [RegExp, string])[] = [
  [/(^|\.)api\.openai\.com$/, 'openai'],
  [/\.openai\.azure\.com$/, 'azure.ai.openai'],
  [/(^|\.)api\.anthropic\.com$/, 'anthropic'],
  [/^bedrock-runtime\./, 'aws.bedrock'],
  [/(^|\.)generativelanguage\.googleapis\.com$/, 'gcp.gemini'],
  [/(^|\.)aiplatform\.googleapis\.com$/, 'gcp.vertex_ai'],
];

/** An OTel provider value for any spelling seen in the wild (`OpenAI`, `az.ai.openai`, `mistralai`). */
export function normalizeProvider(value: string): string {
  const lower = value.trim().toLowerCase();
  return PROVIDER_ALIASES[lower] ?? lower;
}

/** The span's provider, normalized, with the key it came from (`server.address` when guessed). */
export function readProvider(attributes: AttributeMap, flavour?: Flavour): Found<string> | undefined {
  const isAiSdkFlavour = flavour !== undefined && flavourSpec(flavour)?.providerIsAiSdkId === true;
  for (const key of PROVIDER_KEYS) {
    const raw = readString(attributes, key);
    if (raw === undefined) continue;
    // The AI SDK names the provider and the API together (`openai.chat`, `anthropic.messages`),
    // in `ai.model.provider` and, on legacy provider-call spans, in `gen_ai.system` too; Mastra
    // copies its AI SDK model's id into `gen_ai.system` (test/fixtures/mastra).
    const isAiSdkSpelling = key === AI_SDK_PROVIDER_KEY || (key === ATTR_GEN_AI_SYSTEM && isAiSdkFlavour);
    const value = isAiSdkSpelling ? aiSdkProvider(raw) : raw;
    const provider = normalizeProvider(value);
    if (FRAMEWORK_NAMES.has(provider)) continue;
    return { value: provider, key };
  }
  // Keys too loose to read on other flavours' spans (OpenInference's LangChain `metadata.ls_provider`,
  // Mastra's `modelProvider`).
  for (const key of flavour === undefined ? [] : ownKeys(flavour, 'provider')) {
    const raw = readString(attributes, key);
    if (raw !== undefined) return { value: normalizeProvider(isAiSdkFlavour ? aiSdkProvider(raw) : raw), key };
  }
  const host = readString(attributes, ATTR_SERVER_ADDRESS)?.toLowerCase();
  if (host === undefined) return undefined;
  const guess = HOST_GUESSES.find(([pattern]) => pattern.test(host));
  return guess === undefined ? undefined : { value: guess[1], key: ATTR_SERVER_ADDRESS };
}

function aiSdkProvider(raw: string): string {
  const lower = raw.toLowerCase();
  // Provider ids that themselves contain a dot.
  if (lower.startsWith('google.vertex')) return 'google.vertex';
  if (lower.startsWith('google.generative-ai')) return 'google.generative-ai';
  const dot = lower.indexOf('.');
  return dot === -1 ? lower : lower.slice(0, dot);
}
