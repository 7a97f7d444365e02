import { describe, expect, it } from 'vitest';
import { RecentEvents, type LiveEntry } from '../../src/live/recent-events.js';

const event = (id: string): LiveEntry => ({ kind: 'event', id, type: 'turn', data: '{}', conversationId: null, agentName: null, serviceName: null });

describe('the buffer of recent live events', () => {
  it('answers what came after an id it holds, gaps included, and nothing for an id it never had or dropped', () => {
    const recent = new RecentEvents(3);
    recent.push(event('1-1'));
    recent.push(event('1-2'));
    expect(recent.after('1-1')).toEqual([event('1-2')]);
    expect(recent.after('1-2')).toEqual([]);
    expect(recent.after('9-9')).toBeUndefined();
    recent.push({ kind: 'gap', reason: 'listener_lost' });
    recent.push(event('2-1'));
    // 1-1 was pushed out by the fourth entry.
    expect(recent.after('1-1')).toBeUndefined();
    expect(recent.after('1-2')).toEqual([{ kind: 'gap', reason: 'listener_lost' }, event('2-1')]);
    expect(recent.size).toBe(3);
  });
});
