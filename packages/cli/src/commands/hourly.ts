import { Command, Option } from 'commander';
import type { BusiestHoursAnswer, TimeseriesAnswer } from '../client/answers.js';
import { printJson } from '../format/json.js';
import { framed, heading, printLines } from '../format/report.js';
import { renderTable, type Column } from '../format/table.js';
import { formatMinute, formatHourOfDay } from '../format/time.js';
import { formatCount, formatMs, formatUsd } from '../format/units.js';
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

/** The metrics of GET /timeseries, with their column header and format. */
const METRICS = {
  conversations: { header: 'Conversations', format: formatCount },
  turns: { header: 'Turns', format: formatCount },
  llm_calls: { header: 'LLM Calls', format: formatCount },
  cost_usd: { header: 'Cost', format: formatUsd },
  errors: { header: 'Errors', format: formatCount },
  turn_p95_ms: { header: 'Turn p95 (ms)', format: formatMs },
} as const;
type Metric = keyof typeof METRICS;

type HourlyFlags = ClientFlags & WindowFlags & FilterFlags & { readonly metric: Metric; readonly top: number };

/** `convotel hourly`'s lines: the metric per hour (peak marked), then the busiest hours of the day. */
export function renderHourly(series: TimeseriesAnswer, busiest: BusiestHoursAnswer, flags: Pick<HourlyFlags, 'metric' | 'top' | 'tz'> & { readonly window: string }): string[] {
  const metric = METRICS[flags.metric];
  const peak = Math.max(...series.points.map((p) => p.value));
  type Point = TimeseriesAnswer['points'][number];
  const perHour: readonly Column<Point>[] = [
    { header: `Hour (${flags.tz})`, value: (p) => formatMinute(p.t, flags.tz) },
    { header: metric.header, align: 'right', value: (p) => metric.format(p.value) },
    { header: '', value: (p) => (p.value === peak && peak > 0 ? '← Peak hour' : '') },
  ];
  const hours = [...busiest.items].filter((h) => h.conversations > 0).sort((a, b) => b.conversations - a.conversations || a.hour_of_day - b.hour_of_day);
  type Hour = BusiestHoursAnswer['items'][number];
  const byHour: readonly Column<Hour>[] = [
    { header: `Hour (${flags.tz})`, value: (h) => formatHourOfDay(h.hour_of_day) },
    { header: 'Conversations', align: 'right', value: (h) => formatCount(h.conversations) },
    { header: '', value: (h) => (h === hours[0] ? '← Most active' : '') },
  ];
  return framed(`${metric.header} per Hour (${flags.window})`, [
    ...(series.points.length === 0 ? ['no hours in the window'] : renderTable(perHour, series.points)),
    '',
    ...heading(`Busiest Hours of Day (top ${flags.top})`),
    ...(hours.length === 0 ? ['no conversations in the window'] : renderTable(byHour, hours.slice(0, flags.top))),
  ]);
}

/** `convotel hourly`: a metric per hour (GET /timeseries) and the busiest hours of the day (GET /busiest-hours). */
export function hourlyCommand(): Command {
  const command = new Command('hourly')
    .description('conversations (or another metric) per hour, and the busiest hours of the day')
    .addOption(new Option('--metric <metric>', 'what to count per hour').choices(Object.keys(METRICS)).default('conversations'))
    .option('--top <n>', 'how many busiest hours', parsePositiveInteger, 10);
  withClientOptions(withFilterOptions(withWindowOptions(command)));
  return command.action(async (flags: HourlyFlags) => {
    const client = clientOf(flags);
    const scope = { ...windowQuery(flags), ...filterQuery(flags) };
    const [series, busiest] = await Promise.all([
      client.getJson<TimeseriesAnswer>('/timeseries', { metric: flags.metric, interval: 'hour', ...scope }),
      client.getJson<BusiestHoursAnswer>('/busiest-hours', { tz: flags.tz, ...scope }),
    ]);
    if (flags.json) return printJson({ per_hour: series, busiest_hours: busiest });
    printLines(renderHourly(series, busiest, { metric: flags.metric, top: flags.top, tz: flags.tz, window: describeWindow(flags) }));
  });
}
