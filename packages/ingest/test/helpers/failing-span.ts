// A request with one span whose normalization throws, through a legitimate option: the cost
// estimator, which throws for one model only.
import { estimateWithPriceTable, type CostEstimator } from '../../src/normalize/concepts/cost.js';
import type { AttributeMap } from '../../src/otlp/types.js';
import { DEFAULT_RESOURCE, Ids, item, makeSpan, MS, sdkConversation, type SpanItem } from './spans.js';

export const FAILING_MODEL = 'model-whose-pricing-throws';
export const PRICING_FAILURE = new TypeError('price table entry is undefined');

/** The price table, except for {@link FAILING_MODEL}, on which it throws {@link PRICING_FAILURE}. */
export const throwingForOneModel: CostEstimator = (usage) => {
  if (usage.model === FAILING_MODEL) throw PRICING_FAILURE;
  return estimateWithPriceTable(usage);
};

/**
 * Two turns of a conversation (`good`), and an extra LLM call of `model` under the first turn's
 * root (`extra`), exported under `resource`.
 */
export function conversationWithExtraCall(model: string, resource: AttributeMap = DEFAULT_RESOURCE): { good: SpanItem[]; extra: SpanItem } {
  const good = sdkConversation(new Ids(303), { conversationId: 'conv-failing-span', turns: 2 });
  const root = good.find((i) => i.span.name === 'turn') as SpanItem;
  const extra = item(
    makeSpan({
      traceId: root.span.traceId,
      spanId: 'f00dfacef00dface',
      parentSpanId: root.span.spanId,
      name: `chat ${model}`,
      kind: 3,
      startNs: root.span.startTimeUnixNano + 5n * MS,
      durationMs: 100,
      attributes: {
        'convotel.span.kind': 'llm',
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': model,
        'gen_ai.usage.input_tokens': 12,
        'gen_ai.usage.output_tokens': 3,
      },
    }),
    root.scope,
    resource,
  );
  return { good, extra };
}
