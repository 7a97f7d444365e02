import { estimateCost } from '@convotel/pricing';
import { describe, expect, it } from 'vitest';
import { estimateWithPriceTable } from '../../src/normalize/concepts/cost.js';
import type { LlmCallRow } from '../../src/normalize/rows.js';
import { toRows } from '../../src/normalize/to-rows.js';
import type { AttributeMap, InstrumentationScope } from '../../src/otlp/types.js';
import { item, makeSpan, T0, toTraceRequest } from '../helpers/spans.js';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const SPAN = 'b7ad6b7169203331';
const options = { estimateCost: estimateWithPriceTable };

function scope(name: string): InstrumentationScope {
  return { name, version: '1.0.0', attributes: {} };
}

/** The one llm_calls row a single span becomes. */
function llmRowOf(scopeName: string, name: string, attributes: AttributeMap, kind: 1 | 3 = 3): LlmCallRow {
  const span = makeSpan({ traceId: TRACE, spanId: SPAN, parentSpanId: 'aaaaaaaaaaaaaaaa', name, kind, startNs: T0, durationMs: 850, attributes });
  const rows = toRows(toTraceRequest([item(span, scope(scopeName))]), options);
  expect(rows.llmCalls).toHaveLength(1);
  return rows.llmCalls[0] as LlmCallRow;
}

/** The columns every flavour must agree on. */
function comparable(row: LlmCallRow) {
  return {
    provider: row.provider,
    model: row.responseModel ?? row.requestModel,
    operation: row.operation,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    costPicos: row.costPicos,
    status: row.status,
    durationUs: row.durationUs,
    billing: row.billing,
  };
}

describe('toRows', () => {
  it('normalizes OpenLLMetry legacy / OpenInference / Vercel AI / OpenLIT / instrumentation-openai spans to the same llm_calls row', () => {
    const usd = estimateCost({ kind: 'llm', model: 'gpt-4o-2024-08-06', provider: 'openai', inputTokens: 100, outputTokens: 50 })?.usd;
    expect(usd).toBeGreaterThan(0);

    const otelOpenai = llmRowOf('@opentelemetry/instrumentation-openai', 'chat gpt-4o', {
      'gen_ai.system': 'openai',
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.usage.input_tokens': 100,
      'gen_ai.usage.output_tokens': 50,
      'gen_ai.response.finish_reasons': ['stop'],
    });
    const openLlmetryLegacy = llmRowOf('@traceloop/instrumentation-openai', 'openai.chat', {
      'gen_ai.system': 'OpenAI',
      'llm.request.type': 'chat',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.usage.prompt_tokens': '100',
      'gen_ai.usage.completion_tokens': 50,
      'llm.usage.total_tokens': 150,
      'gen_ai.prompt.0.role': 'user',
      'gen_ai.prompt.0.content': 'Where is my order?',
      'gen_ai.completion.0.role': 'assistant',
      'gen_ai.completion.0.content': 'On its way.',
      'gen_ai.completion.0.finish_reason': 'stop',
    });
    const openLlmetryCurrent = llmRowOf('@traceloop/instrumentation-openai', 'chat gpt-4o', {
      'gen_ai.provider.name': 'openai',
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.usage.input_tokens': 100,
      'gen_ai.usage.output_tokens': 50,
    });
    const openInference = llmRowOf(
      '@arizeai/openinference-instrumentation-openai',
      'OpenAI Chat Completions',
      {
        'openinference.span.kind': 'LLM',
        'llm.provider': 'openai',
        'llm.system': 'openai',
        'llm.model_name': 'gpt-4o-2024-08-06',
        'llm.token_count.prompt': 100,
        'llm.token_count.completion': 50,
        'llm.token_count.total': 150,
        'llm.invocation_parameters': '{"model":"gpt-4o","temperature":0.2}',
        'llm.input_messages.0.message.role': 'user',
        'llm.input_messages.0.message.content': 'Where is my order?',
        'llm.output_messages.0.message.role': 'assistant',
        'llm.output_messages.0.message.content': 'On its way.',
      },
      1,
    );
    const vercelLegacy = llmRowOf('ai', 'ai.generateText.doGenerate', {
      'ai.operationId': 'ai.generateText.doGenerate',
      'ai.model.id': 'gpt-4o',
      'ai.model.provider': 'openai.chat',
      'gen_ai.system': 'openai.chat',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.usage.input_tokens': 100,
      'gen_ai.usage.output_tokens': 50,
      'ai.usage.promptTokens': 100,
      'ai.usage.completionTokens': 50,
      'ai.prompt.messages': '[{"role":"user","content":[{"type":"text","text":"Where is my order?"}]}]',
      'ai.response.text': 'On its way.',
    });
    const vercel7 = llmRowOf('@ai-sdk/otel', 'chat gpt-4o', {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.usage.input_tokens': 100,
      'gen_ai.usage.output_tokens': 50,
    });
    const openLit = llmRowOf('openlit', 'chat gpt-4o', {
      'gen_ai.operation.name': 'chat',
      'gen_ai.system': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.usage.input_tokens': 100,
      'gen_ai.usage.output_tokens': 50,
      'gen_ai.usage.cost': usd as number,
    });

    const expected = comparable(otelOpenai);
    expect(expected).toMatchObject({ provider: 'openai', model: 'gpt-4o-2024-08-06', operation: 'chat', inputTokens: 100, outputTokens: 50 });
    for (const row of [openLlmetryLegacy, openLlmetryCurrent, openInference, vercelLegacy, vercel7, openLit]) {
      expect(comparable(row)).toEqual(expected);
    }
    expect(openLit.costSource).toBe('reported');
    expect(openLit.sourceKeys['cost_usd']).toBe('gen_ai.usage.cost');
    expect(otelOpenai.costSource).toBe('computed');
    expect(otelOpenai.sourceKeys['cost_usd']).toBe('price_table');
    expect(openLlmetryLegacy.sourceKeys['input_tokens']).toBe('gen_ai.usage.prompt_tokens');
    expect(openInference.sourceKeys['input_tokens']).toBe('llm.token_count.prompt');
    expect(openInference.temperature).toBe(0.2);
    expect([otelOpenai, openLlmetryLegacy, openInference, vercelLegacy, vercel7, openLit].map((row) => row.flavour)).toEqual([
      'otel-openai',
      'openllmetry',
      'openinference',
      'vercel-ai',
      'vercel-ai',
      'openlit',
    ]);
    const userText = { role: 'user', parts: [{ type: 'text', content: 'Where is my order?' }] };
    expect(openLlmetryLegacy.inputMessages).toEqual([userText]);
    expect(openInference.inputMessages).toEqual([userText]);
    expect(vercelLegacy.inputMessages).toEqual([userText]);
    expect(openLlmetryLegacy.outputMessages?.[0]?.parts).toEqual([{ type: 'text', content: 'On its way.' }]);
    expect(vercelLegacy.outputMessages?.[0]?.parts).toEqual([{ type: 'text', content: 'On its way.' }]);
  });

  it('reads old and new cache-write names alike', () => {
    const base = {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-3-5-sonnet-20241022',
      'gen_ai.usage.input_tokens': 1500,
      'gen_ai.usage.output_tokens': 20,
    };
    const rows = [
      llmRowOf('x', 'chat claude', { ...base, 'gen_ai.usage.cache_write.input_tokens': 1000 }),
      llmRowOf('x', 'chat claude', { ...base, 'gen_ai.usage.cache_creation.input_tokens': 1000 }),
      llmRowOf('x', 'chat claude', { ...base, 'gen_ai.usage.cache_creation_input_tokens': 1000 }),
    ];
    expect(rows.map((row) => row.cacheWriteTokens)).toEqual([1000, 1000, 1000]);
    expect(rows.map((row) => row.sourceKeys['cache_write_tokens'])).toEqual([
      'gen_ai.usage.cache_write.input_tokens',
      'gen_ai.usage.cache_creation.input_tokens',
      'gen_ai.usage.cache_creation_input_tokens',
    ]);
    expect(new Set(rows.map((row) => row.costPicos)).size).toBe(1);
  });

  it('adds cache back to an OpenInference Anthropic prompt count below its cache reads', () => {
    const row = llmRowOf('@arizeai/openinference-instrumentation-anthropic', 'Anthropic Messages', {
      'openinference.span.kind': 'LLM',
      'llm.provider': 'anthropic',
      'llm.model_name': 'claude-3-5-sonnet-20241022',
      'llm.token_count.prompt': 10,
      'llm.token_count.completion': 5,
      'llm.token_count.prompt_details.cache_read': 300,
      'llm.token_count.prompt_details.cache_write': 40,
    });
    expect(row.inputTokens).toBe(350);
    expect(row.cacheReadTokens).toBe(300);
  });

  it('keeps a reported cost and records its source', () => {
    const row = llmRowOf('@convotel/instrumentation', 'chat gpt-4o', {
      'convotel.span.kind': 'llm',
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.usage.input_tokens': 100,
      'gen_ai.usage.output_tokens': 50,
      'convotel.cost.usd': 0.5,
      'convotel.cost.source': 'reported',
    });
    expect(row.costPicos).toBe(500_000_000_000n);
    expect(row.costSource).toBe('reported');
    expect(row.sourceKeys['cost_usd']).toBe('convotel.cost.usd');
  });

  it('computes cost from the price table when the span reports none', () => {
    const row = llmRowOf('@opentelemetry/instrumentation-openai', 'chat gpt-4o-mini', {
      'gen_ai.system': 'openai',
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.usage.input_tokens': 2000,
      'gen_ai.usage.output_tokens': 1000,
    });
    const usd = estimateCost({ kind: 'llm', model: 'gpt-4o-mini', provider: 'openai', inputTokens: 2000, outputTokens: 1000 })?.usd as number;
    expect(row.costSource).toBe('computed');
    expect(Number(row.costPicos) / 1e12).toBeCloseTo(usd, 12);
  });

  it('leaves cost empty for a model without a price', () => {
    const row = llmRowOf('x', 'chat my-own-model', {
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'my-own-model-xyz',
      'gen_ai.usage.input_tokens': 10,
      'gen_ai.usage.output_tokens': 1,
    });
    expect(row.costPicos).toBeUndefined();
    expect(row.costSource).toBeUndefined();
  });
});

describe('toRows: span roles', () => {
  const rowsOf = (scopeName: string, spans: Parameters<typeof makeSpan>[0][]) =>
    toRows(toTraceRequest(spans.map((s) => item(makeSpan(s), scope(scopeName)))), options);

  it('keeps agent and root wrappers out of llm_calls and offers them as stand-ins', () => {
    const rows = rowsOf('ai', [
      { traceId: TRACE, spanId: SPAN, name: 'ai.generateText', startNs: T0, attributes: { 'ai.model.id': 'gpt-4o', 'ai.usage.promptTokens': 10, 'ai.usage.completionTokens': 2 } },
      { traceId: TRACE, spanId: 'c7ad6b7169203331', parentSpanId: SPAN, name: 'ai.generateText.doGenerate', startNs: T0, attributes: { 'gen_ai.request.model': 'gpt-4o', 'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.output_tokens': 2 } },
      { traceId: TRACE, spanId: 'd7ad6b7169203331', parentSpanId: SPAN, name: 'ai.toolCall', startNs: T0, attributes: { 'ai.toolCall.name': 'weather' } },
    ]);
    expect(rows.llmCalls.map((row) => row.name)).toEqual(['ai.generateText.doGenerate']);
    expect(rows.steps.map((row) => [row.kind, row.stepName])).toEqual([
      ['agent', 'ai.generateText'],
      ['tool', 'weather'],
    ]);
    expect(rows.steps[0]?.fallbackLlmCall).toMatchObject({ billing: 'agent_fallback', inputTokens: 10, outputTokens: 2 });
    expect(rows.steps[1]?.fallbackLlmCall).toBeUndefined();
  });

  it('treats invoke_agent, OpenInference AGENT/CHAIN and Traceloop workflows as wrappers', () => {
    const rows = toRows(
      toTraceRequest([
        item(makeSpan({ traceId: TRACE, spanId: '1000000000000001', name: 'invoke_agent planner', startNs: T0, attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'planner', 'gen_ai.usage.input_tokens': 5 } }), scope('@ai-sdk/otel')),
        item(makeSpan({ traceId: TRACE, spanId: '1000000000000002', name: 'agent', startNs: T0, attributes: { 'openinference.span.kind': 'AGENT', 'agent.name': 'oi-agent' } }), scope('@arizeai/openinference-core')),
        item(makeSpan({ traceId: TRACE, spanId: '1000000000000003', name: 'chain', startNs: T0, attributes: { 'openinference.span.kind': 'CHAIN' } }), scope('@arizeai/openinference-core')),
        item(makeSpan({ traceId: TRACE, spanId: '1000000000000004', name: 'answer.workflow', startNs: T0, attributes: { 'traceloop.span.kind': 'workflow', 'traceloop.workflow.name': 'answer' } }), scope('@traceloop/node-server-sdk')),
        item(makeSpan({ traceId: TRACE, spanId: '1000000000000005', name: 'retrieve', startNs: T0, attributes: { 'openinference.span.kind': 'RETRIEVER' } }), scope('@arizeai/openinference-core')),
      ]),
      options,
    );
    expect(rows.llmCalls).toEqual([]);
    expect(rows.steps.map((row) => [row.kind, row.stepName])).toEqual([
      ['agent', 'planner'],
      ['agent', 'oi-agent'],
      ['workflow', 'chain'],
      ['workflow', 'answer'],
      ['step', 'retrieval'],
    ]);
  });

  it('prices speech steps and voice spans from LiveKit and Pipecat keys', () => {
    const rows = toRows(
      toTraceRequest([
        item(makeSpan({ traceId: TRACE, spanId: '2000000000000001', name: 'turn', startNs: T0, durationMs: 3000, attributes: { 'turn.number': 4, 'turn.was_interrupted': true, 'turn.user_bot_latency_seconds': 0.8 } }), scope('pipecat')),
        item(makeSpan({ traceId: TRACE, spanId: '2000000000000002', parentSpanId: '2000000000000001', name: 'tts', startNs: T0, attributes: { 'gen_ai.operation.name': 'tts', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'tts-1', 'metrics.character_count': 1000, 'metrics.ttfb': 0.25, voice_id: 'alloy' } }), scope('pipecat')),
        item(makeSpan({ traceId: TRACE, spanId: '2000000000000003', parentSpanId: '2000000000000001', name: 'stt', startNs: T0, attributes: { 'gen_ai.operation.name': 'stt', 'gen_ai.request.model': 'nova-3', 'convotel.stt.audio_seconds': 60, language: 'en' } }), scope('pipecat')),
      ]),
      options,
    );
    const [tts, stt] = rows.steps;
    expect(tts).toMatchObject({ kind: 'step', stepName: 'tts', ttsCharacters: 1000, ttsTtfbMs: 250, ttsVoice: 'alloy', costSource: 'computed', costCategory: 'tts' });
    expect(Number(tts?.costPicos)).toBeCloseTo((estimateCost({ kind: 'tts', model: 'tts-1', provider: 'openai', characters: 1000 })?.usd ?? 0) * 1e12, 0);
    expect(stt).toMatchObject({ stepName: 'stt', sttAudioSeconds: 60, sttLanguage: 'en', costSource: 'computed', costCategory: 'stt' });
    expect(rows.turns[0]?.root).toMatchObject({ turnIndex: 4, isInterrupted: true, perceivedLatencyMs: 800, isConvotelTurn: false });
  });

  it('ignores spans that are neither GenAI, SQL nor a trace root', () => {
    const rows = rowsOf('@opentelemetry/instrumentation-http', [
      { traceId: TRACE, spanId: SPAN, parentSpanId: 'aaaaaaaaaaaaaaaa', name: 'GET /x', startNs: T0, attributes: { 'http.method': 'GET' } },
    ]);
    expect(rows).toMatchObject({ llmCalls: [], steps: [], dbQueries: [], turns: [], conversations: [], spans: 1 });
  });

  it('rejects spans without a plausible start time and says why', () => {
    const rows = rowsOf('x', [{ traceId: TRACE, spanId: SPAN, name: 'chat gpt-4o', startNs: 0n, attributes: { 'gen_ai.operation.name': 'chat' } }]);
    expect(rows.rejected).toBe(1);
    expect(rows.rejectionReasons[0]).toMatch(/start time/);
  });
});

describe('toRows: turns and conversations', () => {
  it('gives every span of a trace the best conversation candidate, else none until a GenAI span', () => {
    const rows = toRows(
      toTraceRequest([
        item(makeSpan({ traceId: TRACE, spanId: '3000000000000001', name: 'POST /chat', kind: 2, startNs: T0, attributes: { 'session.id': 'sess-1' } }), scope('@opentelemetry/instrumentation-http')),
        item(makeSpan({ traceId: TRACE, spanId: '3000000000000002', parentSpanId: '3000000000000001', name: 'chat gpt-4o', startNs: T0, attributes: { 'gen_ai.operation.name': 'chat', 'ai.telemetry.metadata.conversationId': 'conv-ai' } }), scope('x')),
      ]),
      options,
    );
    expect(rows.turns).toHaveLength(1);
    expect(rows.turns[0]?.identity.conversation).toEqual({ value: 'sess-1', key: 'session.id', rank: 1 });
    expect(rows.turns[0]?.hasGenAi).toBe(true);
    expect(rows.turns[0]?.root).toMatchObject({ name: 'POST /chat', isConvotelTurn: false });
  });

  it('reads the conversation span: end reason, status, agent, channel and metadata', () => {
    const rows = toRows(
      toTraceRequest([
        item(
          makeSpan({
            traceId: TRACE,
            spanId: SPAN,
            name: 'conversation',
            startNs: T0,
            durationMs: 60_000,
            status: { code: 2, message: 'caller hung up angrily' },
            attributes: {
              'convotel.span.kind': 'conversation',
              'gen_ai.conversation.id': 'conv-9',
              'gen_ai.agent.name': 'support',
              'convotel.channel': 'voice',
              'convotel.conversation.end_reason': 'hangup',
              'convotel.metadata.tier': 'gold',
              'convotel.metadata.region': 'eu',
              'user.id': 'u-9',
            },
          }),
        ),
      ]),
      options,
    );
    expect(rows.turns).toEqual([]);
    expect(rows.conversations[0]).toMatchObject({
      conversation: { value: 'conv-9', key: 'gen_ai.conversation.id', rank: 0 },
      status: 'error',
      errorMessage: 'caller hung up angrily',
      endReason: 'hangup',
      agentName: 'support',
      channel: 'voice',
      metadata: { tier: 'gold', region: 'eu' },
      user: { value: 'u-9', key: 'user.id', rank: 0 },
    });
  });
});

describe('toRows: large requests', () => {
  it('normalizes a request of 150,000 distinct traces into one turn each', () => {
    const count = 150_000;
    const spans = Array.from({ length: count }, (_, i) =>
      item(makeSpan({ traceId: i.toString(16).padStart(32, '0'), spanId: SPAN, name: 'GET /health', kind: 2, startNs: T0 }), scope('@opentelemetry/instrumentation-http')),
    );
    const rows = toRows(toTraceRequest(spans), options);
    expect(rows.spans).toBe(count);
    expect(rows.turns).toHaveLength(count);
    expect(new Set(rows.turns.map((turn) => turn.traceId)).size).toBe(count);
  });
});
