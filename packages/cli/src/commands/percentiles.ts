import { Command } from 'commander';
import type { StepStats, StepStatsAnswer } from '../client/answers.js';
import { printJson } from '../format/json.js';
import { framed, printLines } from '../format/report.js';
import { renderTable, type Column } from '../format/table.js';
import { formatCount, formatMs } from '../format/units.js';
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

type PercentilesFlags = ClientFlags & WindowFlags & FilterFlags & { readonly step?: string };

/** The percentiles /steps/stats answers, in order, with the note the seed session puts beside some. */
const PERCENTILES: readonly { readonly label: string; readonly field: keyof StepStats; readonly note?: string }[] = [
  { label: 'P10', field: 'p10_ms' },
  { label: 'P25', field: 'p25_ms' },
  { label: 'P50', field: 'p50_ms', note: '← Median' },
  { label: 'P75', field: 'p75_ms' },
  { label: 'P90', field: 'p90_ms' },
  { label: 'P95', field: 'p95_ms' },
  { label: 'P99', field: 'p99_ms', note: '← 99th percentile' },
];

function oneStep(stats: StepStats): string[] {
  const columns: readonly Column<(typeof PERCENTILES)[number]>[] = [
    { header: 'Percentile', value: (p) => p.label },
    { header: 'Duration (ms)', align: 'right', value: (p) => formatMs(stats[p.field] as number | null) },
    { header: '', value: (p) => p.note ?? '' },
  ];
  return [...renderTable(columns, PERCENTILES), '', `Samples  ${formatCount(stats.count)}`];
}

const ALL_STEPS: readonly Column<StepStats>[] = [
  { header: 'Step', value: (s) => s.step },
  { header: 'Count', align: 'right', value: (s) => formatCount(s.count) },
  ...PERCENTILES.map((p): Column<StepStats> => ({ header: `${p.label} (ms)`, align: 'right', value: (s) => formatMs(s[p.field] as number | null) })),
];

/** `convotel percentiles --step llm`: a step's duration percentiles, or every step's (GET /steps/stats). */
export function percentilesCommand(): Command {
  const command = new Command('percentiles')
    .description('duration percentiles (p10…p99) of one step, or of every step')
    .option('--step <name>', 'the step (default: every step, one line each)');
  withClientOptions(withFilterOptions(withWindowOptions(command)));
  return command.action(async (flags: PercentilesFlags) => {
    const answer = await clientOf(flags).getJson<StepStatsAnswer>('/steps/stats', { step: flags.step, ...windowQuery(flags), ...filterQuery(flags) });
    if (flags.json) return printJson(answer);
    if (flags.step === undefined) {
      const body = answer.items.length === 0 ? ['no steps in the window'] : renderTable(ALL_STEPS, answer.items);
      return printLines(framed(`Step Duration Percentiles (${describeWindow(flags)})`, body));
    }
    const stats = answer.items.find((s) => s.step === flags.step);
    const body = stats === undefined || stats.count === 0 ? [`no '${flags.step}' steps in the window`] : oneStep(stats);
    printLines(framed(`Duration Percentiles for '${flags.step}' Step (${describeWindow(flags)})`, body));
  });
}
