import { Command } from 'commander';
import { followEvents, type LiveEvent } from '../client/event-stream.js';
import { printJsonLine } from '../format/json.js';
import { formatClock } from '../format/time.js';
import { statusMark } from '../format/turns.js';
import { formatCount, formatDuration, formatUsd } from '../format/units.js';
import { clientOf, parsePositiveInteger, withClientOptions, type ClientFlags } from '../options.js';

type TailFlags = ClientFlags & { readonly count?: number };

/** The fields of a live event's data the lines show; the feed may send more. */
interface LiveData {
  readonly conversation_id?: string | null;
  readonly trace_id?: string | null;
  readonly index?: number | null;
  readonly turn_index?: number | null;
  readonly status?: string | null;
  readonly started_at?: string | null;
  readonly ended_at?: string | null;
  readonly at?: string | null;
  readonly duration_ms?: number | null;
  readonly cost_usd?: number | null;
  readonly turns?: number | null;
  readonly step?: string | null;
  readonly error_type?: string | null;
  readonly error_message?: string | null;
  readonly message?: string | null;
}

const EVENT_WIDTH = 'conversation'.length;

/** One line per event: time, type, conversation and turn, then what happened. */
export function eventLine(event: LiveEvent, timeZone: string): string {
  const data: LiveData = typeof event.data === 'object' && event.data !== null ? (event.data as LiveData) : { message: String(event.data) };
  const at = data.at ?? data.ended_at ?? data.started_at;
  const time = at == null ? formatClock(new Date().toISOString(), timeZone) : formatClock(at, timeZone);
  const index = data.index ?? data.turn_index;
  const where = [data.conversation_id ?? data.trace_id ?? '', index == null ? '' : `#${index}`].filter((x) => x !== '').join(' ');
  const error = [data.step, data.error_type, data.error_message ?? (event.event === 'error' ? data.message : undefined)].filter((x) => x != null && x !== '').join(': ');
  const details: string[] = [];
  if (event.event === 'turn') details.push(`${statusMark(data.status ?? undefined)} ${formatDuration(data.duration_ms)}`);
  if (event.event === 'conversation' && data.status != null) details.push(data.status);
  if (data.turns != null) details.push(`${formatCount(data.turns)} turns`);
  if (event.event === 'conversation' && data.duration_ms != null) details.push(formatDuration(data.duration_ms));
  if (data.cost_usd != null) details.push(formatUsd(data.cost_usd));
  if (error !== '') details.push(error);
  else if (event.event !== 'turn' && event.event !== 'conversation' && data.message != null) details.push(data.message);
  return `${time}  ${event.event.padEnd(EVENT_WIDTH)}  ${where}  ${details.join('  ')}`.trimEnd();
}

/** `convotel tail`: follows GET /live, one line per turn, error and conversation as the ingest commits them. */
export function tailCommand(): Command {
  const command = new Command('tail')
    .description('follow turns, errors and conversations live as they arrive (server-sent events); Ctrl-C stops')
    .option('--count <n>', 'stop after n events', parsePositiveInteger);
  withClientOptions(command);
  return command.action(async (flags: TailFlags) => {
    const stop = new AbortController();
    const onSignal = (): void => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    let seen = 0;
    try {
      const events = followEvents(clientOf(flags), '/live', {
        signal: stop.signal,
        onReconnect: (reason, delayMs) => process.stderr.write(`convotel: ${reason}; reconnecting in ${(delayMs / 1000).toFixed(1)}s\n`),
      });
      for await (const event of events) {
        if (flags.json) printJsonLine(event);
        else process.stdout.write(eventLine(event, flags.tz) + '\n');
        seen += 1;
        if (flags.count !== undefined && seen >= flags.count) break;
      }
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      stop.abort();
    }
  });
}
