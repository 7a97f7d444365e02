// The analytics commands as a user runs them: the built `convotel` in a child process against
// a real API and ingest on PostgreSQL, fed through the real SDK. Tables and --json are checked
// against figures computed from the planned traffic.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { conversationFacts, type ConversationFact } from '../../api/test/helpers/expected.js';
import { API_KEY, useReadSide } from '../../api/test/helpers/read-side.js';
import { cellsOf, rowOf, runCli } from './helpers/run-cli.js';

/** The UTC time as the CLI prints it with TZ=UTC: `2026-01-02 03:04:05.678`. */
const shownTime = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 23);

/** Checks a money cell (`$0.0256`) against `usd`, to the precision shown. */
function expectDollars(cell: string | undefined, usd: number): void {
  expect(cell).toMatch(/^\$\d+(\.\d+)?$/);
  const decimals = cell!.split('.')[1]?.length ?? 0;
  expect(Math.abs(Number(cell!.slice(1)) - usd)).toBeLessThanOrEqual(0.5 * 10 ** -decimals + 1e-12);
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('convotel analytics commands', () => {
  const side = useReadSide('postgres');
  const facts = (): ConversationFact[] => side.plan.map(conversationFacts);
  const connection = (): string[] => ['--url', `http://127.0.0.1:${side.api.port}`, '--api-key', API_KEY];
  const everything = (): string[] => ['--from', side.everything.from, '--to', side.everything.to];

  describe('recent', () => {
    it('prints the newest conversations as an aligned table with their figures', async () => {
      const { code, stdout, stderr } = await runCli(['recent', '--limit', '1000', ...everything(), ...connection()]);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      const lines = stdout.split('\n');
      expect(lines[1]).toMatch(/^Recent Conversations \(.* → .*, 40 shown\)$/);
      const header = lines.find((l) => l.startsWith('Conversation ID'))!;
      expect(cellsOf(header)).toEqual(['Conversation ID', 'Start Time (UTC)', 'Duration', 'Turns', 'Errors', 'Cost', 'Status', 'Agent', 'Channel', 'User']);
      const expected = facts().sort((a, b) => b.startedMs - a.startedMs);
      const rows = lines.filter((l) => /^conv-\d{3}\b/.test(l));
      expect(rows.map((l) => cellsOf(l)[0])).toEqual(expected.map((f) => f.conversation.conversationId));
      // Aligned: numbers end under their header, text starts under it.
      const costEnd = header.indexOf('Cost') + 'Cost'.length;
      const statusAt = header.indexOf('Status');
      for (const row of rows) {
        expect(row[costEnd - 1]).not.toBe(' ');
        expect(row[costEnd]).toBe(' ');
        expect(row[statusAt - 1]).toBe(' ');
        expect(row.slice(statusAt)).toMatch(/^(active|completed|error) /);
      }
      for (const fact of expected) {
        const cells = rowOf(stdout, fact.conversation.conversationId)!;
        expect(cells[1]).toBe(shownTime(fact.startedMs));
        expect(cells[3]).toBe(String(fact.turns.length));
        expect(cells[4]).toBe(String(fact.errors));
        expectDollars(cells[5], fact.costUsd);
        expect(cells[6]).toBe(fact.status);
        expect(cells[9]).toBe(fact.conversation.userId);
        if (fact.status !== 'active') expect(cells.slice(7, 9)).toEqual([fact.conversation.agentName, fact.conversation.channel]);
      }
    });

    it('prints the API answer with --json', async () => {
      const { code, stdout } = await runCli(['recent', '--limit', '5', '--json', ...everything(), ...connection()]);
      expect(code).toBe(0);
      const printed = JSON.parse(stdout) as { items: Array<{ conversation_id: string; duration_ms: number }>; next_cursor: string | null };
      const { body } = await side.get('/api/v1/conversations', { sort: 'recent', limit: 5, ...side.everything });
      expect(printed).toEqual(body);
      const newest = facts().sort((a, b) => b.startedMs - a.startedMs).slice(0, 5);
      expect(printed.items.map((c) => [c.conversation_id, c.duration_ms])).toEqual(newest.map((f) => [f.conversation.conversationId, f.durationMs]));
      expect(printed.next_cursor).not.toBeNull();
    });

    it('passes filters and --attr to the API', async () => {
      const { code, stdout } = await runCli(['recent', '--json', '--limit', '1000', '--channel', 'voice', '--attr', 'plan=gold', ...everything(), ...connection()]);
      expect(code).toBe(0);
      const ids = (JSON.parse(stdout) as { items: Array<{ conversation_id: string }> }).items.map((c) => c.conversation_id).sort();
      const expected = facts()
        .filter((f) => f.status !== 'active' && f.conversation.channel === 'voice' && f.conversation.metadata['plan'] === 'gold')
        .map((f) => f.conversation.conversationId)
        .sort();
      expect(expected.length).toBeGreaterThan(0);
      expect(ids).toEqual(expected);
    });

    it('says the window is empty', async () => {
      const { code, stdout } = await runCli(['recent', '--from', '2001-01-01', '--to', '2001-01-02', ...connection()]);
      expect(code).toBe(0);
      expect(stdout).toContain('no conversations in the window');
    });
  });

  describe('slow', () => {
    it('lists conversations at least --threshold long, slowest first, durations in seconds', async () => {
      const { code, stdout } = await runCli(['slow', '--threshold', '10s', '--limit', '1000', ...everything(), ...connection()]);
      expect(code).toBe(0);
      expect(stdout).toMatch(/Slowest Conversations \(≥ 10000ms, /);
      const expected = facts()
        .filter((f) => f.durationMs >= 10_000)
        .sort((a, b) => b.durationMs - a.durationMs || (a.conversation.conversationId < b.conversation.conversationId ? 1 : -1));
      expect(expected.length).toBeGreaterThan(2);
      const rows = stdout.split('\n').filter((l) => /^conv-\d{3}\b/.test(l)).map(cellsOf);
      expect(rows.map((r) => r[0])).toEqual(expected.map((f) => f.conversation.conversationId));
      for (const [i, fact] of expected.entries()) {
        expect(rows[i]![1]).toBe((fact.durationMs / 1000).toFixed(3));
        expect(rows[i]![2]).toBe(String(fact.turns.length));
        expect(rows[i]![4]).toBe(shownTime(fact.startedMs));
      }
    });

    it('takes the threshold in ms and prints --json', async () => {
      const { code, stdout } = await runCli(['slow', '--threshold', '12000', '--json', '--limit', '1000', ...everything(), ...connection()]);
      expect(code).toBe(0);
      const durations = (JSON.parse(stdout) as { items: Array<{ duration_ms: number }> }).items.map((c) => c.duration_ms);
      expect(durations).toEqual(
        facts()
          .map((f) => f.durationMs)
          .filter((ms) => ms >= 12_000)
          .sort((a, b) => b - a),
      );
    });
  });

  describe('exit codes', () => {
    it('exits 3 with one line when the server is down', async () => {
      const port = await closedPort();
      for (const command of [['recent'], ['summary', 'conv-001'], ['tail'], ['export', 'conversations', '--output', 'never-written.csv']]) {
        const { code, stdout, stderr } = await runCli([...command, '--url', `http://127.0.0.1:${port}`]);
        expect(code, command.join(' ')).toBe(3);
        expect(stdout).toBe('');
        expect(stderr).toBe(`convotel: cannot reach the convotel API at http://127.0.0.1:${port}: connection refused (is \`convotel serve\` running there? set --url or CONVOTEL_URL)\n`);
      }
    });

    it('exits 4 when the key is missing or wrong', async () => {
      const url = `http://127.0.0.1:${side.api.port}`;
      const wrong = await runCli(['recent', '--url', url, '--api-key', 'not-the-key']);
      expect(wrong.code).toBe(4);
      expect(wrong.stderr).toMatch(/^convotel: the convotel API at .* refused the request: the API key is not valid \(check --api-key or CONVOTEL_API_KEY\)\n$/);
      const missing = await runCli(['slow', '--url', url]);
      expect(missing.code).toBe(4);
      expect(missing.stderr).toMatch(/pass --api-key or set CONVOTEL_API_KEY\)\n$/);
    });

    it('reads the server and key from CONVOTEL_URL and CONVOTEL_API_KEY, and accepts the URL serve prints', async () => {
      const { code, stdout } = await runCli(['recent', '--json', ...everything()], {
        CONVOTEL_URL: `http://127.0.0.1:${side.api.port}/api/v1`,
        CONVOTEL_API_KEY: API_KEY,
      });
      expect(code).toBe(0);
      expect((JSON.parse(stdout) as { items: unknown[] }).items.length).toBeGreaterThan(0);
    });

    it('exits 2 for bad arguments, whether the CLI or the API finds them', async () => {
      const cases: Array<[string[], RegExp]> = [
        [['recent', '--hours', 'abc'], /option '--hours <n>' argument 'abc' is invalid/],
        [['recent', '--bogus'], /unknown option '--bogus'/],
        [['costs', '--by', 'planet'], /Allowed choices are user, session/],
        [['compare', '--before', 'yesterday', '--after', '24h..now'], /expected FROM\.\.TO/],
        [['compare', '--after', '24h..now'], /required option '--before <from\.\.to>' not specified/],
        [['hourly', '--metric', 'vibes'], /Allowed choices are conversations, turns/],
        [['summary'], /missing required argument 'conversation'/],
        [['recent', '--url', 'not a url'], /^convotel: --url: not a URL: not a url\n$/],
        // Checked by the API (400), named as the option the user typed.
        [['recent', '--hours', '5000'], /^convotel: --hours: .*2160.*\n$/],
        [['recent', '--limit', '1001'], /^convotel: --limit: .*1000.*\n$/],
        [['slow', '--threshold', '5s', '--from', '2026-01-02', '--to', '2026-01-01'], /^convotel: --from: .*\n$/],
      ];
      for (const [args, message] of cases) {
        // The case's own options come last, so its --url wins.
        const { code, stderr } = await runCli([args[0]!, ...connection(), ...args.slice(1)]);
        expect(code, args.join(' ')).toBe(2);
        expect(stderr, args.join(' ')).toMatch(message);
      }
    });

    it('exits 5 when the conversation or trace is not there', async () => {
      const summary = await runCli(['summary', 'no-such-conversation', ...connection()]);
      expect(summary.code).toBe(5);
      expect(summary.stderr).toMatch(/^convotel: not found: .*\n$/);
      const trace = await runCli(['trace', '0123456789abcdef0123456789abcdef', ...connection()]);
      expect(trace.code).toBe(5);
      expect(trace.stderr).toBe('convotel: no conversation or trace 0123456789abcdef0123456789abcdef\n');
    });

    it('exits 0 for --help', async () => {
      const { code, stdout } = await runCli(['--help']);
      expect(code).toBe(0);
      expect(stdout).toContain('Exit codes: 0 ok, 1 failure, 2 bad arguments, 3 server down or unavailable, 4 key refused, 5 not found.');
    });
  });
});
