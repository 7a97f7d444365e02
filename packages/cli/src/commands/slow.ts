import { Command } from 'commander';
import type { ConversationsAnswer } from '../client/answers.js';
import { conversationColumns, moreLine } from '../format/conversations.js';
import { printJson } from '../format/json.js';
import { framed, printLines } from '../format/report.js';
import { renderTable } from '../format/table.js';
import {
  clientOf,
  describeWindow,
  filterQuery,
  parseDurationMs,
  parsePositiveInteger,
  windowQuery,
  withClientOptions,
  withFilterOptions,
  withWindowOptions,
  type ClientFlags,
  type FilterFlags,
  type WindowFlags,
} from '../options.js';

type SlowFlags = ClientFlags & WindowFlags & FilterFlags & { readonly threshold?: number; readonly limit: number };

/** `convotel slow --threshold 8000`: the slowest conversations, at least that long (GET /conversations?sort=slowest). */
export function slowCommand(): Command {
  const command = new Command('slow')
    .description('the slowest conversations of the window, longest first')
    .option('--threshold <duration>', 'only conversations at least this long: ms (8000) or with a unit (8s, 1.5m)', parseDurationMs)
    .option('--limit <n>', 'how many (1…1000)', parsePositiveInteger, 20);
  withClientOptions(withFilterOptions(withWindowOptions(command)));
  return command.action(async (flags: SlowFlags) => {
    const page = await clientOf(flags, { min_duration_ms: '--threshold' }).getJson<ConversationsAnswer>('/conversations', {
      sort: 'slowest',
      limit: flags.limit,
      min_duration_ms: flags.threshold,
      ...windowQuery(flags),
      ...filterQuery(flags),
    });
    if (flags.json) return printJson(page);
    const over = flags.threshold === undefined ? '' : `≥ ${flags.threshold}ms, `;
    const columns = conversationColumns(['id', 'seconds', 'turns', 'errors', 'started', 'status', 'agent'], flags.tz);
    const body = page.items.length === 0 ? ['no conversation that slow in the window'] : [...renderTable(columns, page.items), ...moreLine(page)];
    printLines(framed(`Slowest Conversations (${over}${describeWindow(flags)})`, body));
  });
}
