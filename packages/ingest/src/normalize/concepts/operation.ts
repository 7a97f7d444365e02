// The operation a span performs, mapped onto one enum from every instrumentation's spelling
// (reference §3, "Operation"). Pure.
import {
  ATTR_CONVOTEL_STEP_NAME,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  CONVOTEL_STEP_NAME_VALUE_STT,
  CONVOTEL_STEP_NAME_VALUE_TTS,
} from '@convotel/semconv';
import type { AttributeMap } from '../../otlp/types.js';
import { readString, type Found } from '../read/attributes.js';
import { OTHER_OPERATION_KEYS } from '../read/keys.js';
import { OPENLIT_AUDIO_VOICE_KEY } from '../flavours/openlit.js';
import { FLAVOUR_SPECS, flavourOperationAliases } from '../flavours/registry.js';
import type { Operation } from './operation-kind.js';

export type { Operation } from './operation-kind.js';

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
  ...flavourOperationAliases(),
};

const NAME_READERS = FLAVOUR_SPECS.flatMap((spec) => (spec.operationOfName === undefined ? [] : [spec.operationOfName]));

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
  const genAi = readString(attributes, ATTR_GEN_AI_OPERATION_NAME);
  if (genAi !== undefined) return { value: refineAudio(toOperation(genAi), genAi, attributes), key: ATTR_GEN_AI_OPERATION_NAME };
  for (const key of OTHER_OPERATION_KEYS) {
    const raw = readString(attributes, key);
    if (raw !== undefined) return { value: toOperation(raw), key };
  }
  const byName = operationFromName(name, attributes);
  if (byName !== undefined) return { value: byName, key: 'span.name' };
  const stepName = readString(attributes, ATTR_CONVOTEL_STEP_NAME);
  if (stepName === CONVOTEL_STEP_NAME_VALUE_STT) return { value: 'stt', key: ATTR_CONVOTEL_STEP_NAME };
  if (stepName === CONVOTEL_STEP_NAME_VALUE_TTS) return { value: 'tts', key: ATTR_CONVOTEL_STEP_NAME };
  return undefined;
}

function operationFromName(name: string, attributes: AttributeMap): Operation | undefined {
  for (const read of NAME_READERS) {
    const operation = read(name, attributes);
    if (operation !== undefined) return operation;
  }
  // OTel-style `{operation} {target}` names.
  const space = name.indexOf(' ');
  if (space === -1) return undefined;
  return knownOperation(name.slice(0, space));
}

// OpenLIT reports speech synthesis and transcription both as operation `audio`.
function refineAudio(operation: Operation, raw: string, attributes: AttributeMap): Operation {
  if (operation !== 'other' || raw.toLowerCase() !== 'audio') return operation;
  const model = readString(attributes, ATTR_GEN_AI_REQUEST_MODEL)?.toLowerCase() ?? '';
  if (readString(attributes, OPENLIT_AUDIO_VOICE_KEY) !== undefined || /tts|speech/.test(model)) return 'tts';
  return 'stt';
}
