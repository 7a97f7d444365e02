// A span → an `llm_calls` row: provider, models, usage, cost, timing, outcome and content. Pure.
import {
  ATTR_CONVOTEL_LLM_CALL_TYPE,
  ATTR_CONVOTEL_USAGE_ESTIMATED,
  ATTR_GEN_AI_RESPONSE_ID,
  CONVOTEL_LLM_CALL_TYPE_VALUES,
} from '@convotel/semconv';
import type { AttributeMap, Span } from '../../otlp/types.js';
import { asObject, getValue, readBoolean, readFirst, readNumber, readString, readStringArray, toNumber, type Found } from '../read/attributes.js';
import type { SpanValueCheck } from '../read/dropped-values.js';
import { readInputContent, readOutputContent, toStorableMessages } from '../concepts/content.js';
import { readReportedCostOrigin, toCost, type CostEstimator, type CostUsage } from '../concepts/cost.js';
import {
  FUNCTION_KEYS,
  MAX_TOKENS_KEYS,
  REQUEST_MODEL_KEYS,
  RESPONSE_MODEL_KEYS,
  TAG_KEYS,
  TEMPERATURE_KEYS,
  TTFT_KEYS,
} from '../read/keys.js';
import { LANGFUSE_COMPLETION_START_KEY } from '../flavours/langfuse.js';
import { OPENINFERENCE_INVOCATION_PARAMETERS_KEY } from '../flavours/openinference.js';
import { SPAN_LIMITS } from '../units/column-range.js';
import { usdToPicos } from '../units/money.js';
import type { Operation } from '../concepts/operation-kind.js';
import { readProvider } from '../concepts/provider.js';
import type { Billing, LlmCallRow } from '../rows.js';
import { toStorableText, toStorableValue } from '../read/sanitize.js';
import { optionalIdentifier, type SpanInput } from './span-input.js';
import { toRawAttributes } from './raw-attributes.js';
import { readFinishReason } from '../concepts/status.js';
import { hasUsage, readUsage, type TokenUsage } from '../concepts/usage.js';

const CALL_TYPES: ReadonlySet<string> = new Set(CONVOTEL_LLM_CALL_TYPE_VALUES);

/**
 * The `llm_calls` row of a span (`billing` says whether it is a provider call or an agent
 * stand-in); its messages cut to `maxContentLength` characters per text.
 */
export function toLlmCallRow(input: SpanInput, billing: Billing, estimate: CostEstimator, maxContentLength: number): LlmCallRow {
  const { span } = input;
  const check = input.values;
  const attributes = span.attributes;
  const sourceKeys: Record<string, string> = {};
  const note = (concept: string, key: string | undefined): void => {
    if (key !== undefined) sourceKeys[concept] = key;
  };

  const provider = readProvider(attributes, input.flavour);
  note('provider', provider?.key);
  const requestModel = readFirst(attributes, REQUEST_MODEL_KEYS, readString);
  note('request_model', requestModel?.key);
  const responseModel = readFirst(attributes, RESPONSE_MODEL_KEYS, readString);
  note('response_model', responseModel?.key);
  const operation: Operation = input.operation?.value ?? 'chat';
  note('operation', input.operation?.key);

  const usage = readUsage(attributes, input.flavour, provider?.value, check);
  Object.assign(sourceKeys, usage.sourceKeys);
  const cost = toCost(attributes, [responseModel?.value, requestModel?.value], (model) => toLlmUsage(model, provider?.value, usage), estimate, check);
  note('cost_usd', cost?.key);
  if (cost?.source === 'reported') note('cost_origin', readReportedCostOrigin(attributes));

  const ttft = readTtftMs(span, check);
  note('ttft', ttft?.key);
  const prompt = readInputContent(attributes, span.events);
  note('input_messages', prompt?.key);
  const output = readOutputContent(attributes, span.events);
  note('output_messages', output?.key);
  const callType = readString(attributes, ATTR_CONVOTEL_LLM_CALL_TYPE);

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
    billing,
    twinSpanId: undefined,
    provider: optionalIdentifier(provider?.value),
    requestModel: optionalIdentifier(requestModel?.value),
    responseModel: optionalIdentifier(responseModel?.value),
    operation,
    callType: callType !== undefined && CALL_TYPES.has(callType) ? callType : operation === 'embeddings' ? 'embedding' : 'chat',
    functionName: optionalIdentifier(readFirst(attributes, FUNCTION_KEYS, readString)?.value),
    tags: readFirst(attributes, TAG_KEYS, readStringArray)?.value.map(toStorableText),
    responseId: optionalIdentifier(readString(attributes, ATTR_GEN_AI_RESPONSE_ID)),
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    cacheReadTokens: usage.cacheReadTokens,
    cacheWriteTokens: usage.cacheWriteTokens,
    reasoningTokens: usage.reasoningTokens,
    audioInputTokens: usage.audioInputTokens,
    audioOutputTokens: usage.audioOutputTokens,
    totalTokens: usage.totalTokens,
    isUsageEstimated: readBoolean(attributes, ATTR_CONVOTEL_USAGE_ESTIMATED) ?? false,
    costPicos: cost === undefined ? undefined : usdToPicos(cost.usd),
    costSource: cost?.source,
    ttftMs: ttft?.value,
    finishReason: optionalIdentifier(readFinishReason(attributes, output?.messages)),
    temperature: readFirst(attributes, TEMPERATURE_KEYS, readNumber)?.value ?? readInvocationParameter(attributes, ['temperature'])?.value,
    maxTokens: checkedMaxTokens(check, readFirst(attributes, MAX_TOKENS_KEYS, readNumber) ?? readInvocationParameter(attributes, ['max_tokens', 'max_completion_tokens'])),
    inputMessages: prompt === undefined || prompt.messages.length === 0 ? undefined : toStorableMessages(prompt.messages, maxContentLength),
    outputMessages: output === undefined ? undefined : toStorableMessages(output.messages, maxContentLength),
    systemInstructions: prompt?.systemInstructions === undefined ? undefined : toStorableValue(prompt.systemInstructions, maxContentLength),
    attributes: toRawAttributes(attributes),
    sourceKeys,
  };
}

/** Usage in the shape the price table takes; undefined when the span reports no tokens. */
function toLlmUsage(model: string, provider: string | undefined, usage: TokenUsage): CostUsage | undefined {
  if (!hasUsage(usage)) return undefined;
  return {
    kind: 'llm',
    model,
    ...(provider === undefined ? {} : { provider }),
    inputTokens: usage.inputTokens ?? 0,
    outputTokens: usage.outputTokens ?? 0,
    ...(usage.cacheReadTokens === undefined ? {} : { cacheReadInputTokens: usage.cacheReadTokens }),
    ...(usage.cacheWriteTokens === undefined ? {} : { cacheWriteInputTokens: usage.cacheWriteTokens }),
    ...(usage.reasoningTokens === undefined ? {} : { reasoningOutputTokens: usage.reasoningTokens }),
    ...(usage.audioInputTokens === undefined ? {} : { audioInputTokens: usage.audioInputTokens }),
    ...(usage.audioOutputTokens === undefined ? {} : { audioOutputTokens: usage.audioOutputTokens }),
  };
}

/**
 * Time to first token in ms, from the first TTFT key present (units normalized); one over the
 * per-span limit is dropped (noted by `check`).
 */
export function readTtftMs(span: Pick<Span, 'attributes' | 'startTimeUnixNano'>, check: SpanValueCheck): Found<number> | undefined {
  for (const { key, toMs } of TTFT_KEYS) {
    const value = readNumber(span.attributes, key);
    const ms = value === undefined || value < 0 ? undefined : check.atMost(key, value * toMs, SPAN_LIMITS.ttftMs, 'ms');
    if (ms !== undefined) return { value: ms, key };
  }
  const completionStart = readString(span.attributes, LANGFUSE_COMPLETION_START_KEY);
  const startedMs = completionStart === undefined ? Number.NaN : Date.parse(completionStart);
  if (Number.isFinite(startedMs)) {
    const ttft = startedMs - Number(span.startTimeUnixNano / 1_000_000n);
    const ms = ttft >= 0 ? check.atMost(LANGFUSE_COMPLETION_START_KEY, ttft, SPAN_LIMITS.ttftMs, 'ms') : undefined;
    if (ms !== undefined) return { value: ms, key: LANGFUSE_COMPLETION_START_KEY };
  }
  return undefined;
}

/** `max_tokens` if it fits its bigint column (else dropped, noted by `check`). */
function checkedMaxTokens(check: SpanValueCheck, found: Found<number> | undefined): number | undefined {
  return found === undefined ? undefined : check.column('bigint', found.key, found.value);
}

function readInvocationParameter(attributes: AttributeMap, names: readonly string[]): Found<number> | undefined {
  const parameters = asObject(getValue(attributes, OPENINFERENCE_INVOCATION_PARAMETERS_KEY));
  if (parameters === undefined) return undefined;
  for (const name of names) {
    const value = toNumber(parameters[name]);
    if (value !== undefined) return { value, key: `${OPENINFERENCE_INVOCATION_PARAMETERS_KEY}.${name}` };
  }
  return undefined;
}

