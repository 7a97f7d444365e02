// Links from a turn to Grafana Explore: its trace in Tempo and its logs in Loki, through the
// datasources with the fixed uids `tempo` and `loki` (set them so when provisioning Grafana).
const TEMPO_UID = 'tempo';
const LOKI_UID = 'loki';

/** Margin around the turn for the Explore time range: logs of a turn may trail it a little. */
const MARGIN_MILLIS = 5 * 60_000;

export interface TurnSpan {
  readonly traceId: string;
  /** ISO start of the turn, when known. */
  readonly startedAt: string | null;
  readonly durationMs: number | null;
}

function rangeOf(turn: TurnSpan): { from: string; to: string } {
  const start = turn.startedAt === null ? Number.NaN : Date.parse(turn.startedAt);
  if (Number.isNaN(start)) return { from: 'now-24h', to: 'now' };
  return { from: String(start - MARGIN_MILLIS), to: String(start + (turn.durationMs ?? 0) + MARGIN_MILLIS) };
}

/** Grafana Explore with one pane querying `datasourceUid` (Explore's `panes` URL schema, version 1). */
function exploreUrl(grafanaUrl: string, datasourceUid: string, query: Record<string, string>, range: { from: string; to: string }): string {
  const pane = { datasource: datasourceUid, queries: [{ refId: 'A', datasource: { uid: datasourceUid }, ...query }], range };
  return `${grafanaUrl.replace(/\/+$/, '')}/explore?schemaVersion=1&orgId=1&panes=${encodeURIComponent(JSON.stringify({ turn: pane }))}`;
}

/** The turn's trace in Tempo (the trace id as a TraceQL query). */
export function tempoTraceUrl(grafanaUrl: string, turn: TurnSpan): string {
  return exploreUrl(grafanaUrl, TEMPO_UID, { queryType: 'traceql', query: turn.traceId }, rangeOf(turn));
}

/** The turn's log records in Loki (OTLP logs carry trace_id as structured metadata). */
export function lokiLogsUrl(grafanaUrl: string, turn: TurnSpan): string {
  return exploreUrl(grafanaUrl, LOKI_UID, { expr: `{service_name=~".+"} | trace_id="${turn.traceId}"` }, rangeOf(turn));
}
