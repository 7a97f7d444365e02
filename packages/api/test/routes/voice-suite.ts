// The voice routes (/voice/latency, /voice/dominant, /voice/interruptions, /voice/cost), the
// voice breakdown of each turn in the conversation detail and the overview's voice figure,
// against voice calls played through the real SDK (turn markers as span events) and the real
// ingest. Every expected figure comes from the plan (helpers/voice-facts.ts).
import { VOICE_STAGES, type VoiceStage } from '@convotel/semconv';
import { describe, expect, it } from 'vitest';
import { conversationDetailResponse } from '../../src/routes/conversation-detail.js';
import { overviewResponse } from '../../src/routes/overview.js';
import { voiceCostResponse } from '../../src/routes/voice-cost.js';
import { voiceDominantResponse } from '../../src/routes/voice-dominant.js';
import { voiceInterruptionsResponse } from '../../src/routes/voice-interruptions.js';
import { voiceLatencyResponse } from '../../src/routes/voice-latency.js';
import type { StoreKind } from '../helpers/databases.js';
import { useReadSide } from '../helpers/read-side.js';
import { percentileCont, voiceCallFacts, type VoiceTurnFact } from '../helpers/voice-facts.js';
import { planVoiceCalls, playVoiceCalls, type PlannedVoiceCall } from '../helpers/voice-traffic.js';

const HOUR_MS = 3_600_000;

type DominantRow = { conversationId: string; turnIndex: number | null; stageMs: number };
const byStageMsThenTurn = (a: DominantRow, b: DominantRow): number =>
  b.stageMs - a.stageMs || a.conversationId.localeCompare(b.conversationId) || (a.turnIndex ?? 0) - (b.turnIndex ?? 0);

export function describeVoice(kind: StoreKind): void {
  describe(`the voice routes (${kind})`, () => {
    let calls: PlannedVoiceCall[] = [];
    const side = useReadSide(kind, {
      play: {
        startMs: (nowMs) => nowMs - 46 * HOUR_MS,
        run: async (clock, nowMs) => {
          calls = planVoiceCalls({ seed: 7, count: 9, fromMs: nowMs - 46 * HOUR_MS, toMs: nowMs - 2 * HOUR_MS });
          await playVoiceCalls(clock, calls);
        },
      },
    });
    const facts = () => calls.map(voiceCallFacts);
    const turnFacts = (): VoiceTurnFact[] => facts().flatMap((f) => f.turns);
    const measured = (): VoiceTurnFact[] => turnFacts().filter((t) => t.voiceToVoiceUs !== null);

    async function get(path: string, query: Record<string, string | number> = {}): Promise<unknown> {
      const { status, body } = await side.get(`/api/v1${path}`, { ...side.everything, ...query });
      expect(status, JSON.stringify(body)).toBe(200);
      return body;
    }

    async function detail(conversationId: string) {
      const { status, body } = await side.get(`/api/v1/conversations/${conversationId}`);
      expect(status, JSON.stringify(body)).toBe(200);
      return conversationDetailResponse.parse(body);
    }

    /** The figures /voice/latency must answer for `turns`, computed in the test. */
    function expectedGroup(turns: readonly VoiceTurnFact[]) {
      const v2v = turns.map((t) => t.voiceToVoiceUs! / 1000);
      const total = v2v.reduce((a, b) => a + b, 0);
      return {
        turns: turns.length,
        voice_to_voice: { p50_ms: percentileCont(v2v, 0.5), p95_ms: percentileCont(v2v, 0.95), p99_ms: percentileCont(v2v, 0.99), avg_ms: total / turns.length },
        stages: VOICE_STAGES.map((stage) => {
          const ms = turns.map((t) => (t.contributions[stage] ?? 0) / 1000);
          const sum = ms.reduce((a, b) => a + b, 0);
          return { stage, p50_ms: percentileCont(ms, 0.5), p95_ms: percentileCont(ms, 0.95), avg_ms: sum / turns.length, share: sum / total };
        }),
      };
    }

    function expectGroup(actual: ReturnType<typeof voiceLatencyResponse.parse>['groups'][number], turns: readonly VoiceTurnFact[]): void {
      const expected = expectedGroup(turns);
      expect(actual.turns).toBe(expected.turns);
      for (const key of ['p50_ms', 'p95_ms', 'p99_ms', 'avg_ms'] as const) expect(actual.voice_to_voice[key], key).toBeCloseTo(expected.voice_to_voice[key], 6);
      expect(actual.stages.map((s) => s.stage)).toEqual([...VOICE_STAGES]);
      for (const [i, stage] of actual.stages.entries()) {
        const want = expected.stages[i]!;
        for (const key of ['p50_ms', 'p95_ms', 'avg_ms', 'share'] as const) expect(stage[key], `${stage.stage} ${key}`).toBeCloseTo(want[key], 6);
      }
      expect(actual.stages.reduce((sum, s) => sum + s.share, 0)).toBeCloseTo(1, 12);
    }

    it('answers voice-to-voice p50/p95/p99 and each stage’s p50, p95 and share, exact from the markers', async () => {
      const answer = voiceLatencyResponse.parse(await get('/voice/latency'));
      expect(answer).toMatchObject({ hours: 48, by: 'none' });
      expect(answer.groups).toHaveLength(1);
      expect(answer.groups[0]!.key).toBeNull();
      expectGroup(answer.groups[0]!, measured());
    });

    it('groups by agent and by UTC hour, and filters by agent', async () => {
      const byAgent = voiceLatencyResponse.parse(await get('/voice/latency', { by: 'agent' }));
      const agents = [...new Set(measured().map((t) => t.call.agentName))];
      expect(byAgent.groups.map((g) => g.key).sort()).toEqual(agents.sort());
      for (const group of byAgent.groups) expectGroup(group, measured().filter((t) => t.call.agentName === group.key));
      // Most turns first.
      expect(byAgent.groups.map((g) => g.turns)).toEqual([...byAgent.groups.map((g) => g.turns)].sort((a, b) => b - a));

      const support = voiceLatencyResponse.parse(await get('/voice/latency', { agent: 'support' }));
      expectGroup(support.groups[0]!, measured().filter((t) => t.call.agentName === 'support'));

      const byHour = voiceLatencyResponse.parse(await get('/voice/latency', { by: 'hour' }));
      const hourOf = (ms: number): string => `${new Date(Math.floor(ms / HOUR_MS) * HOUR_MS).toISOString().slice(0, 13)}:00:00Z`;
      const hours = [...new Set(measured().map((t) => hourOf(t.startMs)))].sort();
      expect(byHour.groups.map((g) => g.key)).toEqual(hours);
      for (const group of byHour.groups) expectGroup(group, measured().filter((t) => hourOf(t.startMs) === group.key));
    });

    it('shows each turn’s breakdown in the conversation detail: contributions that sum to voice-to-voice, markers, who interrupted', async () => {
      for (const fact of facts()) {
        const answer = await detail(fact.call.conversationId);
        expect(answer.turns).toHaveLength(fact.turns.length);
        for (const [i, turn] of answer.turns.entries()) {
          const want = fact.turns[i]!;
          expect(turn.turn_span_id).toBeNull();
          expect(turn.turn_id).toBe(turn.trace_id);
          if (!want.isVoice) {
            expect(turn.voice).toBeNull();
            continue;
          }
          const voice = turn.voice!;
          expect(voice.voice_to_voice_us).toBe(want.voiceToVoiceUs);
          expect(voice.voice_to_voice_ms).toBe(want.voiceToVoiceUs === null ? null : want.voiceToVoiceUs / 1000);
          const at = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));
          expect({
            userSpeechStartedAt: at(voice.markers.user_speech_started_at),
            userSpeechEndedAt: at(voice.markers.user_speech_ended_at),
            agentAudioStartedAt: at(voice.markers.agent_audio_started_at),
            agentAudioEndedAt: at(voice.markers.agent_audio_ended_at),
          }).toEqual({
            userSpeechStartedAt: want.userSpeechStartedMs,
            userSpeechEndedAt: want.userSpeechEndedMs,
            agentAudioStartedAt: want.agentAudioStartedMs,
            agentAudioEndedAt: want.agentAudioEndedMs,
          });
          expect(voice.interrupted_by).toBe(want.turn.voice?.interruptedBy ?? null);
          if (want.voiceToVoiceUs === null) continue;
          expect(voice.source).toBe('markers');
          expect(voice.contributions.reduce((sum, c) => sum + c.us, 0)).toBe(voice.voice_to_voice_us);
          for (const c of voice.contributions) expect(c.ms).toBe(c.us / 1000);
          const nonZero = Object.fromEntries(voice.contributions.filter((c) => c.us !== 0).map((c) => [c.stage, c.us]));
          expect(nonZero).toEqual(Object.fromEntries(Object.entries(want.contributions).filter(([, us]) => us !== 0)));
          expect(voice.dominant_stage).toBe(want.dominantStage);
        }
      }
    });

    it('lists the turns a stage dominated, largest contribution first, paged', async () => {
      const stages = [...new Set(measured().map((t) => t.dominantStage!))];
      expect(stages.length).toBeGreaterThan(1);
      for (const stage of stages as VoiceStage[]) {
        const expected = measured()
          .filter((t) => t.dominantStage === stage)
          .map((t) => ({ conversationId: t.call.conversationId, turnIndex: t.index, stageMs: t.contributions[stage]! / 1000, voiceToVoiceMs: t.voiceToVoiceUs! / 1000 }))
          .sort(byStageMsThenTurn);
        const seen: unknown[] = [];
        let cursor: string | null = null;
        do {
          const page = voiceDominantResponse.parse(await get('/voice/dominant', { stage, limit: 2, ...(cursor === null ? {} : { cursor }) }));
          expect(page.items.length).toBeLessThanOrEqual(2);
          for (const item of page.items) {
            expect(item.stage).toBe(stage);
            expect(item.turn_span_id).toBeNull();
            expect(item.share).toBeCloseTo(item.stage_ms / item.voice_to_voice_ms, 12);
            seen.push({ conversationId: item.conversation_id, turnIndex: item.turn_index, stageMs: item.stage_ms, voiceToVoiceMs: item.voice_to_voice_ms });
          }
          cursor = page.next_cursor;
        } while (cursor !== null);
        // Largest first; equal contributions in the API's own order (by turn id), so compare them sorted alike.
        const stageMs = seen.map((item) => (item as { stageMs: number }).stageMs);
        expect(stageMs).toEqual([...stageMs].sort((a, b) => b - a));
        expect([...(seen as typeof expected)].sort(byStageMsThenTurn)).toEqual(expected);
      }
    });

    it('counts interruptions by each side and dead air only where the markers say so', async () => {
      const all = turnFacts();
      for (const deadAirMs of [2000, 1200.5]) {
        const answer = voiceInterruptionsResponse.parse(await get('/voice/interruptions', { dead_air_ms: deadAirMs }));
        const within = all.filter((t) => t.voiceToVoiceUs !== null && t.voiceToVoiceUs / 1000 > deadAirMs);
        const between = all.filter((t) => t.silenceBeforeMs !== null && t.silenceBeforeMs > deadAirMs);
        const withDeadAir = all.filter((t) => within.includes(t) || between.includes(t));
        const voiceTurns = all.filter((t) => t.isVoice).length;
        const byUser = all.filter((t) => t.turn.voice?.interruptedBy === 'user').length;
        const byAgent = all.filter((t) => t.turn.voice?.interruptedBy === 'agent').length;
        expect(byUser).toBeGreaterThan(0);
        expect(byAgent).toBeGreaterThan(0);
        expect(between.length).toBeGreaterThan(0);
        expect(answer).toMatchObject({
          turns: all.length,
          voice_turns: voiceTurns,
          interrupted_by_user: byUser,
          interrupted_by_agent: byAgent,
          dead_air: { threshold_ms: deadAirMs, silences: within.length + between.length, turns_with_dead_air: withDeadAir.length },
        });
        expect(answer.user_interruption_rate).toBeCloseTo(byUser / all.length, 12);
        expect(answer.agent_interruption_rate).toBeCloseTo(byAgent / all.length, 12);
        expect(answer.dead_air.rate).toBeCloseTo(withDeadAir.length / voiceTurns, 12);
        const longest = Math.max(...within.map((t) => t.voiceToVoiceUs! / 1000), ...between.map((t) => t.silenceBeforeMs!));
        expect(answer.dead_air.longest_ms).toBeCloseTo(longest, 6);
      }
    });

    it('answers whole-call cost and cost per call minute over voice and telephony calls', async () => {
      const voiceCalls = facts().filter((f) => f.call.channel === 'voice' || f.call.telephonyMinutes !== undefined);
      const telephony: number[] = [];
      for (const fact of voiceCalls) {
        const c = (await detail(fact.call.conversationId)).conversation;
        if (fact.call.telephonyMinutes === undefined) {
          expect(c.telephony).toBeNull();
          telephony.push(0);
          continue;
        }
        expect(c.telephony).toMatchObject({ provider: 'twilio', direction: 'inbound', minutes: fact.call.telephonyMinutes });
        expect(c.telephony!.cost_usd).toBeGreaterThan(0);
        telephony.push(c.telephony!.cost_usd!);
        expect(c.call_cost_usd).toBeCloseTo(c.cost_usd + c.telephony!.cost_usd!, 9);
      }
      const answer = voiceCostResponse.parse(await get('/voice/cost'));
      const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
      const costs = {
        llm: sum(voiceCalls.map((f) => f.llmCostUsd)),
        stt: sum(voiceCalls.map((f) => f.sttCostUsd)),
        tts: sum(voiceCalls.map((f) => f.ttsCostUsd)),
        telephony: sum(telephony),
        other: 0,
      };
      const total = costs.llm + costs.stt + costs.tts + costs.telephony;
      const minutes = sum(voiceCalls.map((f) => f.callMinutes));
      expect(answer.calls).toBe(voiceCalls.length);
      expect(answer.call_minutes).toBeCloseTo(minutes, 9);
      for (const key of ['llm', 'stt', 'tts', 'telephony', 'other'] as const) expect(answer.cost_usd[key], key).toBeCloseTo(costs[key], 9);
      expect(costs.stt).toBeGreaterThan(0);
      expect(answer.cost_usd.total).toBeCloseTo(total, 9);
      expect(answer.cost_per_call_minute_usd).toBeCloseTo(total / minutes, 9);
    });

    it('leads the overview with voice-to-voice latency', async () => {
      const answer = overviewResponse.parse(await get('/overview'));
      const v2v = measured().map((t) => t.voiceToVoiceUs! / 1000);
      expect(answer.voice?.turns).toBe(v2v.length);
      expect(answer.voice!.voice_to_voice.p50_ms).toBeCloseTo(percentileCont(v2v, 0.5), 6);
      expect(answer.voice!.voice_to_voice.p95_ms).toBeCloseTo(percentileCont(v2v, 0.95), 6);
      expect(answer.voice!.voice_to_voice.p99_ms).toBeCloseTo(percentileCont(v2v, 0.99), 6);
      const empty = overviewResponse.parse(await get('/overview', { agent: 'nobody' }));
      expect(empty.voice).toBeNull();
    });

    it('answers 400 with the reason for a bad stage, grouping or dead-air threshold', async () => {
      const cases: [string, Record<string, string>, string][] = [
        ['/voice/dominant', { stage: 'llm' }, 'stage'],
        ['/voice/dominant', {}, 'stage'],
        ['/voice/latency', { by: 'user' }, 'by'],
        ['/voice/interruptions', { dead_air_ms: '0' }, 'dead_air_ms'],
        ['/voice/interruptions', { dead_air_ms: '-5' }, 'dead_air_ms'],
        ['/voice/interruptions', { dead_air_ms: 'soon' }, 'dead_air_ms'],
        ['/voice/interruptions', { dead_air_ms: '3600001' }, 'dead_air_ms'],
        ['/voice/cost', { model: 'gpt-4o' }, 'model'],
        ['/voice/dominant', { stage: 'tools', cursor: 'bm90IGEgY3Vyc29y' }, 'cursor'],
      ];
      for (const [path, query, parameter] of cases) {
        const { status, body } = await side.get(`/api/v1${path}`, query);
        expect(status, `${path} ${JSON.stringify(query)}: ${JSON.stringify(body)}`).toBe(400);
        expect(body).toMatchObject({ error: { code: 'invalid_parameter', parameter } });
        expect((body as { error: { message: string } }).error.message.length).toBeGreaterThan(0);
      }
      const { status } = await side.get('/api/v1/voice/latency', {}, {});
      expect(status).toBe(401);
    });
  });
}
