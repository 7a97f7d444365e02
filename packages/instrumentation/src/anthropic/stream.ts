// Pure: adds up the events of a streamed message into the message they describe
// (https://docs.anthropic.com/en/docs/build-with-claude/streaming). No I/O, no clock: callers
// pass the time of each event.
import type { ContentBlock, Message, StreamEvent, Usage } from './internal-types.js';

interface MutableUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
  output_tokens_details?: { thinking_tokens?: number };
}

interface BlockDraft {
  type: string;
  text?: string;
  thinking?: string;
  id?: string;
  name?: string;
  input?: unknown;
  /** tool_use arguments arrive as JSON text in pieces. */
  partialJson?: string;
}

/** What the events of one stream have said so far. */
export interface StreamAccumulation {
  readonly isCapturingContent: boolean;
  id?: string;
  model?: string;
  stopReason?: string;
  usage?: MutableUsage;
  /** Content blocks by index; kept only when capturing content. */
  readonly blocks: BlockDraft[];
  /** Milliseconds from the request to the first content delta. */
  firstContentMs?: number;
  /** `message_stop` arrived: the answer is complete. */
  isComplete: boolean;
}

export function createStreamAccumulation(options: { readonly isCapturingContent: boolean }): StreamAccumulation {
  return { isCapturingContent: options.isCapturingContent, blocks: [], isComplete: false };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

// message_start carries the input side; message_delta carries cumulative counts, where an
// absent or null field means "unchanged" (newer API versions repeat the input counts there).
function mergeUsage(into: MutableUsage, usage: Usage | null | undefined): void {
  if (usage === null || usage === undefined || typeof usage !== 'object') return;
  if (isCount(usage.input_tokens)) into.input_tokens = usage.input_tokens;
  if (isCount(usage.output_tokens)) into.output_tokens = usage.output_tokens;
  if (isCount(usage.cache_read_input_tokens)) into.cache_read_input_tokens = usage.cache_read_input_tokens;
  if (isCount(usage.cache_creation_input_tokens)) into.cache_creation_input_tokens = usage.cache_creation_input_tokens;
  const thinking = usage.output_tokens_details?.thinking_tokens;
  if (isCount(thinking)) into.output_tokens_details = { thinking_tokens: thinking };
}

function toBlockDraft(block: ContentBlock): BlockDraft {
  const draft: BlockDraft = { type: block.type };
  if (block.type === 'text') draft.text = block.text ?? '';
  if (block.type === 'thinking') draft.thinking = block.thinking ?? '';
  if (block.id !== undefined) draft.id = block.id;
  if (block.name !== undefined) draft.name = block.name;
  if (block.input !== undefined) draft.input = block.input;
  return draft;
}

function addDelta(draft: BlockDraft, delta: NonNullable<StreamEvent['delta']>): void {
  switch (delta.type) {
    case 'text_delta':
      draft.text = (draft.text ?? '') + (delta.text ?? '');
      break;
    case 'thinking_delta':
      draft.thinking = (draft.thinking ?? '') + (delta.thinking ?? '');
      break;
    case 'input_json_delta':
      draft.partialJson = (draft.partialJson ?? '') + (delta.partial_json ?? '');
      break;
    default:
      // signature_delta, citations_delta: nothing the span records.
      break;
  }
}

/** Adds one event, received `elapsedMs` after the request started. Unknown or malformed events are ignored. */
export function addStreamEvent(acc: StreamAccumulation, event: StreamEvent, elapsedMs: number): void {
  if (event === null || typeof event !== 'object') return;
  switch (event.type) {
    case 'message_start': {
      const message = event.message;
      if (message === undefined || message === null) return;
      if (typeof message.id === 'string') acc.id = message.id;
      if (typeof message.model === 'string') acc.model = message.model;
      acc.usage ??= {};
      mergeUsage(acc.usage, message.usage);
      return;
    }
    case 'content_block_start':
      if (acc.isCapturingContent && isCount(event.index) && event.content_block) {
        acc.blocks[event.index] = toBlockDraft(event.content_block);
      }
      return;
    case 'content_block_delta': {
      acc.firstContentMs ??= elapsedMs;
      const draft = isCount(event.index) ? acc.blocks[event.index] : undefined;
      if (acc.isCapturingContent && draft !== undefined && event.delta) addDelta(draft, event.delta);
      return;
    }
    case 'message_delta':
      if (typeof event.delta?.stop_reason === 'string') acc.stopReason = event.delta.stop_reason;
      acc.usage ??= {};
      mergeUsage(acc.usage, event.usage);
      return;
    case 'message_stop':
      acc.isComplete = true;
      return;
    default:
      return;
  }
}

function toContentBlock(draft: BlockDraft): ContentBlock {
  const { partialJson, ...block } = draft;
  if (partialJson === undefined || partialJson === '') return block;
  try {
    return { ...block, input: JSON.parse(partialJson) as unknown };
  } catch {
    // A stream cut mid-arguments leaves invalid JSON: keep the text.
    return { ...block, input: partialJson };
  }
}

/** The message the events so far describe, in the shape of a non-streamed response. */
export function toStreamedMessage(acc: StreamAccumulation): Message {
  return {
    id: acc.id,
    model: acc.model,
    role: 'assistant',
    content: acc.blocks.filter((draft) => draft !== undefined).map(toContentBlock),
    stop_reason: acc.stopReason ?? null,
    usage: acc.usage ?? null,
  };
}
