import { context, diag, INVALID_SPAN_CONTEXT, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import {
  ATTR_CONVOTEL_COST_SOURCE,
  ATTR_CONVOTEL_COST_USD,
  ATTR_CONVOTEL_SPAN_KIND,
  ATTR_CONVOTEL_STEP_NAME,
  ATTR_CONVOTEL_STT_AUDIO_SECONDS,
  ATTR_CONVOTEL_STT_CONFIDENCE,
  ATTR_CONVOTEL_STT_LANGUAGE,
  ATTR_CONVOTEL_STT_TRANSCRIPT,
  ATTR_CONVOTEL_TTS_AUDIO_SECONDS,
  ATTR_CONVOTEL_TTS_CHARACTERS,
  ATTR_CONVOTEL_TTS_TTFB_MS,
  ATTR_CONVOTEL_TTS_VOICE,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  CONVOTEL_COST_SOURCE_VALUE_COMPUTED,
  CONVOTEL_SPAN_KIND_VALUE_STEP,
  CONVOTEL_STEP_NAME_VALUE_STT,
  CONVOTEL_STEP_NAME_VALUE_TTS,
  GEN_AI_OPERATION_NAME_VALUE_SPEECH_TO_TEXT,
  GEN_AI_OPERATION_NAME_VALUE_TEXT_TO_SPEECH,
  SPAN_NAME_STEP_PREFIX,
} from '@convotel/semconv';
import { toCapturedContent } from '../content/capture.js';
import { estimateSpeechCost } from '../cost/estimate.js';
import { getTracer } from '../tracer.js';
import type { StepHandle, StepOptions } from '../types.js';
import { runInSpan, type SpanOutcome } from './run-in-span.js';

/** Step options as span attributes; STT/TTS steps get the GenAI speech operation too. */
function toStepAttributes(name: string, options: StepOptions): Attributes {
  const attributes: Attributes = { ...options.attributes };
  if (options.provider !== undefined) attributes[ATTR_GEN_AI_PROVIDER_NAME] = options.provider;
  if (options.model !== undefined) {
    attributes[ATTR_GEN_AI_REQUEST_MODEL] = options.model;
    if (name === CONVOTEL_STEP_NAME_VALUE_STT) attributes[ATTR_GEN_AI_OPERATION_NAME] = GEN_AI_OPERATION_NAME_VALUE_SPEECH_TO_TEXT;
    if (name === CONVOTEL_STEP_NAME_VALUE_TTS) attributes[ATTR_GEN_AI_OPERATION_NAME] = GEN_AI_OPERATION_NAME_VALUE_TEXT_TO_SPEECH;
  }
  if (options.audioSeconds !== undefined) {
    attributes[name === CONVOTEL_STEP_NAME_VALUE_TTS ? ATTR_CONVOTEL_TTS_AUDIO_SECONDS : ATTR_CONVOTEL_STT_AUDIO_SECONDS] =
      options.audioSeconds;
  }
  if (options.confidence !== undefined) attributes[ATTR_CONVOTEL_STT_CONFIDENCE] = options.confidence;
  if (options.language !== undefined) attributes[ATTR_CONVOTEL_STT_LANGUAGE] = options.language;
  if (options.characters !== undefined) attributes[ATTR_CONVOTEL_TTS_CHARACTERS] = options.characters;
  if (options.voice !== undefined) attributes[ATTR_CONVOTEL_TTS_VOICE] = options.voice;
  if (options.ttfbMs !== undefined) attributes[ATTR_CONVOTEL_TTS_TTFB_MS] = options.ttfbMs;
  if (options.transcript !== undefined) {
    const transcript = toCapturedContent(options.transcript);
    if (transcript !== undefined) attributes[ATTR_CONVOTEL_STT_TRANSCRIPT] = transcript;
  }
  return attributes;
}

/** STT is priced per audio second and TTS per character; other steps carry no cost of their own. */
function toSpeechCost(name: string, options: StepOptions): number | undefined {
  if (options.model === undefined) return undefined;
  if (name === CONVOTEL_STEP_NAME_VALUE_STT && options.audioSeconds !== undefined) {
    return estimateSpeechCost('stt', options.provider, options.model, options.audioSeconds);
  }
  if (name === CONVOTEL_STEP_NAME_VALUE_TTS && options.characters !== undefined) {
    return estimateSpeechCost('tts', options.provider, options.model, options.characters);
  }
  return undefined;
}

/**
 * Runs `fn` as a step of the current turn (`stt`, `llm`, `tts`, `tool`, `retrieval`, `sql` or any
 * name). STT and TTS steps are costed from the price table when they end.
 */
export function step<T>(name: string, options: StepOptions, fn: (step: StepHandle) => T): T {
  let span: Span;
  let ctx: Context;
  let merged: StepOptions = { ...options };
  let handle: StepHandle;
  try {
    const parent = context.active();
    span = getTracer().startSpan(SPAN_NAME_STEP_PREFIX + name, undefined, parent);
    span.setAttributes({
      [ATTR_CONVOTEL_SPAN_KIND]: CONVOTEL_SPAN_KIND_VALUE_STEP,
      [ATTR_CONVOTEL_STEP_NAME]: name,
      ...toStepAttributes(name, options),
    });
    handle = {
      span,
      name,
      set: (more) => {
        merged = { ...merged, ...more, attributes: { ...merged.attributes, ...more.attributes } };
        span.setAttributes(toStepAttributes(name, more));
      },
    };
    ctx = trace.setSpan(parent, span);
  } catch (err) {
    diag.error('convotel: step span not started', err);
    return fn({ span: trace.wrapSpanContext(INVALID_SPAN_CONTEXT), name, set: () => {} });
  }
  return runInSpan(span, ctx, () => fn(handle), (ended: Span, _outcome: SpanOutcome) => {
    const usd = toSpeechCost(name, merged);
    if (usd !== undefined) {
      ended.setAttributes({ [ATTR_CONVOTEL_COST_USD]: usd, [ATTR_CONVOTEL_COST_SOURCE]: CONVOTEL_COST_SOURCE_VALUE_COMPUTED });
    }
    ended.end();
  });
}
