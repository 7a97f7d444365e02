// The first five minutes, as a newcomer runs them: `convotel serve` on the embedded store,
// `convotel demo`, then the analytics commands. Real processes of the real bin throughout; the
// facts checked are the ones the demo's traffic is scripted to show (examples/voice-agent/src/plan.ts
// with seed 1: one call rate-limited in its LLM step, one slow, interrupted turns).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rowOf, runCli, type CliRun } from './helpers/run-cli.js';
import { startServe, stopServe, urlIn, type ServeProcess } from './helpers/serve-process.js';

const CALLS = 6;
const RATE_LIMIT_MESSAGE = '429 Rate limit reached for gpt-4o-mini';
const SQL = 'SELECT id, status, eta_minutes FROM orders WHERE id = $1';

describe('the newcomer path: convotel serve, convotel demo, then the analytics commands', () => {
  let serve: ServeProcess;
  let apiUrl: string;
  let demo: CliRun;
  /** Conversation ids of the run by what the agent said of them. */
  let ids: { all: string[]; rateLimited: string; slow: string; interrupted: string; normal: string[] };

  const cli = (...args: string[]): Promise<CliRun> => runCli([...args, '--url', apiUrl]);

  beforeAll(async () => {
    serve = await startServe(['--otlp-port', '0', '--port', '0'], 2);
    // Found by their prefix: serve may print more lines (its web address) in any order.
    await vi.waitFor(() => expect(serve.lines.filter((line) => /^convotel (ingest|api):/.test(line))).toHaveLength(2), { timeout: 10_000 });
    const ingestUrl = urlIn(serve.lines.find((line) => line.startsWith('convotel ingest:')));
    apiUrl = urlIn(serve.lines.find((line) => line.startsWith('convotel api:'))).href;

    demo = await runCli(['demo', '--calls', String(CALLS), '--concurrency', String(CALLS), '--seed', '1', '--otlp-endpoint', ingestUrl.origin], {}, 60_000);
    const callLines = demo.stderr.split('\n').filter((line) => line.startsWith('call '));
    const idOf = (line: string): string => line.split(' ')[2]!;
    const idOfCall = (what: string): string => {
      const line = callLines.find((candidate) => candidate.includes(what));
      expect(line, `a call line with "${what}" in: ${demo.stderr}`).toBeDefined();
      return idOf(line!);
    };
    ids = {
      all: callLines.map(idOf),
      rateLimited: idOfCall('rate_limited'),
      slow: idOfCall(' slow'),
      interrupted: idOfCall('interrupted'),
      normal: callLines.filter((line) => !line.includes('rate_limited') && !line.includes(' slow')).map(idOf),
    };
    // The agent exits once its spans are exported; the ingest may still be writing them. A
    // conversation span ends last (at hang-up), so a completed conversation has all its turns.
    await vi.waitFor(
      async () => {
        const recent = await cli('recent');
        for (const id of ids.all) expect(rowOf(recent.stdout, id)?.[6], `${id} in ${recent.stdout}`).toBe('completed');
      },
      { timeout: 15_000, interval: 500 },
    );
  }, 90_000);

  afterAll(async () => {
    if (serve !== undefined) await stopServe(serve);
  });

  it('demo runs every call, shows one progress line per call off a terminal, and says what to look at next', () => {
    expect(demo.code, demo.stderr).toBe(0);
    expect(ids.all).toHaveLength(CALLS);
    expect(new Set(ids.all).size).toBe(CALLS);
    expect(demo.stderr.split('\n').filter((line) => line.startsWith('call ')).map((line) => line.split(' ')[1])).toEqual(
      Array.from({ length: CALLS }, (_, i) => `${i + 1}/${CALLS}`),
    );
    expect(demo.stdout).toMatch(new RegExp(`^Sent ${CALLS} calls of voice-agent-demo to http://localhost:\\d+ in [\\d.]+s: 1 with a rate-limited turn, 1 slow, \\d+ interrupted turns\\.`));
    expect(demo.stdout).toContain('http://localhost:8080/');
    expect(demo.stdout).toContain('convotel recent');
    expect(demo.stdout).toContain(`convotel summary ${ids.rateLimited}`);
  });

  it('recent lists every call of the demo, the rate-limited one with its failed turn', async () => {
    const { code, stdout } = await cli('recent');
    expect(code).toBe(0);
    for (const id of ids.all) {
      // Conversation ID, start, duration, turns, errors, cost, status, agent, channel, user.
      const row = rowOf(stdout, id)!;
      expect(row.slice(6, 9), id).toEqual(['completed', 'order-desk', 'voice']);
      expect(row[4], id).toBe(id === ids.rateLimited ? '1' : '0');
      expect(row[5], id).toMatch(/^\$0\.\d+$/);
    }
  });

  it('summary shows the step breakdown, the bottleneck and the turn that failed on the rate limit', async () => {
    const { code, stdout } = await cli('summary', ids.rateLimited);
    expect(code).toBe(0);
    expect(stdout).toContain('Turns:          3 (1 failed)');
    expect(stdout).toMatch(/✓ stt\s+:/);
    expect(stdout).toMatch(/✓ tts\s+:/);
    expect(stdout).toMatch(/✗ llm\s+:.*← \d+% of total time/);
    expect(stdout).toMatch(new RegExp(`Turn 1 ✗ .*RateLimitError: ${RATE_LIMIT_MESSAGE}`));
    expect(stdout).toMatch(/• llm step is the bottleneck/);
    expect(stdout).toMatch(new RegExp(`• Turn 1 failed at llm: RateLimitError: ${RATE_LIMIT_MESSAGE}`));
  });

  it('trace shows the failed LLM call, the tool step with its SQL query, and the interrupted turn', async () => {
    const failed = await cli('trace', ids.rateLimited);
    expect(failed.code).toBe(0);
    expect(failed.stdout).toMatch(/✗ {2}gpt-4o-mini {2}openai {2}chat/);
    expect(failed.stdout).toContain(`Error: RateLimitError: ${RATE_LIMIT_MESSAGE}`);
    expect(failed.stdout).toContain('Turn 1 failed at llm after stt completed');

    const normal = await cli('trace', ids.normal[0]!);
    expect(normal.stdout).toContain('Step: tool');
    expect(normal.stdout).toContain('SQL queries:');
    expect(normal.stdout).toContain(SQL);
    expect(normal.stdout).toMatch(/✓ {2}gpt-4o-mini-2024-07-18 {2}openai {2}chat/);

    expect((await cli('trace', ids.interrupted)).stdout).toContain('Interrupted by the user');
  });

  it('averages has a row per step kind, and the LLM step failing', async () => {
    const { code, stdout } = await cli('averages');
    expect(code).toBe(0);
    for (const step of ['stt', 'llm', 'tool', 'tts']) expect(rowOf(stdout, step), step).toBeDefined();
    // Step, count, avg, min, max, p95, errors.
    expect(Number(rowOf(stdout, 'llm')![6]!.replace('%', ''))).toBeGreaterThan(0);
    expect(rowOf(stdout, 'stt')![6]).toBe('0.00%');
    // The slow call's completions take 1.5 s or more: the LLM's maximum shows it.
    expect(Number(rowOf(stdout, 'llm')![4])).toBeGreaterThanOrEqual(1500);
  });

  it('slow lists the slow call and none of the calls that ran at normal speed', async () => {
    const { code, stdout } = await cli('slow', '--threshold', '6s');
    expect(code).toBe(0);
    expect(rowOf(stdout, ids.slow)).toBeDefined();
    for (const id of ids.normal) expect(stdout).not.toContain(id);
  });

  it('errors shows the error rate by step, the failing model and the rate-limit pattern', async () => {
    const { code, stdout } = await cli('errors');
    expect(code).toBe(0);
    // Step, total, failures, error rate.
    const llm = rowOf(stdout, 'llm')!;
    expect(llm[2]).toBe('1');
    expect(llm[3]).toBe(`${((1 / Number(llm[1])) * 100).toFixed(2)}%`);
    for (const step of ['stt', 'tool', 'tts']) expect(rowOf(stdout, step)?.[2], step).toBe('0');
    const pattern = rowOf(stdout, 'rate_limit')!;
    expect(pattern[1]).toBe('1');
    expect(pattern[3]).toBe(ids.rateLimited);
    expect(pattern[4]).toContain(RATE_LIMIT_MESSAGE);
  });
});
