// What Grafana does to a PostgreSQL query before the database sees it, so tests can run the
// dashboards' SQL: the frontend interpolates template variables (quoting multi-value ones as
// the SQL datasources do), then the backend expands the `$__` macros
// (pkg/tsdb/grafana-postgresql-datasource/macros.go).

/** The query's time range and interval, as Grafana passes them. */
export interface MacroContext {
  readonly from: Date;
  readonly to: Date;
  /** `$__interval` in ms (Grafana derives it from the range and the panel's width). */
  readonly intervalMs: number;
}

/** A template variable's current value. */
export interface VariableValue {
  readonly value: string | readonly string[];
  /** Multi-value or "Include All" variables are quoted as SQL literals and joined by commas; others are inserted as they are (single quotes doubled). */
  readonly quoted: boolean;
}

/** A `$__macro(...)` whose arguments did not parse, or a macro this expander does not know. */
export class MacroError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MacroError';
  }
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };

/** Grafana's interval text (`5m`, `1h`, `'1d'`, `500ms`) in ms. */
export function parseInterval(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)$/.exec(text.trim().replace(/^['"]|['"]$/g, ''));
  if (match === null) throw new MacroError(`not an interval: ${text}`);
  return Number(match[1]) * (UNIT_MS[match[2] as string] as number);
}

/** Grafana's shortest rendering of an interval (`1h`, `30s`, `1500ms`), as `$__interval` carries it. */
export function formatInterval(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const size = UNIT_MS[unit] as number;
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

const quoteLiteral = (value: string): string => `'${value.replace(/'/g, "''")}'`;
const rfc3339 = (date: Date): string => `'${date.toISOString().replace(/\.\d{3}Z$/, 'Z')}'`;
const epochSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);

/**
 * Replaces `$name`, `${name}`, `${name:format}` and `[[name]]` by the variable's value, and the
 * global `$__interval`, `$__interval_ms`, `$__range_s`, `$__from`, `$__to`. Unknown names are
 * left alone (macros such as `$__timeFilter` among them).
 */
export function interpolateVariables(sql: string, variables: Readonly<Record<string, VariableValue>>, context: MacroContext): string {
  const globals: Record<string, VariableValue> = {
    __interval: { value: formatInterval(context.intervalMs), quoted: false },
    __interval_ms: { value: String(context.intervalMs), quoted: false },
    __range_s: { value: String(Math.round((context.to.getTime() - context.from.getTime()) / 1000)), quoted: false },
    __from: { value: String(context.from.getTime()), quoted: false },
    __to: { value: String(context.to.getTime()), quoted: false },
  };
  const render = (name: string, format: string | undefined, original: string): string => {
    const variable = variables[name] ?? globals[name];
    if (variable === undefined) return original;
    const values = typeof variable.value === 'string' ? [variable.value] : variable.value;
    if (format === 'raw') return values.join(',');
    if (format === 'csv') return values.join(',');
    if (format === 'sqlstring' || variable.quoted) return values.map(quoteLiteral).join(',');
    return values.map((value) => value.replace(/'/g, "''")).join(',');
  };
  return sql
    .replace(/\$\{(\w+)(?::(\w+))?\}/g, (original, name: string, format: string | undefined) => render(name, format, original))
    .replace(/\[\[(\w+)\]\]/g, (original, name: string) => render(name, undefined, original))
    .replace(/\$(\w+)/g, (original, name: string) => render(name, undefined, original));
}

/** The arguments of a macro call starting at `open` (the index of its `(`), split at top-level commas, and the index after its `)`. */
function readArguments(sql: string, open: number): { args: string[]; end: number } {
  const args: string[] = [];
  let depth = 0;
  let start = open + 1;
  let quote: string | undefined;
  for (let i = open; i < sql.length; i += 1) {
    const char = sql[i] as string;
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      continue;
    }
    if (char === "'" || char === '"') quote = char;
    else if (char === '(') depth += 1;
    else if (char === ')') {
      depth -= 1;
      if (depth === 0) {
        args.push(sql.slice(start, i).trim());
        return { args: args.length === 1 && args[0] === '' ? [] : args, end: i + 1 };
      }
    } else if (char === ',' && depth === 1) {
      args.push(sql.slice(start, i).trim());
      start = i + 1;
    }
  }
  throw new MacroError(`unclosed macro call at: ${sql.slice(open - 20, open + 40)}`);
}

type MacroExpander = (args: readonly string[], context: MacroContext) => string;

function needs(name: string, args: readonly string[], count: number): void {
  if (args.length < count) throw new MacroError(`$__${name} needs ${count} argument(s), got ${args.length}`);
}

const timeGroup = (args: readonly string[], context: MacroContext): string => {
  needs('timeGroup', args, 2);
  const intervalMs = args[1] === '$__interval' ? context.intervalMs : parseInterval(args[1] as string);
  const seconds = intervalMs / 1000;
  return `floor(extract(epoch from ${args[0]})/${seconds})*${seconds}`;
};

const unixEpochGroup = (args: readonly string[], context: MacroContext): string => {
  needs('unixEpochGroup', args, 2);
  const seconds = (args[1] === '$__interval' ? context.intervalMs : parseInterval(args[1] as string)) / 1000;
  return `floor((${args[0]})/${seconds})*${seconds}`;
};

const MACROS: Readonly<Record<string, MacroExpander>> = {
  time: (args) => (needs('time', args, 1), `${args[0]} AS "time"`),
  timeEpoch: (args) => (needs('timeEpoch', args, 1), `extract(epoch from ${args[0]}) as "time"`),
  timeFilter: (args, c) => (needs('timeFilter', args, 1), `${args[0]} BETWEEN ${rfc3339(c.from)} AND ${rfc3339(c.to)}`),
  timeFrom: (_args, c) => rfc3339(c.from),
  timeTo: (_args, c) => rfc3339(c.to),
  timeGroup,
  timeGroupAlias: (args, c) => `${timeGroup(args, c)} AS "time"`,
  unixEpochFilter: (args, c) => (needs('unixEpochFilter', args, 1), `${args[0]} >= ${epochSeconds(c.from)} AND ${args[0]} <= ${epochSeconds(c.to)}`),
  unixEpochNanoFilter: (args, c) =>
    (needs('unixEpochNanoFilter', args, 1), `${args[0]} >= ${BigInt(c.from.getTime()) * 1_000_000n} AND ${args[0]} <= ${BigInt(c.to.getTime()) * 1_000_000n}`),
  unixEpochNanoFrom: (_args, c) => String(BigInt(c.from.getTime()) * 1_000_000n),
  unixEpochNanoTo: (_args, c) => String(BigInt(c.to.getTime()) * 1_000_000n),
  unixEpochFrom: (_args, c) => String(epochSeconds(c.from)),
  unixEpochTo: (_args, c) => String(epochSeconds(c.to)),
  unixEpochGroup,
  unixEpochGroupAlias: (args, c) => `${unixEpochGroup(args, c)} AS "time"`,
};

/**
 * Expands Grafana's PostgreSQL macros (`$__timeFilter(col)`, `$__timeGroupAlias(col, 5m)`,
 * `$__timeFrom()`, `$__unixEpochFilter(col)`, …) as its backend does. A bare `$__interval`
 * left in a macro's arguments stands for the context's interval.
 */
export function expandMacros(sql: string, context: MacroContext): string {
  let out = '';
  let index = 0;
  const pattern = /\$__(\w+)\(/g;
  for (let match = pattern.exec(sql); match !== null; match = pattern.exec(sql)) {
    const name = match[1] as string;
    const expand = MACROS[name];
    if (expand === undefined) throw new MacroError(`unknown macro $__${name}`);
    const open = match.index + match[0].length - 1;
    const { args, end } = readArguments(sql, open);
    out += sql.slice(index, match.index) + expand(args, context);
    index = end;
    pattern.lastIndex = end;
  }
  return out + sql.slice(index);
}

/** Variables, then macros: the SQL PostgreSQL receives from a panel. */
export function renderQuery(sql: string, variables: Readonly<Record<string, VariableValue>>, context: MacroContext): string {
  return expandMacros(interpolateVariables(sql, variables, context), context);
}
