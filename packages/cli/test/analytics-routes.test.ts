// The analytics commands over their API routes. The CLI runs as a child process against the API fed through the SDK and ingest; its tables
// are checked against the API's own answer and, where the plan fixes a figure, against the plan.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conversationFacts, type ConversationFact } from '../../api/test/helpers/expected.js';
import type { StepStatsAnswer } from '../src/client/answers.js';
import { API_KEY, useReadSide } from '../../api/test/helpers/read-side.js';
import { cellsOf, rowOf, runCli } from './helpers/run-cli.js';

const ms1 = (value: number | null | undefined): string => (value == null ? '—' : value.toFixed(1));

describe('convotel analytics commands over their API routes', () => {
  const side = useReadSide('postgres');
  const facts = (): ConversationFact[] => side.plan.map(conversationFacts);
  const connection = (): string[] => ['--url', `http://127.0.0.1:${side.api.port}`, '--api-key', API_KEY];
  const window = (): string[] => ['--from', side.everything.from, '--to', side.everything.to];
  const cli = async (args: string[]) => {
    const run = await runCli([args[0]!, ...connection(), ...args.slice(1)]);
    expect(run.stderr, args.join(' ')).toBe('');
    expect(run.code, args.join(' ')).toBe(0);
    return run.stdout;
  };
  const api = async <T>(path: string, query: Record<string, string | number> = {}): Promise<T> => {
    const { status, body } = await side.get(`/api/v1${path}`, query);
    expect(status, JSON.stringify(body)).toBe(200);
    return body as T;
  };

  describe('summary and trace', () => {
    /** A finished conversation with a failed turn: the seed session's case. */
    const failing = (): ConversationFact => facts().find((f) => f.status !== 'active' && f.errors > 0 && f.turns.length > 1)!;

    it("summary: each planned step ✓/✗ with its duration, the bottleneck's share, the failed turn's error", async () => {
      const fact = failing();
      const out = await cli(['summary', fact.conversation.conversationId]);
      expect(out).toContain(`Conversation: ${fact.conversation.conversationId}`);
      expect(out).toContain(`Total Duration: ${(fact.durationMs / 1000).toFixed(3)}s (${fact.durationMs.toFixed(1)}ms)`);
      const stepLines = out.split('\n').filter((l) => /^ {2}[✓✗] /.test(l));
      const planned = fact.turns.flatMap((t) => t.turn.steps.map((s) => ({ turn: t, step: s })));
      expect(stepLines).toHaveLength(planned.length);
      for (const [i, { turn, step }] of planned.entries()) {
        const line = stepLines[i]!;
        expect(line.startsWith(`  ${step.error === undefined ? '✓' : '✗'} ${step.name} `)).toBe(true);
        expect(line).toContain(`${(step.durationMs / 1000).toFixed(3)}s`);
        const longest = Math.max(...turn.turn.steps.map((s) => s.durationMs));
        const isOnlyLongest = turn.turn.steps.filter((s) => s.durationMs === longest).length === 1;
        if (isOnlyLongest && step.durationMs === longest) expect(line).toContain(`← ${Math.round((100 * longest) / turn.durationMs)}% of total time`);
        if (isOnlyLongest && step.durationMs !== longest) expect(line).not.toContain('←');
      }
      for (const turn of fact.turns.filter((t) => t.isFailed)) {
        const error = turn.turn.steps.find((s) => s.error !== undefined)!.error!;
        expect(out).toMatch(new RegExp(`^Turn ${turn.index} ✗ .*${error.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm'));
        expect(out).toContain(`      Error: ${error}`);
      }
    });

    it('trace: a conversation and one of its traces, every step with its duration, status and error', async () => {
      const fact = failing();
      const out = await cli(['trace', fact.conversation.conversationId]);
      expect(out).toContain(`Full Trace: ${fact.conversation.conversationId}`);
      const durations = out.split('\n').filter((l) => l.startsWith('    Duration: ')).map((l) => l.slice('    Duration: '.length));
      expect(durations).toEqual(fact.turns.flatMap((t) => t.turn.steps.map((s) => `${s.durationMs.toFixed(1)}ms`)));
      const statuses = out.split('\n').filter((l) => l.startsWith('    Status: ')).map((l) => l.trim().split(/\s+/)[1]);
      expect(statuses).toEqual(fact.turns.flatMap((t) => t.turn.steps.map((s) => (s.error === undefined ? 'completed' : 'failed'))));

      const detail = JSON.parse(await cli(['summary', fact.conversation.conversationId, '--json'])) as { turns: Array<{ trace_id: string }> };
      const failedTurn = fact.turns.find((t) => t.isFailed)!;
      const traceId = detail.turns[fact.turns.indexOf(failedTurn)]!.trace_id;
      const byTrace = await cli(['trace', traceId]);
      expect(byTrace).toContain(`Trace: ${traceId}`);
      expect(byTrace).toContain(`conversation ${fact.conversation.conversationId}`);
      expect(byTrace).toContain(`Error:    ${failedTurn.turn.steps.find((s) => s.error !== undefined)!.error}`);
    });
  });

  describe('averages and percentiles', () => {
    it('averages: one row per step with the API figures, for the planned steps', async () => {
      const out = await cli(['averages', ...window()]);
      const answer = await api<StepStatsAnswer>('/steps/stats', side.everything);
      const planned = new Set(facts().flatMap((f) => f.turns.flatMap((t) => t.turn.steps.map((s) => s.name))));
      expect(new Set(answer.items.map((s) => s.step))).toEqual(planned);
      for (const stats of answer.items) {
        expect(rowOf(out, stats.step)).toEqual([stats.step, stats.count.toLocaleString('en-US'), ms1(stats.avg_ms), ms1(stats.min_ms), ms1(stats.max_ms), ms1(stats.p95_ms), `${(stats.error_rate * 100).toFixed(2)}%`]);
      }
    });

    it('percentiles --step: p10…p99 of the step, median and p99 marked, the sample count', async () => {
      const out = await cli(['percentiles', '--step', 'llm', ...window()]);
      const [stats] = (await api<StepStatsAnswer>('/steps/stats', { ...side.everything, step: 'llm' })).items;
      expect(rowOf(out, 'P50')).toEqual(['P50', ms1(stats!.p50_ms), '← Median']);
      expect(rowOf(out, 'P99')).toEqual(['P99', ms1(stats!.p99_ms), '← 99th percentile']);
      const llmSteps = facts().flatMap((f) => f.turns.flatMap((t) => t.turn.steps.filter((s) => s.name === 'llm')));
      expect(out).toContain(`Samples  ${llmSteps.length}`);
    });
  });

  describe('errors', () => {
    it('error rates by step with the API figures, rows over the alert marked', async () => {
      const out = await cli(['errors', '--alert', '5', ...window()]);
      const answer = await api<{ by_step: Array<{ step: string; total: number; failures: number; error_rate: number }> }>('/errors', side.everything);
      expect(answer.by_step.some((s) => s.failures > 0)).toBe(true);
      for (const row of answer.by_step) {
        const cells = rowOf(out, row.step)!;
        expect(cells.slice(0, 4)).toEqual([row.step, String(row.total), String(row.failures), `${(row.error_rate * 100).toFixed(2)}%`]);
        expect(cells[4]).toBe(row.failures > 0 && row.error_rate >= 0.05 ? '← PROBLEM!' : undefined);
      }
    });
  });

  describe('hourly', () => {
    it('conversations per hour with the peak marked, and the busiest hours of the day', async () => {
      const out = await cli(['hourly', '--top', '3', ...window()]);
      const hourLines = out.split('\n').filter((l) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2} /.test(l));
      const series = await api<{ points: Array<{ t: string; value: number }> }>('/timeseries', { ...side.everything, metric: 'conversations', interval: 'hour' });
      expect(hourLines.map((l) => Number(cellsOf(l)[1]))).toEqual(series.points.map((p) => p.value));
      expect(series.points.reduce((sum, p) => sum + p.value, 0)).toBe(facts().length);
      const peak = Math.max(...series.points.map((p) => p.value));
      expect(hourLines.filter((l) => l.endsWith('← Peak hour')).map((l) => Number(cellsOf(l)[1]))).toEqual(series.points.filter((p) => p.value === peak).map(() => peak));
      const busiest = out.split('\n').filter((l) => /^\d{2}:00 /.test(l));
      expect(busiest.length).toBeLessThanOrEqual(3);
      expect(busiest[0]).toMatch(/← Most active$/);
    });
  });

  describe('costs', () => {
    it('cost, calls and tokens per model as the API answers them', async () => {
      const out = await cli(['costs', '--by', 'model', ...window()]);
      const answer = await api<{ items: Array<{ key: string; calls: number; input_tokens: number }> }>('/costs', { ...side.everything, by: 'model' });
      expect(answer.items.length).toBeGreaterThan(1);
      for (const item of answer.items) {
        const cells = rowOf(out, item.key)!;
        expect(cells[5]).toBe(item.calls.toLocaleString('en-US'));
        expect(cells[7]).toBe(item.input_tokens.toLocaleString('en-US'));
      }
      const calls = facts().flatMap((f) => f.calls).length;
      expect(out).toContain(`• ${calls.toLocaleString('en-US')} LLM calls,`);
    });
  });

  describe('compare', () => {
    it('per step and whole turns, the two windows side by side', async () => {
      const middle = new Date((Date.parse(side.everything.from) + Date.parse(side.everything.to)) / 2).toISOString();
      const out = await cli(['compare', '--before', `${side.everything.from}..${middle}`, '--after', `${middle}..${side.everything.to}`]);
      const answer = await api<{ turns: { before: { avg_ms: number } }; steps: Array<{ step: string; before: { avg_ms: number | null }; after: { avg_ms: number | null } }> }>('/compare', {
        before_from: side.everything.from,
        before_to: middle,
        after_from: middle,
        after_to: side.everything.to,
      });
      for (const step of answer.steps) expect(rowOf(out, step.step)!.slice(1, 3)).toEqual([ms1(step.before.avg_ms), ms1(step.after.avg_ms)]);
      expect(rowOf(out, 'whole turn')![1]).toBe(ms1(answer.turns.before.avg_ms));
    });
  });

  describe('export', () => {
    it('writes every conversation of the window to a file, and NDJSON to stdout', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'convotel-export-'));
      try {
        const file = join(dir, 'conversations.csv');
        const run = await runCli(['export', 'conversations', ...connection(), ...window(), '-o', file]);
        expect(run.code, run.stderr).toBe(0);
        expect(run.stderr).toMatch(new RegExp(`^exported ${facts().length} conversations \\(csv, .*\\) to ${file} in `));
        const csv = await readFile(file, 'utf8');
        for (const fact of facts()) expect(csv).toContain(fact.conversation.conversationId);
        const ndjson = await runCli(['export', 'llm-calls', '--format', 'ndjson', ...connection(), ...window()]);
        expect(ndjson.code).toBe(0);
        expect(ndjson.stdout.trim().split('\n')).toHaveLength(facts().flatMap((f) => f.calls).length);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
});
