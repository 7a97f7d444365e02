import type { LiveNotice } from '@convotel/store';
import { Command } from 'commander';
import { followEvents, type LiveEvent } from '../client/event-stream.js';
import { printJsonLine } from '../format/json.js';
import { formatClock } from '../format/time.js';
import { statusMark } from '../format/turns.js';
import { formatCount, formatDuration, formatUsd } from '../format/units.js';
import { clientOf, parsePositiveInteger, withClientOptions, type ClientFlags } from '../options.js';

type TailFlags = ClientFlags & { readonly count?: number };

/**
 * A live event's data: the notice the ingest announced (the store's live-notice contract, as the
 * API forwards it; a type-only import), or a gap's reason.
 */
type LiveData = LiveNotice | { readonly reason: string; readonly last_event_id?: string | null };

const EVENT_WIDTH = 'conversation'.length;

function isNotice(event: LiveEvent, data: unknown): data is LiveNotice {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === event.event;
}

/** What a notice says happened: status, duration, counts, cost, error. */
function noticeDetails(notice: LiveNotice): string[] {
  const error = (type: string | null, message: string | null): string[] => {
    const text = [type, message].filter((x) => x != null && x !== '').join(': ');
    return text === '' ? [] : [text];
  };
  switch (notice.type) {
    case 'turn':
      return [`${statusMark(notice.status)} ${formatDuration(notice.duration_ms)}`, formatUsd(notice.cost_usd), ...error(notice.error_type, notice.error_message)];
    case 'conversation':
      return [notice.status, `${formatCount(notice.turns)} turns`, ...(notice.duration_ms == null ? [] : [formatDuration(notice.duration_ms)]), formatUsd(notice.cost_usd)];
    case 'error':
      return error(notice.error_type, notice.message);
  }
}

/** One line per event: time, type, conversation and turn, then what happened. */
export function eventLine(event: LiveEvent, timeZone: string): string {
  const data = event.data as LiveData | null | undefined;
  if (!isNotice(event, data)) {
    const text = typeof data === 'object' && data !== null && 'reason' in data ? `events may be missing (${data.reason})` : JSON.stringify(event.data);
    return `${formatClock(new Date().toISOString(), timeZone)}  ${event.event.padEnd(EVENT_WIDTH)}  ${text}`.trimEnd();
  }
  const at = noticeTime(data);
  const index = data.type === 'turn' ? data.turn_index : null;
  const traceId = data.type === 'conversation' ? null : data.trace_id;
  const where = [data.conversation_id ?? traceId ?? '', index == null ? '' : `#${index}`].filter((x) => x !== '').join(' ');
  return `${formatClock(at, timeZone)}  ${event.event.padEnd(EVENT_WIDTH)}  ${where}  ${noticeDetails(data).join('  ')}`.trimEnd();
}

/** When it happened: a turn's end, an error's time, a conversation's end; else when it was written. */
function noticeTime(notice: LiveNotice): string {
  switch (notice.type) {
    case 'turn':
      return notice.ended_at ?? notice.started_at ?? notice.at;
    case 'error':
      return notice.time ?? notice.at;
    case 'conversation':
      return notice.ended_at ?? notice.at;
  }
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
