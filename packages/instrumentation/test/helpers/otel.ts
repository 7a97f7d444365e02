import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { ConversationSpanProcessor } from '../../src/conversation-span-processor.js';
import { drainQueue, settleLlmSpans } from '../../src/spans/llm-span.js';

/**
 * A real tracer provider with an in-memory exporter, registered globally once per test file
 * (vitest runs each file in its own process).
 */
export interface TestTracing {
  readonly exporter: InMemorySpanExporter;
  /** Ended spans after deferred token counts have settled. */
  spans(): Promise<ReadableSpan[]>;
  reset(): void;
}

let installed: TestTracing | undefined;

export function installTestTracing(): TestTracing {
  if (installed) return installed;
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [new ConversationSpanProcessor(), new SimpleSpanProcessor(exporter)],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  installed = {
    exporter,
    async spans() {
      await settleLlmSpans();
      return exporter.getFinishedSpans();
    },
    reset: () => {
      // Spans of the previous test still queued to end must not land in the next one.
      drainQueue();
      exporter.reset();
    },
  };
  return installed;
}

/** The one span called `name`; fails the test when there are none or several. */
export function onlySpan(spans: readonly ReadableSpan[], name: string): ReadableSpan {
  const found = spans.filter((s) => s.name === name);
  if (found.length !== 1) {
    throw new Error(`expected one span "${name}", found ${found.length}: ${spans.map((s) => s.name).join(', ')}`);
  }
  return found[0]!;
}
