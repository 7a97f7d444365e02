import type { InstrumentationConfig } from '@opentelemetry/instrumentation';

/** Options of {@link OpenAIInstrumentation}. */
export interface OpenAIInstrumentationConfig extends InstrumentationConfig {
  /**
   * Record prompts and completions (`gen_ai.input.messages`, `gen_ai.output.messages`,
   * `gen_ai.system_instructions`, `gen_ai.tool.definitions`) on this client's spans, redacted
   * and capped. `false` keeps content off these spans even when the global setting is on;
   * `true` currently takes effect only while the global setting is on as well.
   * Default: the global setting (`captureContent`, env `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT`).
   */
  captureMessageContent?: boolean;
}
