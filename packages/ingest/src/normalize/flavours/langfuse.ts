// Langfuse's OTel SDKs (`langfuse.*` keys, scope `langfuse…`). Its keys are spelled here and
// nowhere else. Pure.
//  - Usage and cost come as JSON documents (`usage_details`, `cost_details`).
//  - A failed observation is level ERROR with a status message, not span status ERROR.
import type { FlavourSpec } from './flavour-spec.js';

const TRACE_METADATA = 'langfuse.trace.metadata.';
const OBSERVATION_METADATA = 'langfuse.observation.metadata.';
export const LANGFUSE_OBSERVATION_TYPE_KEY = 'langfuse.observation.type';
/** Usage document and the fields read from it. */
export const LANGFUSE_USAGE_DETAILS_KEY = 'langfuse.observation.usage_details';
export const LANGFUSE_USAGE_FIELDS = {
  input: 'input',
  output: 'output',
  cacheRead: 'input_cached_tokens',
  cacheWrite: 'input_cache_creation',
} as const;
export const LANGFUSE_COST_DETAILS_KEY = 'langfuse.observation.cost_details';
/** An ISO timestamp; time to first token is it minus the span start. */
export const LANGFUSE_COMPLETION_START_KEY = 'langfuse.observation.completion_start_time';
export const LANGFUSE_LEVEL_KEY = 'langfuse.observation.level';
export const LANGFUSE_STATUS_MESSAGE_KEY = 'langfuse.observation.status_message';
export const LANGFUSE_INPUT_KEY = 'langfuse.observation.input';
export const LANGFUSE_OUTPUT_KEY = 'langfuse.observation.output';

export const langfuse = {
  name: 'langfuse',
  scopePrefixes: ['langfuse'],
  markerPrefixes: ['langfuse.'],
  keys: {
    conversationId: ['langfuse.session.id', `${TRACE_METADATA}langfuse_session_id`, `${OBSERVATION_METADATA}langfuse_session_id`],
    userId: ['langfuse.user.id', `${TRACE_METADATA}langfuse_user_id`, `${OBSERVATION_METADATA}langfuse_user_id`],
    sessionId: ['langfuse.session.id'],
    responseModel: ['langfuse.observation.model.name'],
    operation: [LANGFUSE_OBSERVATION_TYPE_KEY],
    agentName: ['langfuse.trace.name'],
    tags: ['langfuse.trace.tags'],
    contentKeyPrefixes: [LANGFUSE_INPUT_KEY, LANGFUSE_OUTPUT_KEY],
  },
} as const satisfies FlavourSpec;
