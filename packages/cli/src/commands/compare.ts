import { Command, InvalidArgumentError } from 'commander';
import type { CompareAnswer, CompareRow } from '../client/answers.js';
import { printJson } from '../format/json.js';
import { bullets, framed, printLines } from '../format/report.js';
import { renderTable, type Column } from '../format/table.js';
import { formatMinute } from '../format/time.js';
import { formatCount, formatDeltaMs, formatDeltaPct, formatMs } from '../format/units.js';
import { clientOf, filterQuery, toInstant, withClientOptions, withFilterOptions, type ClientFlags, type FilterFlags } from '../options.js';

/** A window given as `FROM..TO` (or ISO-8601's `FROM/TO`): each an ISO-8601 time, an age (48h) or now. */
export interface Range {
  readonly from: string;
  readonly to: string;
}

export function parseRange(value: string): Range {
  const parts = value.includes('..') ? value.split('..') : value.split('/');
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
    throw new InvalidArgumentError('expected FROM..TO, e.g. 48h..24h, 2026-03-01..2026-03-08 or 2026-03-08T09:00Z..now');
  }
  const nowMs = Date.now();
  return { from: toInstant(parts[0]!, nowMs), to: toInstant(parts[1]!, nowMs) };
}

type CompareFlags = ClientFlags & FilterFlags & { readonly before: Range; readonly after: Range };

type Row = CompareRow & { readonly label: string };

const COLUMNS: readonly Column<Row>[] = [
  { header: 'Step', value: (r) => r.label },
  { header: 'Before avg (ms)', align: 'right', value: (r) => formatMs(r.before.avg_ms) },
  { header: 'After avg (ms)', align: 'right', value: (r) => formatMs(r.after.avg_ms) },
  { header: 'Change', align: 'right', value: (r) => formatDeltaMs(r.delta_ms.avg) },
  { header: '%', align: 'right', value: (r) => formatDeltaPct(r.delta_pct.avg) },
  { header: 'Before p95', align: 'right', value: (r) => formatMs(r.before.p95_ms) },
  { header: 'After p95', align: 'right', value: (r) => formatMs(r.after.p95_ms) },
  { header: 'Before n', align: 'right', value: (r) => formatCount(r.before.count) },
  { header: 'After n', align: 'right', value: (r) => formatCount(r.after.count) },
];

/** "llm: 3421.8ms → 2834.5ms, 587.3ms faster (17.2% improvement)". */
function resultLine(row: Row): string | undefined {
  const { before, after } = row;
  const delta = row.delta_ms.avg;
  const pct = row.delta_pct.avg;
  if (before.avg_ms == null || after.avg_ms == null || delta == null) return undefined;
  const change = delta === 0 ? 'unchanged' : delta < 0 ? `${Math.abs(delta).toFixed(1)}ms faster` : `${delta.toFixed(1)}ms slower`;
  const percent = pct == null || delta === 0 ? '' : ` (${Math.abs(pct).toFixed(1)}% ${delta < 0 ? 'improvement' : 'regression'})`;
  return `${row.label}: ${formatMs(before.avg_ms)}ms → ${formatMs(after.avg_ms)}ms, ${change}${percent}`;
}

/** `convotel compare`'s lines: per step and for whole turns, before vs after. */
export function renderCompare(answer: CompareAnswer, before: Range, after: Range, timeZone: string): string[] {
  const rows: Row[] = [...answer.steps.map((s) => ({ ...s, label: s.step })), { ...answer.turns, label: 'whole turn' }];
  const range = (r: Range): string => `${formatMinute(r.from, timeZone)} → ${formatMinute(r.to, timeZone)} ${timeZone}`;
  const body = [`Before: ${range(before)}`, `After:  ${range(after)}`, '', ...renderTable(COLUMNS, rows)];
  const results = rows.map(resultLine).filter((line): line is string => line !== undefined);
  return [...framed('Before / After Comparison', body), ...bullets('Results', results)];
}

/** `convotel compare --before 48h..24h --after 24h..now`: step and turn durations of two windows (GET /compare). */
export function compareCommand(): Command {
  const command = new Command('compare')
    .description('validate an optimization: average, p50 and p95 per step and for whole turns, before vs after, with the change in ms and %')
    .requiredOption('--before <from..to>', 'the window before the change: FROM..TO, each ISO-8601, an age (48h, 7d) or now', parseRange)
    .requiredOption('--after <from..to>', 'the window after the change', parseRange);
  withClientOptions(withFilterOptions(command));
  return command.action(async (flags: CompareFlags) => {
    const options = { before_from: '--before', before_to: '--before', after_from: '--after', after_to: '--after' };
    const answer = await clientOf(flags, options).getJson<CompareAnswer>('/compare', {
      before_from: flags.before.from,
      before_to: flags.before.to,
      after_from: flags.after.from,
      after_to: flags.after.to,
      ...filterQuery(flags),
    });
    if (flags.json) return printJson(answer);
    printLines(renderCompare(answer, flags.before, flags.after, flags.tz));
  });
}
