// Patches the `openai` client: one CLIENT span per chat.completions, responses and embeddings call.
// Lifecycle only (wrapping, spans, timing); what is recorded comes from map-request/map-response.
import { context, trace, type Context, type Span } from '@opentelemetry/api';
import { InstrumentationBase, InstrumentationNodeModuleDefinition, isWrapped } from '@opentelemetry/instrumentation';
import {
  GEN_AI_OPERATION_NAME_VALUE_CHAT,
  GEN_AI_OPERATION_NAME_VALUE_EMBEDDINGS,
  GEN_AI_PROVIDER_NAME_VALUE_OPENAI,
} from '@convotel/semconv';
import type { ChatCompletion, ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { CreateEmbeddingResponse, EmbeddingCreateParams } from 'openai/resources/embeddings';
import type { Response as ResponsesResponse, ResponseCreateParams } from 'openai/resources/responses/responses';
import { isContentCaptured, toCapturedContent } from '../content/capture.js';
import { endLlmSpan, failLlmSpan, startLlmSpan, type LlmRequest, type LlmResponse } from '../spans/llm-span.js';
import { SCOPE_NAME, SCOPE_VERSION } from '../tracer.js';
import { toServerAttributes } from '../spans/server-attributes.js';
import { observeApiPromise } from './api-promise.js';
import type { CaptureContent, MapOptions } from './internal-types.js';
import {
  toChatInputTexts,
  toChatRequestAttributes,
  toEmbeddingsInputTexts,
  toEmbeddingsRequestAttributes,
  toResponsesInputTexts,
  toResponsesRequestAttributes,
} from './map-request.js';
import { toChatResponse, toEmbeddingsResponse, toResponsesResponse } from './map-response.js';
import {
  createChatStreamAccumulator,
  createResponsesStreamAccumulator,
  observeIterator,
  type StreamAccumulator,
} from './stream.js';
import type { OpenAIInstrumentationConfig } from './types.js';

/**
 * Every supported version has an upper bound: a new major is tested before it is patched. Both
 * ends run in test/openai/client-versions.test.ts; openai 7 declares Node ≥ 22 and runs there on
 * a Node 22 binary its test project pins.
 */
const SUPPORTED_VERSIONS = ['>=4.19.0 <8'];

type Params = Record<string, unknown>;
type CreateMethod = (this: unknown, ...args: unknown[]) => unknown;

/** How one patched `create` method is recorded. */
interface Endpoint {
  readonly operation: string;
  toAttributes(params: Params, options: MapOptions): LlmRequest['attributes'];
  toInputTexts(params: Params): string[];
  toResponse(body: unknown, options: MapOptions): LlmResponse;
  /** Present for endpoints that stream when called with `stream: true`. */
  createStreamAccumulator?(): StreamAccumulator<unknown>;
}

const CHAT_COMPLETIONS: Endpoint = {
  operation: GEN_AI_OPERATION_NAME_VALUE_CHAT,
  toAttributes: (params, options) => toChatRequestAttributes(params as unknown as ChatCompletionCreateParams, options),
  toInputTexts: (params) => toChatInputTexts(params as unknown as ChatCompletionCreateParams),
  toResponse: (body, options) => toChatResponse(body as ChatCompletion, options),
  createStreamAccumulator: createChatStreamAccumulator as () => StreamAccumulator<unknown>,
};

const RESPONSES: Endpoint = {
  operation: GEN_AI_OPERATION_NAME_VALUE_CHAT,
  toAttributes: (params, options) => toResponsesRequestAttributes(params as unknown as ResponseCreateParams, options),
  toInputTexts: (params) => toResponsesInputTexts(params as unknown as ResponseCreateParams),
  toResponse: (body, options) => toResponsesResponse(body as ResponsesResponse, options),
  createStreamAccumulator: createResponsesStreamAccumulator as () => StreamAccumulator<unknown>,
};

const EMBEDDINGS: Endpoint = {
  operation: GEN_AI_OPERATION_NAME_VALUE_EMBEDDINGS,
  toAttributes: (params) => toEmbeddingsRequestAttributes(params as unknown as EmbeddingCreateParams),
  toInputTexts: (params) => toEmbeddingsInputTexts(params as unknown as EmbeddingCreateParams),
  toResponse: (body) => toEmbeddingsResponse(body as CreateEmbeddingResponse),
};

/** One call in flight. */
interface LlmCall {
  readonly endpoint: Endpoint;
  readonly span: Span;
  readonly request: LlmRequest;
  /** The active context with the call's span: the client's own HTTP spans nest under it. */
  readonly context: Context;
  readonly options: MapOptions;
  readonly isStream: boolean;
  /** `performance.now()` when the call was made. */
  readonly startedAtMs: number;
}

// The ESM namespace (import-in-the-middle) holds the client as `default`; CommonJS exports it as `OpenAI` too.
interface ClientClass {
  readonly Chat?: { readonly Completions?: { readonly prototype: unknown } };
  readonly Responses?: { readonly prototype: unknown };
  readonly Embeddings?: { readonly prototype: unknown };
}

function toClientClass(moduleExports: unknown): ClientClass | undefined {
  let root = moduleExports as Record<string | symbol, unknown> | undefined;
  if (root?.[Symbol.toStringTag] === 'Module') root = (root.default as Record<string | symbol, unknown> | undefined) ?? root;
  return (root?.OpenAI ?? root) as ClientClass | undefined;
}

function toTargets(moduleExports: unknown): Array<[prototype: Record<string, unknown>, endpoint: Endpoint]> {
  const client = toClientClass(moduleExports);
  const targets: Array<[Record<string, unknown>, Endpoint]> = [];
  // Responses arrived in openai 4.87; older versions simply lack it.
  const candidates: Array<[unknown, Endpoint]> = [
    [client?.Chat?.Completions?.prototype, CHAT_COMPLETIONS],
    [client?.Responses?.prototype, RESPONSES],
    [client?.Embeddings?.prototype, EMBEDDINGS],
  ];
  for (const [prototype, endpoint] of candidates) {
    if (prototype && typeof (prototype as Record<string, unknown>).create === 'function') {
      targets.push([prototype as Record<string, unknown>, endpoint]);
    }
  }
  return targets;
}

/** Copies the parts of the params that callers commonly mutate after the call (chat loops push to `messages`). */
function snapshot(params: unknown): Params {
  if (params === null || typeof params !== 'object') return {};
  const copy: Params = { ...(params as Params) };
  if (Array.isArray(copy.messages)) copy.messages = [...copy.messages];
  if (Array.isArray(copy.input)) copy.input = [...copy.input];
  return copy;
}

/**
 * Traces the `openai` package: `chat.completions.create` and `responses.create` (plain and
 * streamed) as `chat {model}` spans, `embeddings.create` as `embeddings {model}` spans, with
 * usage, cost, time to first chunk and, when content capture is on, the messages.
 */
export class OpenAIInstrumentation extends InstrumentationBase<OpenAIInstrumentationConfig> {
  constructor(config: OpenAIInstrumentationConfig = {}) {
    super(`${SCOPE_NAME}/openai`, SCOPE_VERSION, config);
  }

  protected init(): InstrumentationNodeModuleDefinition[] {
    return [
      new InstrumentationNodeModuleDefinition(
        'openai',
        SUPPORTED_VERSIONS,
        (moduleExports: unknown) => {
          for (const [prototype, endpoint] of toTargets(moduleExports)) {
            if (isWrapped(prototype.create)) this._unwrap(prototype, 'create');
            this._wrap(prototype, 'create', (original) => this._patchCreate(original as CreateMethod, endpoint));
          }
          return moduleExports;
        },
        (moduleExports: unknown) => {
          for (const [prototype] of toTargets(moduleExports)) this._unwrap(prototype, 'create');
        },
      ),
    ];
  }

  private _patchCreate(original: CreateMethod, endpoint: Endpoint): CreateMethod {
    const instrumentation = this;
    return function patchedCreate(this: unknown, ...args: unknown[]): unknown {
      if (!instrumentation.isEnabled()) return original.apply(this, args);
      let call: LlmCall;
      try {
        const baseURL = (this as { _client?: { baseURL?: unknown } } | undefined)?._client?.baseURL;
        call = instrumentation._startCall(endpoint, args[0], typeof baseURL === 'string' ? baseURL : undefined);
      } catch (err) {
        instrumentation._diag.error('span not started', err);
        return original.apply(this, args);
      }
      let result: unknown;
      try {
        result = context.with(call.context, () => original.apply(this, args));
      } catch (err) {
        failLlmSpan(call.span, call.request, err);
        throw err;
      }
      instrumentation._observe(call, result);
      // We have to return the client's own APIPromise: callers use .withResponse(), .asResponse(),
      // and the client's own helpers (parse(), runTools(), stream()) build on it.
      return result;
    };
  }

  /** The content serializer for one call, or undefined when content is not captured. */
  private _toCapture(): CaptureContent | undefined {
    const isCaptured = this.getConfig().captureMessageContent ?? isContentCaptured();
    return isCaptured ? (value: unknown) => toCapturedContent(value, true) : undefined;
  }

  private _startCall(endpoint: Endpoint, rawParams: unknown, baseURL: string | undefined): LlmCall {
    const params = snapshot(rawParams);
    const options: MapOptions = { capture: this._toCapture() };
    const request: LlmRequest = {
      provider: GEN_AI_PROVIDER_NAME_VALUE_OPENAI,
      operation: endpoint.operation,
      model: typeof params.model === 'string' ? params.model : undefined,
      attributes: { ...toServerAttributes(baseURL), ...endpoint.toAttributes(params, options) },
      inputTexts: () => endpoint.toInputTexts(params),
    };
    const parent = context.active();
    const span = startLlmSpan(this.tracer, request, parent);
    return {
      endpoint,
      span,
      request,
      context: trace.setSpan(parent, span),
      options,
      isStream: params.stream === true && endpoint.createStreamAccumulator !== undefined,
      startedAtMs: performance.now(),
    };
  }

  private _observe(call: LlmCall, result: unknown): void {
    const { span, request, endpoint, options } = call;
    try {
      if (result === null || typeof result !== 'object') {
        endLlmSpan(span, request, {});
        return;
      }
      observeApiPromise(
        result,
        {
          onParsed: (value) => {
            if (call.isStream) this._observeStream(call, value);
            else endLlmSpan(span, request, endpoint.toResponse(value, options));
          },
          onError: (error) => failLlmSpan(span, request, error),
          // Without the body there is no answer to count tokens from.
          onUnparsed: (body, endTime) =>
            body === undefined
              ? endLlmSpan(span, { ...request, inputTexts: undefined }, {}, endTime)
              : endLlmSpan(span, request, endpoint.toResponse(body, options), endTime),
        },
        { isStream: call.isStream },
      );
    } catch (err) {
      this._diag.error('call not observed', err);
      endLlmSpan(span, request, {});
    }
  }

  /**
   * Wraps the stream's `iterator` method rather than `Symbol.asyncIterator`: the client's `tee()`
   * and `toReadableStream()` read through it, so every way of reading the stream is observed.
   * Only the first iteration is observed; a second one fails in the client as it would unwatched.
   */
  private _observeStream(call: LlmCall, stream: unknown): void {
    const { span, request, options } = call;
    const target = stream as { iterator?: unknown } | null;
    const accumulator = call.endpoint.createStreamAccumulator?.();
    if (typeof target?.iterator !== 'function' || accumulator === undefined) {
      endLlmSpan(span, request, {});
      return;
    }
    const iterator = target.iterator as (this: unknown, ...args: unknown[]) => AsyncIterator<unknown>;
    let ttftMs: number | undefined;
    let isObserved = false;
    const toResponse = (): LlmResponse => ({ ...accumulator.toResponse(options), ttftMs });
    target.iterator = function (this: unknown, ...args: unknown[]): AsyncIterator<unknown> {
      const inner = iterator.apply(this, args);
      if (isObserved) return inner;
      isObserved = true;
      return observeIterator(inner, {
        onChunk: (chunk) => {
          if (accumulator.add(chunk) && ttftMs === undefined) ttftMs = performance.now() - call.startedAtMs;
        },
        onDone: () => endLlmSpan(span, request, toResponse()),
        onAbandon: () => endLlmSpan(span, request, toResponse()),
        onError: (error) => failLlmSpan(span, request, error, toResponse()),
      });
    };
  }
}
