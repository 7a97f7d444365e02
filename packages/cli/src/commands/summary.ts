import { Command } from 'commander';
import type { ConversationDetail, TurnAnswer } from '../client/answers.js';
import { printJson } from '../format/json.js';
import { bullets, framed, heading, printLines } from '../format/report.js';
import { formatTime } from '../format/time.js';
import { isFailed, statusMark, stepBreakdown, turnError, voiceBreakdown } from '../format/turns.js';
import { formatCount, formatDuration, formatSecondsAndMs, formatShare, formatUsd, NONE } from '../format/units.js';
import { clientOf, withClientOptions, type ClientFlags } from '../options.js';

/** GET /conversations/:id (404 when there is no such conversation). */
export function conversationPath(conversationId: string): string {
  return `/conversations/${encodeURIComponent(conversationId)}`;
}

/** Where the turns' time went, by step name, over the whole conversation. */
function bottleneckInsight(turns: readonly TurnAnswer[]): string | undefined {
  const byStep = new Map<string, number>();
  let turnTimeMs = 0;
  for (const turn of turns) {
    turnTimeMs += turn.duration_ms ?? 0;
    for (const step of turn.steps) byStep.set(step.name, (byStep.get(step.name) ?? 0) + (step.duration_ms ?? 0));
  }
  const [name, ms] = [...byStep].sort((a, b) => b[1] - a[1])[0] ?? [];
  if (name === undefined || ms === undefined || turnTimeMs <= 0) return undefined;
  const slowestIn = turns.filter((t) => t.bottleneck?.step === name).length;
  const where = turns.length > 1 ? `, the slowest step in ${slowestIn} of ${turns.length} turns` : '';
  return `${name} step is the bottleneck (${formatDuration(ms)} = ${formatShare(ms / turnTimeMs)} of total time${where})`;
}

function insights(detail: ConversationDetail): string[] {
  const { conversation, turns } = detail;
  const lines: string[] = [];
  if (conversation.duration_ms != null) {
    lines.push(`Total conversation took ${(conversation.duration_ms / 1000).toFixed(2)} seconds over ${turns.length} turn${turns.length === 1 ? '' : 's'}`);
  }
  const bottleneck = bottleneckInsight(turns);
  if (bottleneck !== undefined) lines.push(bottleneck);
  const failed = turns.filter((t) => isFailed(t.status));
  if (failed.length === 0) {
    lines.push(turns.some((t) => t.steps.some((s) => isFailed(s.status))) ? 'Every turn completed (a step failed and was recovered)' : 'All steps completed successfully');
  }
  for (const turn of failed) {
    const step = turn.steps.find((s) => isFailed(s.status));
    lines.push(`Turn ${turn.index ?? '?'} failed${step === undefined ? '' : ` at ${step.name}`}: ${turnError(turn)}`);
  }
  return lines;
}

/** `convotel summary`'s lines: the conversation's figures, each turn's steps with ✓/✗ and its bottleneck, key insights. */
export function renderSummary(detail: ConversationDetail, timeZone: string): string[] {
  const { conversation: c, turns } = detail;
  const stepCount = turns.reduce((n, t) => n + t.steps.length, 0);
  const failedTurns = turns.filter((t) => isFailed(t.status)).length;
  const body = [
    `User:           ${c.user_id ?? NONE}    Agent: ${c.agent_name ?? NONE}    Channel: ${c.channel ?? NONE}`,
    `Status:         ${c.status}`,
    `Start Time:     ${formatTime(c.started_at, timeZone)} (${timeZone})`,
    `End Time:       ${c.status === 'active' ? 'still active' : formatTime(c.ended_at, timeZone)}`,
    `Total Duration: ${formatSecondsAndMs(c.duration_ms)}`,
    `Turns:          ${formatCount(turns.length)}${failedTurns > 0 ? ` (${failedTurns} failed)` : ''}`,
    `Steps:          ${formatCount(stepCount)}`,
    `LLM Calls:      ${formatCount(c.llm_calls)}`,
    `Cost:           ${formatUsd(c.cost_usd)}`,
  ];
  for (const turn of turns) {
    const error = turnError(turn);
    body.push(
      '',
      ...heading(
        `Turn ${turn.index ?? '?'} ${statusMark(turn.status)}  ${formatTime(turn.started_at, timeZone)}  ${formatSecondsAndMs(turn.duration_ms)}` +
          (error === undefined ? '' : `  ${error}`),
      ),
      ...(turn.steps.length === 0 ? ['  (no steps recorded)'] : stepBreakdown(turn)),
      ...voiceBreakdown(turn.voice),
    );
  }
  return [...framed(`Conversation: ${c.conversation_id}`, body), ...bullets('Key insights', insights(detail))];
}

/** `convotel summary <conversation>`: GET /conversations/:id as the seed session's summary. */
export function summaryCommand(): Command {
  const command = new Command('summary')
    .description("a conversation's turns, each step ✓/✗ with its duration, the bottleneck and its share, each voice turn's voice-to-voice breakdown, failed turns' errors")
    .argument('<conversation>', 'conversation id');
  withClientOptions(command);
  return command.action(async (conversationId: string, flags: ClientFlags) => {
    const detail = await clientOf(flags).getJson<ConversationDetail>(conversationPath(conversationId));
    if (flags.json) return printJson(detail);
    printLines(renderSummary(detail, flags.tz));
  });
}
