import { Command } from 'commander';
import type { ConversationDetail, EventAnswer, LlmCallAnswer, TraceDetail, TurnAnswer } from '../client/answers.js';
import type { ApiClient } from '../client/api-client.js';
import { CliError, EXIT_CODES } from '../exit-codes.js';
import { printJson } from '../format/json.js';
import { bullets, framed, printLines } from '../format/report.js';
import { formatClock, formatTime } from '../format/time.js';
import { callLines, isFailed, statusMark, statusWord, turnError } from '../format/turns.js';
import { formatMs, formatSecondsAndMs, NONE } from '../format/units.js';
import { clientOf, withClientOptions, type ClientFlags } from '../options.js';
import { conversationPath } from './summary.js';

/** A W3C trace id: 32 lowercase hex digits. */
const TRACE_ID = /^[0-9a-f]{32}$/;

/** What `trace` found: a conversation's turns, or one trace's. */
type Found = { readonly kind: 'conversation'; readonly answer: ConversationDetail } | { readonly kind: 'trace'; readonly answer: TraceDetail };

/** Looks `id` up as a trace id first when it looks like one, else as a conversation id first; 404 from both → not found. */
async function find(client: ApiClient, id: string): Promise<Found> {
  const asConversation = async (): Promise<Found> => ({ kind: 'conversation', answer: await client.getJson<ConversationDetail>(conversationPath(id)) });
  const asTrace = async (): Promise<Found> => ({ kind: 'trace', answer: await client.getJson<TraceDetail>(`/traces/${encodeURIComponent(id)}`) });
  const [first, second] = TRACE_ID.test(id) ? [asTrace, asConversation] : [asConversation, asTrace];
  try {
    return await first();
  } catch (error) {
    if (!(error instanceof CliError) || error.exitCode !== EXIT_CODES.notFound) throw error;
  }
  try {
    return await second();
  } catch (error) {
    if (error instanceof CliError && error.exitCode === EXIT_CODES.notFound) {
      throw new CliError(EXIT_CODES.notFound, `no conversation or trace ${id}`);
    }
    throw error;
  }
}

function endOf(startedAt: string | null, durationMs: number | null): string | null {
  if (startedAt === null || durationMs === null) return null;
  return new Date(Date.parse(startedAt) + durationMs).toISOString();
}

function eventLine(event: EventAnswer, timeZone: string): string {
  const what = [event.severity_text, event.component, event.name].filter((x) => x != null && x !== '').join(' ');
  return `${formatClock(event.time, timeZone)}  ${what}${event.message ? `: ${event.message}` : ''}`;
}

/** One turn in full: input and output, each step with its times, status, error and LLM calls, SQL, events. */
function turnLines(turn: TurnAnswer, calls: readonly LlmCallAnswer[], timeZone: string): string[] {
  const header = `Turn ${turn.index ?? '?'} ${statusMark(turn.status)}  trace ${turn.trace_id}${turn.conversation_id ? `  conversation ${turn.conversation_id}` : ''}`;
  const lines = [header, `  Start:    ${formatTime(turn.started_at, timeZone)}`, `  Duration: ${formatSecondsAndMs(turn.duration_ms)}`];
  if (turn.perceived_latency_ms != null) lines.push(`  Perceived latency: ${formatMs(turn.perceived_latency_ms)}ms`);
  if (turn.interrupted) lines.push('  Interrupted by the user');
  if (turn.user_input != null) lines.push(`  Input:    ${turn.user_input}`);
  if (turn.agent_output != null) lines.push(`  Output:   ${turn.agent_output}`);
  const error = turnError(turn);
  if (error !== undefined) lines.push(`  Error:    ${error}`);
  const placed = new Set<LlmCallAnswer>();
  for (const step of turn.steps) {
    lines.push(
      '',
      `  Step: ${step.name}`,
      `    Start:    ${formatTime(step.started_at, timeZone)}`,
      `    End:      ${formatTime(endOf(step.started_at, step.duration_ms), timeZone)}`,
      `    Duration: ${formatMs(step.duration_ms)}ms`,
      `    Status:   ${statusWord(step.status)}`,
    );
    if (isFailed(step.status) && step.error_message) lines.push(`    Error:    ${step.error_message}`);
    const own = calls.filter((call) => call.parent_span_id === step.span_id);
    own.forEach((call) => placed.add(call));
    if (own.length > 0) lines.push('    LLM calls:', ...callLines(own, '      '));
  }
  const rest = calls.filter((call) => !placed.has(call));
  if (rest.length > 0) lines.push('', '  LLM calls:', ...callLines(rest, '    '));
  const queries = turn.sql_queries;
  if (queries.length > 0) {
    lines.push('', '  SQL queries:', ...queries.map((q) => `    ${statusMark(q.status)} ${formatMs(q.duration_ms).padStart(8)}ms  ${q.statement ?? NONE}`));
  }
  const events = turn.events;
  if (events.length > 0) lines.push('', '  Events:', ...events.map((e) => `    ${eventLine(e, timeZone)}`));
  return lines;
}

function analysis(turns: readonly TurnAnswer[]): string[] {
  const lines: string[] = [];
  for (const turn of turns) {
    if (!isFailed(turn.status)) continue;
    const index = turn.steps.findIndex((s) => isFailed(s.status));
    const step = turn.steps[index];
    const before = turn.steps.slice(0, Math.max(index, 0)).map((s) => s.name);
    lines.push(
      step === undefined
        ? `Turn ${turn.index ?? '?'} failed: ${turnError(turn)}`
        : `Turn ${turn.index ?? '?'} failed at ${step.name}${before.length > 0 ? ` after ${before.join(', ')} completed` : ''}: ${step.error_message ?? turnError(turn)}`,
    );
    if (turn.agent_output == null) lines.push(`Turn ${turn.index ?? '?'}: no agent output recorded (the user got no answer)`);
  }
  if (lines.length === 0 && turns.length > 0) lines.push('Every turn completed');
  return lines;
}

/** `convotel trace`'s lines for what `find` answered. */
export function renderTrace(found: Found, timeZone: string): string[] {
  const turns = found.answer.turns;
  const callsOf = (turn: TurnAnswer): readonly LlmCallAnswer[] =>
    turn.llm_calls ?? (found.kind === 'trace' ? found.answer.llm_calls.filter((c) => c.trace_id === undefined || c.trace_id === turn.trace_id) : []);
  const body: string[] = [];
  turns.forEach((turn, i) => body.push(...(i > 0 ? [''] : []), ...turnLines(turn, callsOf(turn), timeZone)));
  if (found.kind === 'trace' && turns.length === 0) {
    // A trace of LLM calls outside any turn (a batch job, a RAG pipeline).
    body.push('LLM calls:', ...callLines(found.answer.llm_calls, '  '));
  }
  if (found.kind === 'conversation' && found.answer.events.length > 0) {
    body.push('', 'Conversation events:', ...found.answer.events.map((e) => `  ${eventLine(e, timeZone)}`));
  }
  const title = found.kind === 'conversation' ? `Full Trace: ${found.answer.conversation.conversation_id}` : `Trace: ${found.answer.trace_id ?? turns[0]?.trace_id ?? ''}`;
  return [...framed(`${title}  (times ${timeZone})`, body), ...bullets('Analysis', analysis(turns))];
}

/** `convotel trace <conversation|trace id>`: every step of every turn, with times, errors, LLM calls, SQL and events. */
export function traceCommand(): Command {
  const command = new Command('trace')
    .description("a conversation's or a trace's turns in full: each step's times, status and error, its LLM calls, SQL queries and events")
    .argument('<id>', 'conversation id or trace id (32 hex digits)');
  withClientOptions(command);
  return command.action(async (id: string, flags: ClientFlags) => {
    const found = await find(clientOf(flags), id);
    if (flags.json) return printJson(found.answer);
    printLines(renderTrace(found, flags.tz));
  });
}
