// `convotel latency` and the voice breakdown of `convotel summary`, as a user runs them: the
// built CLI in a child process against a real API and ingest on PostgreSQL, fed voice calls with
// turn markers through the real SDK. Figures are checked against the plan.
import { VOICE_STAGES } from '@convotel/semconv';
import { describe, expect, it } from 'vitest';
import { API_KEY, useReadSide } from '../../api/test/helpers/read-side.js';
import { percentileCont, voiceCallFacts, type VoiceTurnFact } from '../../api/test/helpers/voice-facts.js';
import { planVoiceCalls, playVoiceCalls, type PlannedVoiceCall } from '../../api/test/helpers/voice-traffic.js';
import type { VoiceLatencyAnswer } from '../src/client/answers.js';
import { cellsOf, rowOf, runCli } from './helpers/run-cli.js';

const HOUR_MS = 3_600_000;
const ms1 = (value: number): string => value.toFixed(1);
const pct = (share: number): string => `${Math.round(share * 100)}%`;

describe('convotel latency and the voice breakdown of summary', () => {
  let calls: PlannedVoiceCall[] = [];
  const side = useReadSide('postgres', {
    play: {
      startMs: (nowMs) => nowMs - 46 * HOUR_MS,
      run: async (clock, nowMs) => {
        calls = planVoiceCalls({ seed: 7, count: 9, fromMs: nowMs - 46 * HOUR_MS, toMs: nowMs - 2 * HOUR_MS });
        await playVoiceCalls(clock, calls);
      },
    },
  });
  const measured = (): VoiceTurnFact[] => calls.flatMap((c) => voiceCallFacts(c).turns).filter((t) => t.voiceToVoiceUs !== null);
  const connection = (): string[] => ['--url', `http://127.0.0.1:${side.api.port}`, '--api-key', API_KEY];
  const cli = async (args: string[]) => {
    const run = await runCli([...args, ...connection()]);
    expect(run.stderr, args.join(' ')).toBe('');
    expect(run.code, args.join(' ')).toBe(0);
    return run.stdout;
  };

  /** The rows of one stage table: a row per stage, then voice-to-voice, checked against `turns`. */
  function expectTable(lines: readonly string[], turns: readonly VoiceTurnFact[]): void {
    const v2v = turns.map((t) => t.voiceToVoiceUs! / 1000);
    const total = v2v.reduce((a, b) => a + b, 0);
    const find = (label: string) => cellsOf(lines.find((l) => cellsOf(l)[0] === label)!);
    for (const stage of VOICE_STAGES) {
      const ms = turns.map((t) => (t.contributions[stage] ?? 0) / 1000);
      const share = ms.reduce((a, b) => a + b, 0) / total;
      expect(find(stage), stage).toEqual([stage, ms1(percentileCont(ms, 0.5)), ms1(percentileCont(ms, 0.95)), ms1(ms.reduce((a, b) => a + b, 0) / turns.length), pct(share)]);
    }
    expect(find('voice-to-voice')).toEqual([
      'voice-to-voice',
      ms1(percentileCont(v2v, 0.5)),
      ms1(percentileCont(v2v, 0.95)),
      ms1(percentileCont(v2v, 0.99)),
      ms1(total / turns.length),
      '100%',
      String(turns.length),
    ]);
  }

  it('answers "p95 voice-to-voice by stage for this agent this week" in one table', async () => {
    const out = await cli(['latency', '--agent', 'support', '--hours', '168']);
    const lines = out.split('\n');
    expect(lines[1]).toBe('Voice-to-Voice Latency by Stage (agent support, last 168 hours)');
    expect(cellsOf(lines.find((l) => l.startsWith('Stage'))!)).toEqual(['Stage', 'P50 (ms)', 'P95 (ms)', 'P99 (ms)', 'Avg (ms)', 'Share', 'Turns']);
    const support = measured().filter((t) => t.call.agentName === 'support');
    expectTable(lines, support);
    const p95 = percentileCont(support.map((t) => t.voiceToVoiceUs! / 1000), 0.95);
    expect(out).toContain(`• p95 voice-to-voice ${ms1(p95)} ms over ${support.length} turns`);
  });

  it('prints one block per group with --by, and the API answer with --json', async () => {
    const out = await cli(['latency', '--hours', '168', '--by', 'agent']);
    const blocks = out.split(/\n(?=Agent: )/).slice(1);
    const agents = [...new Set(measured().map((t) => t.call.agentName))];
    expect(blocks.map((b) => b.split('\n')[0]).sort()).toEqual(agents.map((a) => `Agent: ${a}`).sort());
    for (const block of blocks) {
      const agent = block.split('\n')[0]!.slice('Agent: '.length);
      expectTable(block.split('\n'), measured().filter((t) => t.call.agentName === agent));
    }
    const json = JSON.parse(await cli(['latency', '--hours', '168', '--by', 'hour', '--json'])) as VoiceLatencyAnswer;
    const { body } = await side.get('/api/v1/voice/latency', { hours: 168, by: 'hour' });
    expect({ ...json, window: undefined }).toEqual({ ...(body as VoiceLatencyAnswer), window: undefined });
  });

  it('refuses a grouping it does not know', async () => {
    const run = await runCli(['latency', '--by', 'user', ...connection()]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("argument 'user' is invalid");
  });

  it("summary shows each voice turn's voice-to-voice breakdown, its dominant stage and who interrupted", async () => {
    const call = calls.find((c) => c.turns.some((t) => t.voice?.interruptedBy !== undefined) && c.channel === 'voice')!;
    const facts = voiceCallFacts(call);
    const out = await cli(['summary', call.conversationId]);
    const voiceLines = out.split('\n').filter((l) => l.startsWith('  Voice-to-voice: '));
    expect(voiceLines).toHaveLength(facts.turns.filter((t) => t.isVoice).length);
    for (const [i, fact] of facts.turns.filter((t) => t.isVoice).entries()) {
      const line = voiceLines[i]!;
      const by = fact.turn.voice?.interruptedBy;
      if (by !== undefined) expect(line).toContain(`interrupted by the ${by}`);
      else expect(line).not.toContain('interrupted');
      if (fact.voiceToVoiceUs === null) {
        expect(line).toContain('the agent never spoke');
        continue;
      }
      const v2vMs = fact.voiceToVoiceUs / 1000;
      expect(line).toContain(`Voice-to-voice: ${(v2vMs / 1000).toFixed(3)}s (${ms1(v2vMs)}ms), from markers`);
    }
    for (const fact of facts.turns.filter((t) => t.voiceToVoiceUs !== null)) {
      for (const [stage, us] of Object.entries(fact.contributions)) {
        const cells = out.split('\n').map(cellsOf).find((c) => c[0] === stage && c[3] === `(${ms1(us / 1000)}ms)`);
        expect(cells, `${stage} ${us}`).toBeDefined();
        expect(cells![4]).toBe(pct(us / fact.voiceToVoiceUs!));
        if (stage === fact.dominantStage) expect(cells![5]).toBe('← dominant');
      }
    }
    expect(rowOf(out, 'unattributed')).toBeDefined();
  });
});
