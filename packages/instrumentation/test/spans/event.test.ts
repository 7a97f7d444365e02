import { logs } from '@opentelemetry/api-logs';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { describe, expect, it } from 'vitest';
import { conversation, recordEvent, turn } from '../../src/index.js';
import { installTestTracing, onlySpan } from '../helpers/otel.js';

const tracing = installTestTracing();
const exporter = new InMemoryLogRecordExporter();
const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] });
logs.setGlobalLoggerProvider(provider);

describe('recordEvent', () => {
  it('emits a log record with the trace context and conversation ids of the turn', async () => {
    await conversation({ conversationId: 'c-ev', userId: 'u-2' }, () =>
      turn({}, () => recordEvent('balance_lookup', { 'account.type': 'checking' }, { component: 'account_service', severity: 'WARN', message: 'slow lookup' })),
    );
    await provider.forceFlush();
    const [record] = exporter.getFinishedLogRecords();
    const t = onlySpan(await tracing.spans(), 'turn');
    expect(record!.eventName).toBe('balance_lookup');
    expect(record!.severityText).toBe('WARN');
    expect(record!.severityNumber).toBe(13);
    expect(record!.body).toBe('slow lookup');
    expect(record!.attributes['event.name']).toBe('balance_lookup');
    expect(record!.attributes['convotel.event.component']).toBe('account_service');
    expect(record!.attributes['account.type']).toBe('checking');
    expect(record!.attributes['gen_ai.conversation.id']).toBe('c-ev');
    expect(record!.attributes['user.id']).toBe('u-2');
    expect(record!.spanContext?.traceId).toBe(t.spanContext().traceId);
    expect(record!.spanContext?.spanId).toBe(t.spanContext().spanId);
  });
});
