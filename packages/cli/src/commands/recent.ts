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
  parsePositiveInteger,
  windowQuery,
  withClientOptions,
  withFilterOptions,
  withWindowOptions,
  type ClientFlags,
  type FilterFlags,
  type WindowFlags,
} from '../options.js';

type RecentFlags = ClientFlags & WindowFlags & FilterFlags & { readonly limit: number };

/** `convotel recent`: the newest conversations of the window (GET /conversations?sort=recent). */
export function recentCommand(): Command {
  const command = new Command('recent')
    .description('the newest conversations: start, duration, turns, errors, cost')
    .option('--limit <n>', 'how many (1…1000)', parsePositiveInteger, 20);
  withClientOptions(withFilterOptions(withWindowOptions(command)));
  return command.action(async (flags: RecentFlags) => {
    const page = await clientOf(flags).getJson<ConversationsAnswer>('/conversations', {
      sort: 'recent',
      limit: flags.limit,
      ...windowQuery(flags),
      ...filterQuery(flags),
    });
    if (flags.json) return printJson(page);
    const columns = conversationColumns(['id', 'started', 'duration', 'turns', 'errors', 'cost', 'status', 'agent', 'channel', 'user'], flags.tz);
    const body = page.items.length === 0 ? ['no conversations in the window (widen it with --hours, up to 2160, or --from)'] : [...renderTable(columns, page.items), ...moreLine(page)];
    printLines(framed(`Recent Conversations (${describeWindow(flags)}, ${page.items.length} shown)`, body));
  });
}
