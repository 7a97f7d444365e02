// The parts of Anthropic's Messages API wire format that the instrumentation reads
// (https://docs.anthropic.com/en/api/messages), and the OTel GenAI message shapes it writes.
// Structural and loose on purpose: every SDK version in the supported range fits, the client
// stays a devDependency, and tests pass plain objects. Never re-exported from the package.

/** A content block of a request or response message: text, image, tool_use, tool_result, thinking… */
export interface ContentBlock {
  readonly type: string;
  readonly text?: string;
  readonly thinking?: string;
  /** tool_use / server_tool_use */
  readonly id?: string;
  readonly name?: string;
  readonly input?: unknown;
  /** tool_result */
  readonly tool_use_id?: string;
  readonly content?: unknown;
  /** image / document */
  readonly source?: { readonly type?: string; readonly media_type?: string; readonly url?: string };
}

export interface MessageParam {
  readonly role: string;
  readonly content: string | readonly ContentBlock[];
}

export interface ToolParam {
  readonly name: string;
  readonly type?: string;
  readonly description?: string;
  readonly input_schema?: unknown;
}

/** The body of `messages.create` as far as telemetry goes. */
export interface MessageCreateParams {
  readonly model?: string;
  readonly messages?: readonly MessageParam[];
  readonly system?: string | readonly ContentBlock[];
  readonly tools?: readonly ToolParam[];
  readonly max_tokens?: number;
  readonly temperature?: number;
  readonly top_p?: number;
  readonly top_k?: number;
  readonly stop_sequences?: readonly string[];
  readonly stream?: boolean;
}

/** Anthropic's usage: `input_tokens` excludes the cached tokens, unlike OTel's. */
export interface Usage {
  readonly input_tokens?: number | null;
  readonly output_tokens?: number | null;
  readonly cache_read_input_tokens?: number | null;
  readonly cache_creation_input_tokens?: number | null;
  readonly output_tokens_details?: { readonly thinking_tokens?: number | null } | null;
}

/** A response message, or the one a stream adds up to. */
export interface Message {
  readonly id?: string;
  readonly model?: string;
  readonly role?: string;
  readonly content?: readonly ContentBlock[];
  readonly stop_reason?: string | null;
  readonly usage?: Usage | null;
}

/** One server-sent event of a streamed message, parsed. */
export interface StreamEvent {
  readonly type: string;
  /** message_start */
  readonly message?: Message;
  /** content_block_* */
  readonly index?: number;
  readonly content_block?: ContentBlock;
  /** content_block_delta: `text_delta`, `input_json_delta`, `thinking_delta`…; message_delta: `stop_reason` */
  readonly delta?: {
    readonly type?: string;
    readonly text?: string;
    readonly partial_json?: string;
    readonly thinking?: string;
    readonly stop_reason?: string | null;
  };
  /** message_delta: cumulative counts; fields may be absent or null */
  readonly usage?: Usage | null;
}

/** A part of an OTel GenAI message (`gen_ai.input.messages` / `gen_ai.output.messages` schema). */
export type GenAiPart =
  | { readonly type: 'text'; readonly content: string }
  | { readonly type: 'reasoning'; readonly content: string }
  | { readonly type: 'tool_call'; readonly id?: string; readonly name: string; readonly arguments: unknown }
  | { readonly type: 'tool_call_response'; readonly id?: string; readonly response: unknown }
  | { readonly type: 'blob' | 'uri'; readonly modality: string; readonly mime_type?: string; readonly uri?: string }
  | { readonly type: string; readonly [key: string]: unknown };

export interface GenAiMessage {
  readonly role: string;
  readonly parts: readonly GenAiPart[];
}

export interface GenAiOutputMessage extends GenAiMessage {
  readonly finish_reason: string;
}
