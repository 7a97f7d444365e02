// A step-like span → a `steps` row: our step spans, STT/TTS and retrieval spans, tools, and
// agent/workflow wrappers (which may stand in as an LLM call, see `fallbackLlmCall`). Pure.
import {
  ATTR_CONVOTEL_STEP_NAME,
  ATTR_CONVOTEL_STT_AUDIO_SECONDS,
  ATTR_CONVOTEL_STT_CONFIDENCE,
  ATTR_CONVOTEL_TTS_AUDIO_SECONDS,
  ATTR_CONVOTEL_TTS_TTFB_MS,
  SPAN_NAME_STEP_PREFIX,
} from '@convotel/semconv';
import type { AttributeMap } from '../../otlp/types.js';
import { readFirst, readNumber, readString } from '../read/attributes.js';
import { toCost, type CostEstimator, type CostUsage } from '../concepts/cost.js';
import {
  AGENT_NAME_KEYS,
  REQUEST_MODEL_KEYS,
  RESPONSE_MODEL_KEYS,
  TOOL_NAME_KEYS,
  STT_LANGUAGE_KEYS,
  TTS_CHARACTER_KEYS,
  TTS_VOICE_KEYS,
} from '../read/keys.js';
import { OPENLIT_AUDIO_DURATION_KEY } from '../flavours/openlit.js';
import { TRACELOOP_ENTITY_NAME_KEY, TRACELOOP_SPAN_KIND_KEY, TRACELOOP_WORKFLOW_KIND, TRACELOOP_WORKFLOW_NAME_KEY } from '../flavours/openllmetry.js';
import { PIPECAT_TTFB_SECONDS_KEY } from '../flavours/pipecat.js';
import { toLlmCallRow } from './llm-call.js';
import { usdToPicos } from '../units/money.js';
import { readProvider } from '../concepts/provider.js';
import { ownKeys } from '../flavours/registry.js';
import type { CostCategory, StepKind, StepRow } from '../rows.js';
import { toIdentifier } from '../read/sanitize.js';
import type { SpanRole } from './span-role.js';
import { optionalIdentifier, type SpanInput } from './span-input.js';
import { toRawAttributes } from './raw-attributes.js';
import { hasUsage, readUsage } from '../concepts/usage.js';

/** Roles stored as `steps` rows. */
export type StepRole = Extract<SpanRole, 'step' | 'speech' | 'tool' | 'agent' | 'workflow' | 'retrieval'>;

const KIND_BY_ROLE: Readonly<Record<StepRole, StepKind>> = {
  step: 'step',
  speech: 'step',
  retrieval: 'step',
  tool: 'tool',
  agent: 'agent',
  workflow: 'workflow',
};

/** Whether spans of this role become `steps` rows. */
export function isStepRole(role: SpanRole): role is StepRole {
  return role in KIND_BY_ROLE;
}

/**
 * The `steps` row of a step-like span, with its STT/TTS fields and (for speech) its cost; an
 * agent's stand-in call gets its messages cut to `maxContentLength` characters per text.
 */
export function toStepRow(input: SpanInput, role: StepRole, estimate: CostEstimator, maxContentLength: number): StepRow {
  const attributes = input.span.attributes;
  const check = input.values;
  const sourceKeys: Record<string, string> = {};
  const stepName = toStepName(input, role);
  const category = toCostCategory(stepName, input);
  const provider = readProvider(attributes, input.flavour);
  if (provider !== undefined) sourceKeys['provider'] = provider.key;
  const model =
    readFirst(attributes, RESPONSE_MODEL_KEYS, readString) ??
    readFirst(attributes, REQUEST_MODEL_KEYS, readString) ??
    readFirst(attributes, ownKeys(input.flavour, 'responseModel'), readString);
  if (model !== undefined) sourceKeys['model'] = model.key;

  const sttAudioSeconds = readNumber(attributes, ATTR_CONVOTEL_STT_AUDIO_SECONDS) ?? readNumber(attributes, OPENLIT_AUDIO_DURATION_KEY);
  const characters = readFirst(attributes, TTS_CHARACTER_KEYS, readNumber);
  const ttsCharacters = characters === undefined ? undefined : check.column('bigint', characters.key, characters.value);
  // Only our steps and speech calls carry their own cost; wrappers would repeat their children's.
  const isCosted = role === 'speech' || role === 'step';
  const cost = isCosted
    ? toCost(attributes, [model?.value], (name) => toSpeechUsage(category, name, provider?.value, sttAudioSeconds, ttsCharacters), estimate, check)
    : undefined;
  if (cost !== undefined) sourceKeys['cost_usd'] = cost.key;
  const pipecatTtfbSeconds = readNumber(attributes, PIPECAT_TTFB_SECONDS_KEY);

  // Base fields listed one by one: spreading them and adding more is ~100× slower in V8.
  const b = input.base;
  return {
    traceId: b.traceId,
    spanId: b.spanId,
    parentSpanId: b.parentSpanId,
    name: b.name,
    startedAt: b.startedAt,
    endedAt: b.endedAt,
    durationUs: b.durationUs,
    status: b.status,
    errorType: b.errorType,
    errorMessage: b.errorMessage,
    scopeName: b.scopeName,
    scopeVersion: b.scopeVersion,
    flavour: b.flavour,
    serviceName: b.serviceName,
    kind: KIND_BY_ROLE[role],
    stepName,
    operation: input.operation?.value,
    provider: optionalIdentifier(provider?.value),
    model: optionalIdentifier(model?.value),
    toolName: role === 'tool' ? stepName : undefined,
    sttAudioSeconds,
    sttConfidence: readNumber(attributes, ATTR_CONVOTEL_STT_CONFIDENCE),
    sttLanguage: optionalIdentifier(readFirst(attributes, STT_LANGUAGE_KEYS, readString)?.value),
    ttsCharacters,
    ttsVoice: optionalIdentifier(readFirst(attributes, TTS_VOICE_KEYS, readString)?.value),
    ttsAudioSeconds: readNumber(attributes, ATTR_CONVOTEL_TTS_AUDIO_SECONDS),
    ttsTtfbMs:
      readNumber(attributes, ATTR_CONVOTEL_TTS_TTFB_MS) ??
      check.column('double precision', PIPECAT_TTFB_SECONDS_KEY, pipecatTtfbSeconds === undefined ? undefined : pipecatTtfbSeconds * 1000),
    costPicos: cost === undefined ? undefined : usdToPicos(cost.usd),
    costSource: cost?.source,
    costCategory: cost === undefined ? undefined : category,
    attributes: toRawAttributes(attributes),
    sourceKeys,
    fallbackLlmCall: role === 'agent' && hasUsage(readUsage(attributes, input.flavour, provider?.value, check))
      ? toLlmCallRow(input, 'agent_fallback', estimate, maxContentLength)
      : undefined,
  };
}

function toStepName(input: SpanInput, role: StepRole): string {
  const { name, attributes } = input.span;
  const operation = input.operation?.value;
  switch (role) {
    case 'step':
      return toIdentifier(readString(attributes, ATTR_CONVOTEL_STEP_NAME) ?? stripPrefix(name, SPAN_NAME_STEP_PREFIX));
    case 'speech':
      return operation === 'tts' ? 'tts' : 'stt';
    case 'retrieval':
      return 'retrieval';
    case 'tool':
      return toIdentifier(readFirst(attributes, TOOL_NAME_KEYS, readString)?.value ?? traceloopEntity(attributes) ?? stripPrefix(name, 'execute_tool '));
    case 'agent':
      return toIdentifier(readFirst(attributes, AGENT_NAME_KEYS, readString)?.value ?? traceloopEntity(attributes) ?? name);
    case 'workflow':
      return toIdentifier(traceloopWorkflow(attributes) ?? traceloopEntity(attributes) ?? name);
  }
}

/** The workflow name, on a workflow's own span only: a task span carries its workflow's name too. */
function traceloopWorkflow(attributes: AttributeMap): string | undefined {
  const kind = readString(attributes, TRACELOOP_SPAN_KIND_KEY);
  return kind === undefined || kind === TRACELOOP_WORKFLOW_KIND ? readString(attributes, TRACELOOP_WORKFLOW_NAME_KEY) : undefined;
}

function traceloopEntity(attributes: AttributeMap): string | undefined {
  return attributes[TRACELOOP_SPAN_KIND_KEY] === undefined ? undefined : readString(attributes, TRACELOOP_ENTITY_NAME_KEY);
}

function toCostCategory(stepName: string, input: SpanInput): CostCategory {
  const operation = input.operation?.value;
  if (stepName === 'stt' || operation === 'stt') return 'stt';
  if (stepName === 'tts' || operation === 'tts') return 'tts';
  return 'other';
}

function toSpeechUsage(
  category: CostCategory,
  model: string,
  provider: string | undefined,
  audioSeconds: number | undefined,
  characters: number | undefined,
): CostUsage | undefined {
  const hint = provider === undefined ? {} : { provider };
  if (category === 'stt' && audioSeconds !== undefined) return { kind: 'stt', model, ...hint, audioSeconds };
  if (category === 'tts' && characters !== undefined) return { kind: 'tts', model, ...hint, characters };
  return undefined;
}

function stripPrefix(text: string, prefix: string): string {
  return text.startsWith(prefix) && text.length > prefix.length ? text.slice(prefix.length) : text;
}
