import type { InstrumentationConfig } from '@opentelemetry/instrumentation';

/** Options of {@link AnthropicInstrumentation}. */
export interface AnthropicInstrumentationConfig extends InstrumentationConfig {
  /**
   * Record prompts, system instructions, tool definitions and answers (`gen_ai.input.messages`,
   * `gen_ai.system_instructions`, `gen_ai.tool.definitions`, `gen_ai.output.messages`) on this
   * client's spans, redacted and capped. Default: the global setting (`captureContent`, env
   * `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT`).
   */
  captureMessageContent?: boolean;
}
