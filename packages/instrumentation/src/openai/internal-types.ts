// Shapes shared by the mapping modules; never re-exported from the package.

/**
 * Turns content into the string stored on a span (redacted, capped), or undefined to drop it.
 * Mapping functions receive one only when content is captured, so they never build message
 * structures nobody asked for.
 */
export type CaptureContent = (value: unknown) => string | undefined;

export interface MapOptions {
  /** Present only when content is captured. */
  readonly capture?: CaptureContent | undefined;
}

// OTel GenAI message parts (gen-ai-input-messages.json / gen-ai-output-messages.json).
export interface TextPart {
  type: 'text';
  content: string;
}
export interface ReasoningPart {
  type: 'reasoning';
  content: string;
}
export interface RefusalPart {
  type: 'refusal';
  content: string;
}
export interface ToolCallPart {
  type: 'tool_call';
  id?: string;
  name: string;
  arguments?: unknown;
}
export interface ToolCallResponsePart {
  type: 'tool_call_response';
  id?: string;
  response: unknown;
}
/** Media referenced by URL. */
export interface UriPart {
  type: 'uri';
  modality: string;
  uri: string;
}
/** Inline media; the bytes are left out to keep spans small. */
export interface BlobPart {
  type: 'blob';
  modality: string;
  mime_type?: string;
}
export interface FilePart {
  type: 'file';
  modality?: string;
  file_id?: string;
}

export type MessagePart =
  | TextPart
  | ReasoningPart
  | RefusalPart
  | ToolCallPart
  | ToolCallResponsePart
  | UriPart
  | BlobPart
  | FilePart;

export interface InputMessage {
  role: string;
  parts: MessagePart[];
  name?: string;
}

export interface OutputMessage {
  role: 'assistant';
  parts: MessagePart[];
  finish_reason?: string;
}

/** A function offered to the model, as `gen_ai.tool.definitions` records it. */
export interface ToolDefinition {
  type: string;
  name?: string;
  description?: string;
  parameters?: unknown;
}
