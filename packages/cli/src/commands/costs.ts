import { Command, Option } from 'commander';
import type { CostItem, CostsAnswer } from '../client/answers.js';
import { printJson } from '../format/json.js';
import { bullets, framed, printLines } from '../format/report.js';
import { renderTable, type Column } from '../format/table.js';
import { formatCount, formatUsd, NONE } from '../format/units.js';
import {
  clientOf,
  describeWindow,
  filterQuery,
  windowQuery,
  withClientOptions,
  withFilterOptions,
  withWindowOptions,
  type ClientFlags,
  type FilterFlags,
  type WindowFlags,
} from '../options.js';

/** The groupings of GET /costs, with their column header. */
const GROUPINGS = {
  user: 'User',
  session: 'Session',
  model: 'Model',
  provider: 'Provider',
  call_type: 'Call Type',
  function: 'Function',
  agent: 'Agent',
} as const;
type Grouping = keyof typeof GROUPINGS;

type CostsFlags = ClientFlags & WindowFlags & FilterFlags & { readonly by: Grouping };

/** `convotel costs`'s lines: one row per key, most expensive first, and the totals. */
export function renderCosts(answer: CostsAnswer, by: Grouping, window: string): string[] {
  const columns: readonly Column<CostItem>[] = [
    { header: GROUPINGS[by], value: (c) => c.key ?? NONE },
    { header: 'Cost', align: 'right', value: (c) => formatUsd(c.cost_usd) },
    { header: 'LLM', align: 'right', value: (c) => formatUsd(c.llm_cost_usd) },
    { header: 'STT', align: 'right', value: (c) => formatUsd(c.stt_cost_usd) },
    { header: 'TTS', align: 'right', value: (c) => formatUsd(c.tts_cost_usd) },
    { header: 'Calls', align: 'right', value: (c) => formatCount(c.calls) },
    { header: 'Conversations', align: 'right', value: (c) => formatCount(c.conversations) },
    { header: 'Input tokens', align: 'right', value: (c) => formatCount(c.input_tokens) },
    { header: 'Output tokens', align: 'right', value: (c) => formatCount(c.output_tokens) },
  ];
  const items = [...answer.items].sort((a, b) => b.cost_usd - a.cost_usd);
  const sum = (pick: (c: CostItem) => number): number => items.reduce((total, c) => total + pick(c), 0);
  const totals =
    items.length === 0
      ? []
      : [
          `Total ${formatUsd(sum((c) => c.cost_usd))}: LLM ${formatUsd(sum((c) => c.llm_cost_usd))}, STT ${formatUsd(sum((c) => c.stt_cost_usd))}, TTS ${formatUsd(sum((c) => c.tts_cost_usd))}`,
          `${formatCount(sum((c) => c.calls))} LLM calls, ${formatCount(sum((c) => c.input_tokens))} input and ${formatCount(sum((c) => c.output_tokens))} output tokens`,
        ];
  const body = items.length === 0 ? ['no costs in the window'] : renderTable(columns, items);
  return [...framed(`Costs by ${GROUPINGS[by]} (${window})`, body), ...bullets('Totals', totals)];
}

/** `convotel costs --by user`: cost, calls and tokens per user, model, … (GET /costs). */
export function costsCommand(): Command {
  const command = new Command('costs')
    .description('cost (LLM, STT, TTS), calls and tokens per user, session, model, provider, call type, function or agent')
    .addOption(new Option('--by <grouping>', 'what to group by').choices(Object.keys(GROUPINGS)).default('model'));
  withClientOptions(withFilterOptions(withWindowOptions(command)));
  return command.action(async (flags: CostsFlags) => {
    const answer = await clientOf(flags).getJson<CostsAnswer>('/costs', { by: flags.by, ...windowQuery(flags), ...filterQuery(flags) });
    if (flags.json) return printJson(answer);
    printLines(renderCosts(answer, flags.by, describeWindow(flags)));
  });
}
