import { performance } from 'node:perf_hooks';
import { context, diag, trace, type Context, type Span } from '@opentelemetry/api';
import { InstrumentationBase, InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { GEN_AI_OPERATION_NAME_VALUE_CHAT, GEN_AI_PROVIDER_NAME_VALUE_ANTHROPIC } from '@convotel/semconv';
import { isContentCaptured, toCapturedContent } from '../content/capture.js';
import { endLlmSpan, failLlmSpan, startLlmSpan, type LlmRequest, type LlmResponse } from '../spans/llm-span.js';
import { SCOPE_VERSION } from '../tracer.js';
import { observeApiPromise } from './api-promise.js';
import type { MessageCreateParams, Message, StreamEvent } from './internal-types.js';
import { toInputTexts, toRequestAttributes, type CaptureFn } from './map-request.js';
import { toLlmResponse } from './map-response.js';
import { addStreamEvent, createStreamAccumulation, toStreamedMessage } from './stream.js';
import type { AnthropicInstrumentationConfig } from './types.js';

/** Instrumentation scope of the LLM spans this instrumentation makes. */
const ANTHROPIC_SCOPE_NAME = '@convotel/instrumentation/anthropic';

type CreateFn = (this: MessagesResource, ...args: unknown[]) => unknown;

/** The SDK's `Messages` resource, as far as the patch goes. */
interface MessagesResource {
  create: CreateFn;
  readonly _client?: { readonly baseURL?: string };
}

/** The SDK's `Stream`: its async iterator and `tee()` both read through `iterator()`. */
interface StreamResult {
  iterator: (this: unknown, ...args: unknown[]) => AsyncIterator<unknown>;
}

/** One traced `messages.create` call. */
interface TracedCall {
  readonly span: Span;
  readonly request: LlmRequest;
  readonly startedAtMs: number;
  readonly isStream: boolean;
  readonly capture: CaptureFn | undefined;
  hasEnded: boolean;
}

/** Both ends (0.27.0 and the newest 1.x) run in test/anthropic/client-versions.test.ts. */
const SUPPORTED_VERSIONS = ['>=0.27.0 <2'];

/**
 * The SDK's `Messages` prototype in a loaded module: CommonJS exports carry the client as
 * `Anthropic`; an ES module namespace has it as `default` (older CommonJS builds export it whole).
 */
function toMessagesPrototype(moduleExports: unknown): MessagesResource | undefined {
  const exports = (moduleExports as { [Symbol.toStringTag]?: unknown } | undefined)?.[Symbol.toStringTag] === 'Module'
    ? (moduleExports as { default?: unknown }).default
    : moduleExports;
  const candidates = [(exports as { Anthropic?: unknown } | undefined)?.Anthropic, exports];
  for (const client of candidates) {
    const prototype = (client as { Messages?: { prototype?: MessagesResource } } | undefined)?.Messages?.prototype;
    if (typeof prototype?.create === 'function') return prototype;
  }
  return undefined;
}

function isStreamResult(value: unknown): value is StreamResult {
  return typeof (value as Partial<StreamResult> | null | undefined)?.iterator === 'function';
}

function toResponse(call: TracedCall, message: Message, ttftMs?: number): LlmResponse {
  try {
    const response = toLlmResponse(message, { capture: call.capture });
    return ttftMs === undefined ? response : { ...response, ttftMs };
  } catch (err) {
    diag.warn('convotel: Anthropic response not read', err);
    return {};
  }
}

/**
 * Ends the span once. Tokens are counted only when some of the answer is known: for an unseen
 * answer (the caller took the raw body, a stream left before its first event) no usage is
 * better than a count of the prompt alone, which would understate the call.
 */
function endCall(call: TracedCall, response: LlmResponse = {}): void {
  if (call.hasEnded) return;
  call.hasEnded = true;
  const hasAnswer = response.usage !== undefined || response.outputTexts !== undefined;
  endLlmSpan(call.span, hasAnswer ? call.request : { ...call.request, inputTexts: undefined }, response);
}

function failCall(call: TracedCall, error: unknown, partial?: LlmResponse): void {
  if (call.hasEnded) return;
  call.hasEnded = true;
  failLlmSpan(call.span, call.request, error, partial);
}

/**
 * Passes a stream's events through unchanged while adding them up; ends the span once, when the
 * stream completes, fails, or the reader stops early (`break` closes this generator).
 */
async function* recordStream(source: AsyncIterator<unknown>, call: TracedCall): AsyncGenerator<unknown, void, undefined> {
  const acc = createStreamAccumulation({ isCapturingContent: call.capture !== undefined });
  let hasFailed = false;
  let failure: unknown;
  try {
    for await (const event of { [Symbol.asyncIterator]: () => source }) {
      try {
        addStreamEvent(acc, event as StreamEvent, performance.now() - call.startedAtMs);
      } catch (err) {
        diag.debug('convotel: Anthropic stream event not read', err);
      }
      yield event;
    }
  } catch (err) {
    hasFailed = true;
    failure = err;
    throw err;
  } finally {
    const response = toResponse(call, toStreamedMessage(acc), acc.firstContentMs);
    if (hasFailed) failCall(call, failure, response);
    else endCall(call, response);
  }
}

/**
 * Traces `messages.create` of `@anthropic-ai/sdk` — plain, `stream: true`, and through the
 * `messages.stream()` helper, which calls it — as one `chat {model}` CLIENT span per call.
 */
export class AnthropicInstrumentation extends InstrumentationBase<AnthropicInstrumentationConfig> {
  constructor(config: AnthropicInstrumentationConfig = {}) {
    super(ANTHROPIC_SCOPE_NAME, SCOPE_VERSION, config);
  }

  protected init(): InstrumentationNodeModuleDefinition[] {
    return [
      new InstrumentationNodeModuleDefinition(
        '@anthropic-ai/sdk',
        SUPPORTED_VERSIONS,
        (moduleExports: unknown) => {
          const prototype = toMessagesPrototype(moduleExports);
          if (prototype === undefined) diag.warn('convotel: @anthropic-ai/sdk has no Messages.create to patch');
          else this._wrap(prototype, 'create', (original) => this.#patchCreate(original));
          return moduleExports;
        },
        (moduleExports: unknown) => {
          const prototype = toMessagesPrototype(moduleExports);
          if (prototype !== undefined) this._unwrap(prototype, 'create');
        },
      ),
    ];
  }

  #patchCreate(original: CreateFn): CreateFn {
    const self = this;
    return function patchedCreate(this: MessagesResource, ...args: unknown[]): unknown {
      if (!self.isEnabled()) return original.apply(this, args);
      let call: TracedCall;
      let ctx: Context;
      try {
        ({ call, ctx } = self.#startCall(args[0], this?._client?.baseURL));
      } catch (err) {
        diag.error('convotel: Anthropic span not started', err);
        return original.apply(this, args);
      }

      let apiPromise: unknown;
      try {
        apiPromise = context.with(ctx, () => original.apply(this, args));
      } catch (err) {
        failCall(call, err);
        throw err;
      }
      try {
        self.#observe(apiPromise, call);
      } catch (err) {
        diag.error('convotel: Anthropic call not observed', err);
        endCall(call);
      }
      // The client's own APIPromise, untouched: withResponse(), asResponse() and its error
      // classes reach the caller as without instrumentation.
      return apiPromise;
    };
  }

  #startCall(params: unknown, baseURL: string | undefined): { call: TracedCall; ctx: Context } {
    const body: MessageCreateParams = typeof params === 'object' && params !== null ? params : {};
    const isCapturing = this.getConfig().captureMessageContent ?? isContentCaptured();
    const capture: CaptureFn | undefined = isCapturing ? (value) => toCapturedContent(value, true) : undefined;
    const request: LlmRequest = {
      provider: GEN_AI_PROVIDER_NAME_VALUE_ANTHROPIC,
      operation: GEN_AI_OPERATION_NAME_VALUE_CHAT,
      model: typeof body.model === 'string' ? body.model : undefined,
      attributes: toRequestAttributes(body, { baseURL, capture }),
      inputTexts: () => toInputTexts(body),
    };
    const parent = context.active();
    const span = startLlmSpan(this.tracer, request, parent);
    const call: TracedCall = {
      span,
      request,
      startedAtMs: performance.now(),
      isStream: body.stream === true,
      capture,
      hasEnded: false,
    };
    return { call, ctx: trace.setSpan(parent, span) };
  }

  #observe(apiPromise: unknown, call: TracedCall): void {
    if (typeof (apiPromise as PromiseLike<unknown> | null)?.then !== 'function') {
      endCall(call);
      return;
    }
    observeApiPromise(apiPromise as PromiseLike<unknown>, {
      onData: (data) => {
        if (call.isStream && isStreamResult(data)) this.#observeStream(data, call);
        else if (call.isStream) endCall(call);
        else endCall(call, toResponse(call, data as Message));
      },
      onRawResponse: () => endCall(call),
      onError: (error) => failCall(call, error),
    });
  }

  // Wraps `iterator()`, not `Symbol.asyncIterator`: the Stream's `tee()` reads through it too, and
  // the SDK's own tracing replaces `Symbol.asyncIterator` on the instance.
  #observeStream(stream: StreamResult, call: TracedCall): void {
    let isObserved = false;
    this._wrap(stream, 'iterator', (original) =>
      function (this: unknown, ...args: unknown[]): AsyncIterator<unknown> {
        const source = original.apply(this, args);
        // A second read fails inside the client ("consumed stream"); the span has its answer already.
        if (isObserved) return source;
        isObserved = true;
        return recordStream(source, call);
      },
    );
  }
}
