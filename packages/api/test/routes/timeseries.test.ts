// GET /api/v1/timeseries and /busiest-hours against buckets computed from the planned traffic.
import { describe, expect, it } from 'vitest';
import { busiestHoursResponse } from '../../src/routes/busiest-hours.js';
import { timeseriesResponse } from '../../src/routes/timeseries.js';
import { conversationFacts, isInWindow, percentileCont, sum, type TurnFact } from '../helpers/expected.js';
import { useReadSide } from '../helpers/read-side.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Asia/Kolkata is UTC+05:30 all year: half-hour offsets move both hour and day boundaries.
const KOLKATA_OFFSET = 5.5 * HOUR;

/** Bucket starts (UTC ms) covering [from, to), for a fixed offset from UTC. */
function bucketStarts(window: { from: string; to: string }, size: number, offset: number): number[] {
  const first = Math.floor((Date.parse(window.from) + offset) / size) * size - offset;
  const starts: number[] = [];
  for (let t = first; t < Date.parse(window.to); t += size) starts.push(t);
  return starts;
}

describe('GET /api/v1/timeseries and /busiest-hours', () => {
  const side = useReadSide('postgres');
  const turns = (): TurnFact[] => side.plan.flatMap((c) => conversationFacts(c).turns);

  async function series(query: Record<string, string | number>) {
    const { status, body } = await side.get('/api/v1/timeseries', { ...side.everything, ...query });
    expect(status, JSON.stringify(body)).toBe(200);
    return timeseriesResponse.parse(body);
  }

  function expectedPoints(size: number, offset: number, value: (turns: TurnFact[]) => number): Array<[number, number]> {
    return bucketStarts(side.everything, size, offset).map((start) => {
      const inBucket = turns().filter((t) => t.startMs >= start && t.startMs < start + size && isInWindow(t.startMs, side.everything));
      return [start, value(inBucket)];
    });
  }

  const toPairs = (answer: ReturnType<typeof timeseriesResponse.parse>): Array<[number, number]> => answer.points.map((p) => [Date.parse(p.t), p.value]);

  it('counts turns per hour, empty hours as 0', async () => {
    const answer = await series({ metric: 'turns' });
    const expected = expectedPoints(HOUR, 0, (bucket) => bucket.length);
    expect(toPairs(answer)).toEqual(expected);
    expect(expected.some(([, v]) => v === 0)).toBe(true);
    expect(sum(expected.map(([, v]) => v))).toBe(turns().length);
  });

  it('sums cost and counts failed turns per day in a time zone', async () => {
    const cost = await series({ metric: 'cost_usd', interval: 'day', tz: 'Asia/Kolkata' });
    const expected = expectedPoints(DAY, KOLKATA_OFFSET, (bucket) => sum(bucket.map((t) => t.costUsd)));
    expect(cost.points.map((p) => Date.parse(p.t))).toEqual(expected.map(([t]) => t));
    for (const [i, [, value]] of expected.entries()) expect(cost.points[i]!.value).toBeCloseTo(value, 9);
    const errors = await series({ metric: 'errors', interval: 'day', tz: 'Asia/Kolkata' });
    expect(toPairs(errors)).toEqual(expectedPoints(DAY, KOLKATA_OFFSET, (bucket) => bucket.filter((t) => t.isFailed).length));
  });

  it('answers the exact p95 of turn durations per hour', async () => {
    const answer = await series({ metric: 'turn_p95_ms' });
    const expected = expectedPoints(HOUR, 0, (bucket) => percentileCont(bucket.map((t) => t.durationMs), 0.95) ?? 0);
    expect(answer.points.map((p) => Date.parse(p.t))).toEqual(expected.map(([t]) => t));
    for (const [i, [, value]] of expected.entries()) expect(answer.points[i]!.value).toBeCloseTo(value, 6);
  });

  it('counts conversations by start and LLM calls per hour', async () => {
    const conversations = await series({ metric: 'conversations' });
    expect(sum(conversations.points.map((p) => p.value))).toBe(side.plan.length);
    const calls = await series({ metric: 'llm_calls' });
    expect(sum(calls.points.map((p) => p.value))).toBe(sum(side.plan.map((c) => conversationFacts(c).calls.length)));
  });

  it('refuses an unknown metric, interval or time zone', async () => {
    for (const [name, value] of [['metric', 'rows'], ['interval', 'minute'], ['tz', 'Mars/Olympus'], ['tz', "UTC'; DROP TABLE traces; --"]] as const) {
      const { status, body } = await side.get('/api/v1/timeseries', { metric: 'turns', [name]: value });
      expect(status).toBe(400);
      expect(body).toMatchObject({ error: { code: 'invalid_parameter', parameter: name } });
    }
    const missing = await side.get('/api/v1/timeseries', {});
    expect(missing).toMatchObject({ status: 400, body: { error: { parameter: 'metric' } } });
  });

  it('answers the busiest hours of the day, in UTC and in a time zone', async () => {
    for (const [tz, offset] of [['UTC', 0], ['Asia/Kolkata', KOLKATA_OFFSET]] as const) {
      const { status, body } = await side.get('/api/v1/busiest-hours', { ...side.everything, tz });
      expect(status).toBe(200);
      const answer = busiestHoursResponse.parse(body);
      const counts = new Array<number>(24).fill(0);
      for (const fact of side.plan.map(conversationFacts)) counts[new Date(fact.startedMs + offset).getUTCHours()]! += 1;
      const expected = counts.map((conversations, hour) => ({ hour_of_day: hour, conversations })).sort((a, b) => b.conversations - a.conversations || a.hour_of_day - b.hour_of_day);
      expect(answer.items).toEqual(expected);
    }
  });

  it('answers all zeros for an empty window', async () => {
    const { body: empty } = await side.get('/api/v1/timeseries', { metric: 'turns', from: '2001-01-01T00:00:00Z', to: '2001-01-01T05:00:00Z' });
    expect(timeseriesResponse.parse(empty).points.map((p) => p.value)).toEqual([0, 0, 0, 0, 0]);
    const { body } = await side.get('/api/v1/busiest-hours', { from: '2001-01-01', to: '2001-01-02' });
    expect(busiestHoursResponse.parse(body).items.map((i) => i.conversations)).toEqual(new Array(24).fill(0));
  });

  it('answers the largest window: 2160 hourly points', async () => {
    const { status, body } = await side.get('/api/v1/timeseries', { metric: 'turns', hours: 2160 });
    expect(status).toBe(200);
    const answer = timeseriesResponse.parse(body);
    expect(answer.points.length).toBeGreaterThanOrEqual(2160);
    expect(answer.points.length).toBeLessThanOrEqual(2161);
    expect(sum(answer.points.map((p) => p.value))).toBe(turns().length);
  });
});
