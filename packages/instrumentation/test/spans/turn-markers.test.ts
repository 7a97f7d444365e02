import { diag, DiagLogLevel, type HrTime, type TimeInput } from '@opentelemetry/api';
import { hrTimeToMicroseconds } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig, setActiveConfig } from '../../src/config.js';
import { conversation, startConversation, turn } from '../../src/index.js';
import { installTestTracing, onlySpan } from '../helpers/otel.js';

const tracing = installTestTracing();

const reported: string[] = [];
diag.setLogger(
  { error: (message) => reported.push(message), warn: () => {}, info: () => {}, debug: () => {}, verbose: () => {} },
  DiagLogLevel.ERROR,
);

beforeEach(() => {
  tracing.reset();
  reported.length = 0;
});
afterEach(() => setActiveConfig(resolveConfig()));

// 2025-12-05T03:00:00Z, with nanoseconds that a millisecond clock could not hold.
const T0 = 1_764_903_600;
const at = (seconds: number, nanos: number): HrTime => [T0 + seconds, nanos];

async function onlyTurn(): Promise<ReadableSpan> {
  return onlySpan(await tracing.spans(), 'turn');
}

function eventTime(span: ReadableSpan, name: string): HrTime {
  const events = span.events.filter((event) => event.name === name);
  expect(events, name).toHaveLength(1);
  return events[0]!.time;
}

describe('turn markers', () => {
  it('records each marker as a turn span event at the HrTime given, to the nanosecond', async () => {
    const times: Record<string, HrTime> = {
      'convotel.user.speech_started': at(0, 1_234),
      'convotel.user.speech_ended': at(2, 500_000_001),
      'convotel.turn.committed': at(2, 910_000_500),
      'convotel.stt.final_transcript': at(2, 960_123_456),
      'convotel.agent.audio_started': at(3, 312_345_678),
      'convotel.agent.audio_ended': at(6, 999_999_999),
    };
    turn({}, (t) => {
      t.userSpeechStarted(times['convotel.user.speech_started']);
      t.userSpeechEnded(times['convotel.user.speech_ended']);
      t.turnCommitted(times['convotel.turn.committed']);
      t.transcriptFinal(times['convotel.stt.final_transcript']);
      t.agentAudioStarted(times['convotel.agent.audio_started']);
      t.agentAudioEnded(times['convotel.agent.audio_ended']);
    });
    const span = await onlyTurn();
    for (const [name, time] of Object.entries(times)) expect(eventTime(span, name), name).toEqual(time);
  });

  it('takes Date and epoch-millisecond times, to the microsecond', async () => {
    const epochMs = (T0 + 1) * 1000 + 250.125; // 1.250125 s after T0: 125 µs past the millisecond
    turn({}, (t) => {
      t.userSpeechEnded(new Date(T0 * 1000 + 40));
      t.agentAudioStarted(epochMs);
    });
    const span = await onlyTurn();
    expect(eventTime(span, 'convotel.user.speech_ended')).toEqual(at(0, 40_000_000));
    expect(hrTimeToMicroseconds(eventTime(span, 'convotel.agent.audio_started'))).toBeCloseTo((T0 + 1) * 1e6 + 250_125, 0);
    expect(span.attributes['convotel.turn.perceived_latency_ms']).toBeCloseTo(1210.125, 3);
  });

  it('records a marker without a time at the moment of the call, inside the turn span', async () => {
    await turn({}, async (t) => {
      t.userSpeechEnded();
      await new Promise((resolve) => setTimeout(resolve, 20));
      t.agentAudioStarted();
    });
    const span = await onlyTurn();
    const start = hrTimeToMicroseconds(span.startTime);
    const end = hrTimeToMicroseconds(span.endTime);
    const ended = hrTimeToMicroseconds(eventTime(span, 'convotel.user.speech_ended'));
    const started = hrTimeToMicroseconds(eventTime(span, 'convotel.agent.audio_started'));
    expect(start).toBeLessThanOrEqual(ended);
    expect(started).toBeLessThanOrEqual(end);
    // The derived latency is exactly the gap between the two recorded events.
    expect(span.attributes['convotel.turn.perceived_latency_ms']).toBeCloseTo((started - ended) / 1000, 3); // µs: the epoch microseconds are floats
    expect(span.attributes['convotel.turn.perceived_latency_ms']).toBeGreaterThanOrEqual(19);
  });
});

describe('perceived latency', () => {
  it('is derived from end of user speech to first agent audio when the turn ends', async () => {
    turn({}, (t) => {
      t.agentAudioStarted(at(3, 312_345_678)); // order of the calls does not matter
      t.userSpeechEnded(at(2, 700_000_000));
    });
    expect((await onlyTurn()).attributes['convotel.turn.perceived_latency_ms']).toBeCloseTo(612.345678, 9);
  });

  it('never replaces a value the caller set, before or after the markers', async () => {
    turn({}, (t) => {
      t.setPerceivedLatencyMs(450);
      t.userSpeechEnded(at(2, 0));
      t.agentAudioStarted(at(3, 0));
    });
    turn({}, (t) => {
      t.userSpeechEnded(at(2, 0));
      t.agentAudioStarted(at(3, 0));
      t.setPerceivedLatencyMs(700);
    });
    const latencies = (await tracing.spans()).map((span) => span.attributes['convotel.turn.perceived_latency_ms']);
    expect(latencies).toEqual([450, 700]);
  });

  it('is left unset when a marker is missing or the agent spoke before the user finished', async () => {
    turn({}, (t) => t.userSpeechEnded(at(2, 0)));
    turn({}, (t) => t.agentAudioStarted(at(3, 0)));
    turn({}, (t) => {
      t.userSpeechEnded(at(3, 0));
      t.agentAudioStarted(at(2, 500_000_000));
    });
    for (const span of await tracing.spans()) expect(span.attributes['convotel.turn.perceived_latency_ms']).toBeUndefined();
  });

  it('is derived for a turn whose function returns a promise, when the promise settles', async () => {
    await turn({}, async (t) => {
      t.userSpeechEnded(at(2, 0));
      await Promise.resolve();
      t.agentAudioStarted(at(2, 800_000_000));
    });
    expect((await onlyTurn()).attributes['convotel.turn.perceived_latency_ms']).toBe(800);
  });
});

describe('interruptions', () => {
  it('records the user barging in: event, side, interrupted flag', async () => {
    turn({}, (t) => t.interrupted({ by: 'user', at: at(4, 100) }));
    const span = await onlyTurn();
    const [event] = span.events;
    expect(event).toMatchObject({ name: 'convotel.interruption', time: at(4, 100), attributes: { 'convotel.interruption.by': 'user' } });
    expect(span.attributes['convotel.interruption.by']).toBe('user');
    expect(span.attributes['convotel.turn.interrupted']).toBe(true);
  });

  it('records the agent talking over the user without marking the turn interrupted', async () => {
    turn({}, (t) => t.interrupted({ by: 'agent', at: new Date(T0 * 1000) }));
    const span = await onlyTurn();
    expect(span.events[0]?.attributes).toEqual({ 'convotel.interruption.by': 'agent' });
    expect(span.attributes['convotel.interruption.by']).toBe('agent');
    expect(span.attributes['convotel.turn.interrupted']).toBeUndefined();
  });

  it('keeps setInterrupted working beside it', async () => {
    turn({}, (t) => t.setInterrupted());
    expect((await onlyTurn()).attributes['convotel.turn.interrupted']).toBe(true);
  });

  it('stores what the agent said before the cut only with content capture on, redacted', async () => {
    const spokenText = 'Your order ships to ann@example.com on';
    setActiveConfig(resolveConfig({ captureContent: false }));
    turn({}, (t) => t.interrupted({ by: 'user', spokenText }));
    setActiveConfig(resolveConfig({ captureContent: true }));
    turn({}, (t) => t.interrupted({ by: 'user', spokenText }));
    const [off, on] = await tracing.spans();
    expect(off!.attributes['convotel.turn.agent_output']).toBeUndefined();
    expect(on!.attributes['convotel.turn.agent_output']).toBe('Your order ships to [REDACTED_EMAIL] on');
  });
});

describe('markers given bad values', () => {
  it('never throw into the caller: the fault goes to diag and nothing is recorded', async () => {
    const result = turn({}, (t) => {
      t.userSpeechEnded('yesterday' as unknown as TimeInput);
      t.agentAudioStarted([Number.NaN, 0]);
      t.interrupted({ by: 'nobody' } as unknown as Parameters<typeof t.interrupted>[0]);
      t.interrupted(undefined as unknown as Parameters<typeof t.interrupted>[0]);
      return 'answered';
    });
    expect(result).toBe('answered');
    const span = await onlyTurn();
    expect(span.events).toEqual([]);
    expect(span.attributes['convotel.interruption.by']).toBeUndefined();
    expect(span.attributes['convotel.turn.perceived_latency_ms']).toBeUndefined();
    expect(reported.filter((message) => message.startsWith('convotel:'))).toHaveLength(4);
  });
});

describe('telephony on the conversation', () => {
  it('records provider, direction and billed minutes on the conversation span', async () => {
    await conversation({ conversationId: 'call-1', telephony: { provider: 'twilio', direction: 'inbound', minutes: 3 } }, () => {});
    const conv = onlySpan(await tracing.spans(), 'conversation');
    expect(conv.attributes['convotel.telephony.provider']).toBe('twilio');
    expect(conv.attributes['convotel.telephony.direction']).toBe('inbound');
    expect(conv.attributes['convotel.telephony.minutes']).toBe(3);
  });

  it('leaves out what was not given or is not a valid value', async () => {
    const call = startConversation({
      telephony: { provider: 'telnyx', direction: 'sideways' as 'inbound', minutes: Number.NaN },
    });
    call.end();
    const conv = onlySpan(await tracing.spans(), 'conversation');
    expect(conv.attributes['convotel.telephony.provider']).toBe('telnyx');
    expect(conv.attributes['convotel.telephony.direction']).toBeUndefined();
    expect(conv.attributes['convotel.telephony.minutes']).toBeUndefined();
  });
});
