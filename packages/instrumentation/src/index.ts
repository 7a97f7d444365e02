export { init } from './init.js';
export { ConversationSpanProcessor } from './conversation-span-processor.js';
export { conversation, startConversation } from './spans/conversation.js';
export { turn } from './spans/turn.js';
export { step } from './spans/step.js';
export { llmCall } from './spans/llm-call.js';
export { labelLlmCalls } from './llm-labels.js';
export { recordEvent } from './spans/event.js';
export { redactText } from './content/redact.js';
export { OpenAIInstrumentation } from './openai/instrumentation.js';
export { AnthropicInstrumentation } from './anthropic/instrumentation.js';
export type { LlmLabels } from './llm-labels.js';
export type { AnthropicInstrumentationConfig } from './anthropic/types.js';
export type { OpenAIInstrumentationConfig } from './openai/types.js';
export type {
  Channel,
  ConversationHandle,
  ConversationOptions,
  EventAttributes,
  EventOptions,
  InstrumentationHandle,
  InstrumentationOptions,
  LlmCallHandle,
  LlmCallOptions,
  LlmCallResponse,
  LlmCallType,
  LlmMessage,
  LlmUsage,
  Metadata,
  RedactFn,
  StepHandle,
  StepOptions,
  TelephonyOptions,
  TurnHandle,
  TurnInterruption,
  TurnOptions,
} from './types.js';
