// What the live page keeps from the feed: calls with their turns in order, a call moved aside when
// its end arrives, resent notices counted once, and memory bounded however long the page stays open.
import type { ConversationNotice, ErrorNotice, TurnNotice } from '@convotel/store';
import { describe, expect, it } from 'vitest';
import { EMPTY_LIVE_STATE, MAX_EVENTS, MAX_TURNS, applyMessages, applySnapshot, type FeedMessage } from '../app/src/pages/live/live-state.js';

let sequence = 0;

function turn(conversationId: string, index: number, changes: Partial<TurnNotice> = {}): FeedMessage {
  sequence += 1;
  const notice: TurnNotice = {
    type: 'turn',
    id: `tx-${sequence}`,
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, sequence)).toISOString(),
    conversation_id: conversationId,
    service_name: 'voice-agent',
    agent_name: null,
    turn_id: `${conversationId}-trace-${index}`,
    trace_id: `${conversationId}-trace-${index}`,
    user_id: null,
    session_id: null,
    channel: 'voice',
    turn_index: index,
    started_at: new Date(Date.UTC(2026, 0, 1, 0, 0, sequence)).toISOString(),
    ended_at: new Date(Date.UTC(2026, 0, 1, 0, 0, sequence, 500)).toISOString(),
    duration_ms: 500,
    perceived_latency_ms: 300,
    interrupted: false,
    status: 'ok',
    error_type: null,
    error_message: null,
    llm_calls: 1,
    input_tokens: 10,
    output_tokens: 5,
    cost_usd: 0.001,
    ...changes,
  };
  return { type: 'turn', id: notice.id, data: { ...notice } };
}

function ended(conversationId: string, turns: number): FeedMessage {
  sequence += 1;
  const notice: ConversationNotice = {
    type: 'conversation',
    id: `tx-${sequence}`,
    at: '2026-01-01T01:00:00.000Z',
    conversation_id: conversationId,
    service_name: 'voice-agent',
    agent_name: 'support',
    user_id: null,
    channel: 'voice',
    status: 'completed',
    end_reason: 'hangup',
    started_at: '2026-01-01T00:00:00.000Z',
    ended_at: '2026-01-01T01:00:00.000Z',
    duration_ms: 3_600_000,
    turns,
    llm_calls: turns,
    errors: 0,
    cost_usd: 0.01,
  };
  return { type: 'conversation', id: notice.id, data: { ...notice } };
}

describe('live state', () => {
  it('keeps a call’s turns in index order whatever order they arrive in, and a resent turn once', () => {
    const state = applyMessages(EMPTY_LIVE_STATE, [turn('c1', 1), turn('c1', 0), turn('c1', 2), turn('c1', 1)]);
    expect(state.active.get('c1')?.turns.map((one) => one.turn_index)).toEqual([0, 1, 2]);
    expect(state.turnsKept).toBe(3);
    expect(state.events).toHaveLength(4);
  });

  it('moves a call to the ended ones when its conversation end arrives, and keeps late turns with it', () => {
    let state = applyMessages(EMPTY_LIVE_STATE, [turn('c2', 0), ended('c2', 2)]);
    expect(state.active.has('c2')).toBe(false);
    expect(state.ended.map((call) => call.conversation_id)).toEqual(['c2']);
    state = applyMessages(state, [turn('c2', 1)]);
    expect(state.active.has('c2')).toBe(false);
    expect(state.ended[0]?.turns).toHaveLength(2);
    expect(state.ended[0]?.end_reason).toBe('hangup');
  });

  it('lists a failed turn once (its error notice adds no row) and an error event, with their messages, newest first', () => {
    sequence += 1;
    const error: ErrorNotice = {
      type: 'error',
      id: `tx-${sequence}`,
      at: '2026-01-01T00:10:00.000Z',
      conversation_id: 'c3',
      service_name: null,
      agent_name: null,
      source: 'event',
      trace_id: 't',
      span_id: null,
      event_id: 'e1',
      error_type: 'balance_lookup',
      message: 'account service down',
      component: 'account_service',
      severity: 'ERROR',
      time: '2026-01-01T00:10:00.000Z',
    };
    const failed = turn('c3', 0, { status: 'error', error_type: 'RateLimitError', error_message: '429 slow down' });
    const fromTurn: ErrorNotice = { ...error, id: 'tx-turn-error', source: 'turn', trace_id: 'c3-trace-0', event_id: null, error_type: 'RateLimitError', message: '429 slow down' };
    const state = applyMessages(EMPTY_LIVE_STATE, [failed, { type: 'error', id: fromTurn.id, data: { ...fromTurn } }, { type: 'error', id: error.id, data: { ...error } }]);
    expect(state.events.map((event) => [event.type, event.isError, event.message])).toEqual([
      ['error', true, 'account service down'],
      ['turn', true, '429 slow down'],
    ]);
  });

  it(`keeps at most ${MAX_TURNS} turns and ${MAX_EVENTS} events, letting the oldest go first`, () => {
    let state = EMPTY_LIVE_STATE;
    for (let c = 0; c < 30; c += 1) {
      const messages = Array.from({ length: 40 }, (_, index) => turn(`bulk-${c}`, index));
      if (c % 2 === 0) messages.push(ended(`bulk-${c}`, 40));
      state = applyMessages(state, messages);
    }
    const kept = [...state.active.values(), ...state.ended].reduce((sum, call) => sum + call.turns.length, 0);
    expect(kept).toBe(state.turnsKept);
    expect(kept).toBeLessThanOrEqual(MAX_TURNS);
    expect(state.turnsKept + state.turnsDropped).toBe(30 * 40);
    expect(state.events).toHaveLength(MAX_EVENTS);
    // The newest call still has all its turns.
    expect(state.active.get('bulk-29')?.turns).toHaveLength(40);
  });

  it('adds the calls in progress when the page opened, without reviving one the feed saw end', () => {
    let state = applyMessages(EMPTY_LIVE_STATE, [turn('gone', 0), ended('gone', 1)]);
    const summary = (id: string) => ({
      conversation_id: id,
      user_id: null,
      session_id: null,
      service_name: 'voice-agent',
      agent_name: 'support',
      channel: 'voice',
      status: 'active',
      end_reason: null,
      started_at: '2026-01-01T00:00:00.000Z',
      ended_at: null,
      duration_ms: null,
      turns: 1,
      llm_calls: 1,
      input_tokens: 0,
      output_tokens: 0,
      cost_usd: 0,
      errors: 0,
      metadata: {},
    });
    state = applySnapshot(state, [summary('gone'), summary('ongoing')], new Map());
    expect([...state.active.keys()]).toEqual(['ongoing']);
    expect(state.ended.map((call) => call.conversation_id)).toEqual(['gone']);
  });
});
