// A strict reader of the Prometheus text exposition format (0.0.4), for asserting on /metrics
// as a scraper would read it: a malformed line, or a sample of a family with no TYPE, throws.

export interface Scrape {
  /** TYPE of each metric family. */
  readonly types: ReadonlyMap<string, string>;
  /** Sample values by `name{label="value",…}`, labels sorted by name. */
  readonly samples: ReadonlyMap<string, number>;
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const COMMENT = new RegExp(`^# (HELP|TYPE) (${NAME}) (.*)$`);
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)(?: -?\\d+)?$`);
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/gy;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

export function parsePrometheusText(text: string): Scrape {
  const types = new Map<string, string>();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const comment = COMMENT.exec(line);
    if (comment !== null) {
      const [, keyword, name, rest] = comment as unknown as [string, string, string, string];
      if (keyword === 'TYPE') {
        if (!TYPES.has(rest)) throw new Error(`unknown metric type: ${line}`);
        types.set(name, rest);
      }
      continue;
    }
    const match = SAMPLE.exec(line);
    if (match === null) throw new Error(`not a sample line: ${line}`);
    const [, name, labelText = '', valueText] = match as unknown as [string, string, string | undefined, string];
    const family = familyOf(name, types);
    if (family === undefined) throw new Error(`sample before its TYPE: ${line}`);
    samples.set(seriesKey(name, parseLabels(labelText, line)), parseValue(valueText, line));
  }
  return { types, samples };
}

/** The key `samples` uses for a series. */
export function seriesKey(name: string, labels: Readonly<Record<string, string>> = {}): string {
  const entries = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? name : `${name}{${entries.map(([k, v]) => `${k}="${v}"`).join(',')}}`;
}

/** A series' value, 0 when absent (a counter not yet incremented). */
export function valueOf(scrape: Scrape, name: string, labels: Readonly<Record<string, string>> = {}): number {
  return scrape.samples.get(seriesKey(name, labels)) ?? 0;
}

// Go's ParseFloat, which Prometheus uses: Inf and NaN in any case (prom-client writes "Nan").
function parseValue(text: string, line: string): number {
  if (/^[+-]?inf$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(text)) return NaN;
  const value = Number(text);
  if (text === '' || Number.isNaN(value)) throw new Error(`bad value: ${line}`);
  return value;
}

function familyOf(sampleName: string, types: ReadonlyMap<string, string>): string | undefined {
  if (types.has(sampleName)) return sampleName;
  const base = sampleName.replace(/_(bucket|sum|count)$/, '');
  return types.get(base) === 'histogram' || types.get(base) === 'summary' ? base : undefined;
}

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  let consumed = 0;
  for (let match = LABEL.exec(text); match !== null; match = LABEL.exec(text)) {
    labels[match[1] as string] = (match[2] as string).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    consumed = LABEL.lastIndex;
  }
  if (consumed !== text.length) throw new Error(`bad labels: ${line}`);
  return labels;
}
