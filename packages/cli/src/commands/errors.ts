import { Command, InvalidArgumentError } from 'commander';
import type { ErrorsAnswer } from '../client/answers.js';
import { printJson } from '../format/json.js';
import { bullets, framed, heading, printLines } from '../format/report.js';
import { renderTable, type Column } from '../format/table.js';
import { formatTime } from '../format/time.js';
import { formatCount, formatRate, NONE } from '../format/units.js';
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

type ErrorsFlags = ClientFlags & WindowFlags & FilterFlags & { readonly alert: number };

/** Default error rate (percent) at which a row is marked "← PROBLEM!". */
export const DEFAULT_ALERT_PERCENT = 10;

function parsePercent(value: string): number {
  const percent = Number(value.replace(/%$/, ''));
  if (!Number.isFinite(percent) || percent < 0 || percent > 100) throw new InvalidArgumentError('expected a percent, 0…100');
  return percent;
}

interface RateRow {
  readonly name: string;
  readonly total: number;
  readonly failures: number;
  readonly error_rate: number;
}

function rateTable(label: string, rows: readonly RateRow[], alertPercent: number): string[] {
  const columns: readonly Column<RateRow>[] = [
    { header: label, value: (r) => r.name },
    { header: 'Total', align: 'right', value: (r) => formatCount(r.total) },
    { header: 'Failures', align: 'right', value: (r) => formatCount(r.failures) },
    { header: 'Error Rate', align: 'right', value: (r) => formatRate(r.error_rate) },
    { header: '', value: (r) => (r.failures > 0 && r.error_rate * 100 >= alertPercent ? '← PROBLEM!' : '') },
  ];
  return rows.length === 0 ? ['none in the window'] : renderTable(columns, rows);
}

/** `convotel errors`'s lines: error rates by step and by model, recurring patterns with an example each, findings. */
export function renderErrors(answer: ErrorsAnswer, flags: { readonly alert: number; readonly tz: string; readonly window: string }): string[] {
  const steps = answer.by_step.map((s) => ({ ...s, name: s.step }));
  // A call that names no model (neither requested nor answering) is grouped under null.
  const models = answer.by_model.map((m) => ({ ...m, name: m.model ?? '(no model)' }));
  type Pattern = ErrorsAnswer['patterns'][number];
  const patternColumns: readonly Column<Pattern>[] = [
    { header: 'Pattern', value: (p) => p.pattern },
    { header: 'Count', align: 'right', value: (p) => formatCount(p.count) },
    { header: 'Latest', value: (p) => formatTime(p.examples[0]?.at, flags.tz) },
    { header: 'Conversation', value: (p) => p.examples[0]?.conversation_id ?? NONE },
    { header: 'Example', value: (p) => p.examples[0]?.message ?? NONE },
  ];
  const patterns = answer.patterns.filter((p) => p.count > 0);
  const body = [
    ...rateTable('Step', steps, flags.alert),
    '',
    ...heading('Error Rates by Model'),
    ...rateTable('Model', models, flags.alert),
    '',
    ...heading('Recurring Error Patterns'),
    ...(patterns.length === 0 ? ['no errors in the window'] : renderTable(patternColumns, patterns)),
  ];
  const findings = [...steps, ...models]
    .filter((r) => r.failures > 0 && r.error_rate * 100 >= flags.alert)
    .map((r) => `${r.name} has a ${formatRate(r.error_rate)} error rate (${r.failures} of ${r.total}), at or above the ${flags.alert}% alert`);
  const top = [...patterns].sort((a, b) => b.count - a.count)[0];
  if (top !== undefined) findings.push(`Most frequent error pattern: ${top.pattern} (${top.count})`);
  if (steps.length > 0 && steps.every((s) => s.failures === 0)) findings.push('No step failed');
  return [...framed(`Error Rates by Step (${flags.window})`, body), ...bullets('Findings', findings)];
}

/** `convotel errors`: error rates by step and model, and recurring error patterns (GET /errors). */
export function errorsCommand(): Command {
  const command = new Command('errors')
    .description('error rates by step and by model, and recurring error patterns (rate limit, timeout, …) with an example each')
    .option('--alert <percent>', 'mark rates at or above this percent', parsePercent, DEFAULT_ALERT_PERCENT);
  withClientOptions(withFilterOptions(withWindowOptions(command)));
  return command.action(async (flags: ErrorsFlags) => {
    const answer = await clientOf(flags).getJson<ErrorsAnswer>('/errors', { ...windowQuery(flags), ...filterQuery(flags) });
    if (flags.json) return printJson(answer);
    printLines(renderErrors(answer, { alert: flags.alert, tz: flags.tz, window: describeWindow(flags) }));
  });
}
