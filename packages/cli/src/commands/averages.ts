import { Command } from 'commander';
import type { StepStats, StepStatsAnswer } from '../client/answers.js';
import { printJson } from '../format/json.js';
import { framed, printLines } from '../format/report.js';
import { renderTable, type Column } from '../format/table.js';
import { formatCount, formatMs, formatRate } from '../format/units.js';
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

type AveragesFlags = ClientFlags & WindowFlags & FilterFlags & { readonly step?: string };

const COLUMNS: readonly Column<StepStats>[] = [
  { header: 'Step', value: (s) => s.step },
  { header: 'Count', align: 'right', value: (s) => formatCount(s.count) },
  { header: 'Avg (ms)', align: 'right', value: (s) => formatMs(s.avg_ms) },
  { header: 'Min (ms)', align: 'right', value: (s) => formatMs(s.min_ms) },
  { header: 'Max (ms)', align: 'right', value: (s) => formatMs(s.max_ms) },
  { header: 'P95 (ms)', align: 'right', value: (s) => formatMs(s.p95_ms) },
  { header: 'Errors', align: 'right', value: (s) => formatRate(s.error_rate) },
];

/** `convotel averages`: count, average, min, max (and p95, error rate) per step (GET /steps/stats). */
export function averagesCommand(): Command {
  const command = new Command('averages')
    .description('average step durations of the window: count, avg, min, max, p95 and error rate per step')
    .option('--step <name>', 'only this step');
  withClientOptions(withFilterOptions(withWindowOptions(command)));
  return command.action(async (flags: AveragesFlags) => {
    const answer = await clientOf(flags).getJson<StepStatsAnswer>('/steps/stats', { step: flags.step, ...windowQuery(flags), ...filterQuery(flags) });
    if (flags.json) return printJson(answer);
    const body = answer.items.length === 0 ? ['no steps in the window'] : renderTable(COLUMNS, answer.items);
    printLines(framed(`Average Step Durations (${describeWindow(flags)})`, body));
  });
}
