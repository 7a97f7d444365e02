// The operation a span performs, mapped onto one enum from every instrumentation's spelling
// (reference §3, "Operation"). Pure.
import {
  ATTR_CONVOTEL_STEP_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  CONVOTEL_STEP_NAME_VALUE_STT,
  CONVOTEL_STEP_NAME_VALUE_TTS,
} from '@convotel/semconv';
import type { AttributeMap } from '../../otlp/types.js';
import { readString, type Found } from '../read/attributes.js';
import { OPENLIT_AUDIO_VOICE_KEY, OPERATION_KEYS } from '../read/keys.js';
import { MASTRA_OPERATIONS } from '../flavours/mastra.js';

/** Operations the ingest distinguishes (reference §3, "Operation"). */
export type Operation =
  | 'chat'
  | 'text_completion'
  | 'embeddings'
  | 'execute_tool'
  | 'invoke_agent'
  | 'workflow'
  | 'retrieval'
  | 'stt'
  | 'tts'
  | 'step'
  | 'other';

const VALUES: Readonly<Record<string, Operation>> = {
  chat: 'chat',
  generate_content: 'chat',
  generate: 'chat',
  llm: 'chat',
  generation: 'chat',
  text_completion: 'text_completion',
  completion: 'text_completion',
  embeddings: 'embeddings',
  embedding: 'embeddings',
  execute_tool: 'execute_tool',
  tool: 'execute_tool',
  invoke_agent: 'invoke_agent',
  create_agent: 'invoke_agent',
  agent: 'invoke_agent',
  invoke_workflow: 'workflow',
  workflow: 'workflow',
  chain: 'workflow',
  task: 'workflow',
  execute_task: 'workflow',
  retrieval: 'retrieval',
  retriever: 'retrieval',
  speech_to_text: 'stt',
  stt: 'stt',
  transcription: 'stt',
  text_to_speech: 'tts',
  tts: 'tts',
  speech: 'tts',
  agent_step: 'step',
  ...MASTRA_OPERATIONS,
};

// AI SDK (legacy `ai.*` telemetry): provider calls end in doGenerate/doStream/doEmbed; the
// other `ai.*` operations are wrappers that repeat their children's usage.
const AI_SDK_PROVIDER_CALL = /^ai\.\w+\.(doGenerate|doStream|doEmbed)$/;
const AI_SDK_WRAPPER = /^ai\.(generateText|streamText|generateObject|streamObject|embed|embedMany)$/;
const AI_SDK_OPERATION_ID = 'ai.operationId';
const OPENLLMETRY_CHAT_NAME = /^\w+\.chat$/;
const OPENLLMETRY_COMPLETION_NAME = /^\w+\.completion$/;

/** Operation keys after `gen_ai.operation.name`, in lookup order. */
const OTHER_OPERATION_KEYS = [
  OPERATION_KEYS.openInference,
  OPERATION_KEYS.langfuse,
  OPERATION_KEYS.openLlmetryRequestType,
  OPERATION_KEYS.traceloopSpanKind,
] as const;

/** Maps one raw operation value (any case) onto the enum; `other` when unknown. */
export function toOperation(raw: string): Operation {
  return knownOperation(raw.trim().toLowerCase()) ?? 'other';
}

/** The operation a value names; own keys only (`constructor` is not an operation). */
function knownOperation(value: string): Operation | undefined {
  return Object.hasOwn(VALUES, value) ? VALUES[value] : undefined;
}

/** The span's operation and the key (or `span.name`) it was read from. */
export function readOperation(name: string, attributes: AttributeMap): Found<Operation> | undefined {
  const genAi = readString(attributes, OPERATION_KEYS.genAi);
  if (genAi !== undefined) return { value: refineAudio(toOperation(genAi), genAi, attributes), key: OPERATION_KEYS.genAi };
  for (const key of OTHER_OPERATION_KEYS) {
    const raw = readString(attributes, key);
    if (raw !== undefined) return { value: toOperation(raw), key };
  }
  const aiSdkName = readString(attributes, AI_SDK_OPERATION_ID);
  const byName = (aiSdkName === undefined ? undefined : operationFromName(aiSdkName)) ?? operationFromName(name);
  if (byName !== undefined) return { value: byName, key: 'span.name' };
  const stepName = readString(attributes, ATTR_CONVOTEL_STEP_NAME);
  if (stepName === CONVOTEL_STEP_NAME_VALUE_STT) return { value: 'stt', key: ATTR_CONVOTEL_STEP_NAME };
  if (stepName === CONVOTEL_STEP_NAME_VALUE_TTS) return { value: 'tts', key: ATTR_CONVOTEL_STEP_NAME };
  return undefined;
}

/** Whether a span name is a legacy AI SDK wrapper (`ai.generateText`, `ai.embed`, …). */
export function isAiSdkWrapper(name: string, attributes: AttributeMap): boolean {
  return AI_SDK_WRAPPER.test(readString(attributes, AI_SDK_OPERATION_ID) ?? name);
}

function operationFromName(name: string): Operation | undefined {
  // Every AI SDK name starts with `ai.`, every OpenLLMetry one ends in `.chat`/`.completion`:
  // most names are ruled out without running a pattern.
  if (name.startsWith('ai.')) {
    if (AI_SDK_PROVIDER_CALL.test(name)) return name.endsWith('doEmbed') ? 'embeddings' : 'chat';
    if (AI_SDK_WRAPPER.test(name)) return 'invoke_agent';
    if (name === 'ai.toolCall') return 'execute_tool';
  }
  // OpenLLMetry legacy span names.
  if (name.endsWith('.chat') && OPENLLMETRY_CHAT_NAME.test(name)) return 'chat';
  if (name.endsWith('.completion') && OPENLLMETRY_COMPLETION_NAME.test(name)) return 'text_completion';
  // OTel-style `{operation} {target}` names.
  const space = name.indexOf(' ');
  if (space === -1) return undefined;
  const first = name.slice(0, space);
  return knownOperation(first);
}

// OpenLIT reports speech synthesis and transcription both as operation `audio`.
function refineAudio(operation: Operation, raw: string, attributes: AttributeMap): Operation {
  if (operation !== 'other' || raw.toLowerCase() !== 'audio') return operation;
  const model = readString(attributes, ATTR_GEN_AI_REQUEST_MODEL)?.toLowerCase() ?? '';
  if (readString(attributes, OPENLIT_AUDIO_VOICE_KEY) !== undefined || /tts|speech/.test(model)) return 'tts';
  return 'stt';
}
