// The API's answers as the CLI reads them: the v1 contract (snake_case, ms, USD, ISO
// times). Only the fields the commands show are typed; `--json` prints the whole answer as it
// came. The CLI is an HTTP client of the API and imports none of its code.

/** `{ items, next_cursor }` of every list. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly next_cursor: string | null;
}

/** `window` echoed by window answers. */
export interface WindowAnswer {
  readonly from: string;
  readonly to: string;
}

/** An item of `GET /conversations`. */
export interface ConversationSummary {
  readonly conversation_id: string;
  readonly user_id: string | null;
  readonly agent_name: string | null;
  readonly channel: string | null;
  readonly status: string;
  readonly started_at: string | null;
  readonly ended_at: string | null;
  readonly duration_ms: number | null;
  readonly turns: number;
  readonly llm_calls: number;
  readonly cost_usd: number;
  readonly errors: number;
}

/** A step of a turn (`GET /conversations/:id`, `GET /traces/:id`). */
export interface StepAnswer {
  readonly span_id: string;
  readonly name: string;
  readonly started_at: string | null;
  readonly duration_ms: number | null;
  readonly status: string;
  readonly error_message?: string | null;
  /** Fraction (0…1) of the turn's duration. */
  readonly share?: number | null;
}

/** An LLM call of a turn or trace. */
export interface LlmCallAnswer {
  readonly span_id: string;
  readonly parent_span_id?: string | null;
  readonly trace_id?: string;
  readonly provider?: string | null;
  readonly model?: string | null;
  readonly request_model?: string | null;
  readonly response_model?: string | null;
  readonly call_type?: string | null;
  readonly function_name?: string | null;
  readonly started_at?: string | null;
  readonly duration_ms?: number | null;
  readonly input_tokens?: number | null;
  readonly output_tokens?: number | null;
  readonly cost_usd?: number | null;
  readonly status?: string;
  readonly error_type?: string | null;
  readonly error_message?: string | null;
}

/** A SQL query a turn ran. */
export interface SqlQueryAnswer {
  readonly statement?: string | null;
  readonly system?: string | null;
  readonly duration_ms?: number | null;
  readonly status?: string;
}

/** A system event (log record). */
export interface EventAnswer {
  readonly name: string;
  readonly at?: string | null;
  readonly severity?: string | null;
  readonly component?: string | null;
  readonly message?: string | null;
}

/** The slowest step of a turn and its share (0…1) of the turn. */
export interface BottleneckAnswer {
  readonly step: string;
  readonly duration_ms: number;
  readonly share: number;
}

export interface TurnAnswer {
  readonly turn_id: string;
  readonly trace_id: string;
  /** Set on the turns of `GET /traces/:id`. */
  readonly conversation_id?: string | null;
  readonly index: number | null;
  readonly started_at: string | null;
  readonly duration_ms: number | null;
  readonly perceived_latency_ms?: number | null;
  readonly interrupted?: boolean | null;
  readonly status: string;
  readonly error_type?: string | null;
  readonly error_message?: string | null;
  readonly user_input?: string | null;
  readonly agent_output?: string | null;
  readonly cost_usd?: number | null;
  readonly steps: readonly StepAnswer[];
  readonly llm_calls?: readonly LlmCallAnswer[];
  readonly sql_queries?: readonly SqlQueryAnswer[];
  readonly events?: readonly EventAnswer[];
  readonly bottleneck?: BottleneckAnswer | null;
}

/** `GET /conversations/:conversation_id`. */
export interface ConversationDetail {
  readonly conversation: ConversationSummary;
  readonly turns: readonly TurnAnswer[];
  readonly events?: readonly EventAnswer[];
}

/** `GET /traces/:trace_id`. */
export interface TraceDetail {
  readonly trace_id?: string;
  readonly turns: readonly TurnAnswer[];
  readonly llm_calls: readonly LlmCallAnswer[];
}

/** An item of `GET /steps/stats`. */
export interface StepStats {
  readonly step: string;
  readonly count: number;
  readonly failures: number;
  readonly error_rate: number;
  readonly avg_ms: number | null;
  readonly min_ms: number | null;
  readonly max_ms: number | null;
  readonly p10_ms: number | null;
  readonly p25_ms: number | null;
  readonly p50_ms: number | null;
  readonly p75_ms: number | null;
  readonly p90_ms: number | null;
  readonly p95_ms: number | null;
  readonly p99_ms: number | null;
}

export interface StepStatsAnswer {
  readonly items: readonly StepStats[];
}

/** `GET /errors`. */
export interface ErrorsAnswer {
  readonly by_step: readonly { readonly step: string; readonly total: number; readonly failures: number; readonly error_rate: number }[];
  readonly by_model: readonly { readonly model: string; readonly total: number; readonly failures: number; readonly error_rate: number }[];
  readonly patterns: readonly {
    readonly pattern: string;
    readonly count: number;
    readonly examples: readonly { readonly trace_id: string; readonly conversation_id: string | null; readonly message: string; readonly at: string }[];
  }[];
}

/** `GET /timeseries`. */
export interface TimeseriesAnswer {
  readonly points: readonly { readonly t: string; readonly value: number }[];
}

/** `GET /busiest-hours`. */
export interface BusiestHoursAnswer {
  readonly items: readonly { readonly hour_of_day: number; readonly conversations: number }[];
}

/** An item of `GET /costs`. */
export interface CostItem {
  readonly key: string | null;
  readonly cost_usd: number;
  readonly llm_cost_usd: number;
  readonly stt_cost_usd: number;
  readonly tts_cost_usd: number;
  readonly calls: number;
  readonly conversations: number;
  readonly input_tokens: number;
  readonly output_tokens: number;
}

export interface CostsAnswer {
  readonly items: readonly CostItem[];
}

/** Duration figures of one side of `GET /compare`. */
export interface CompareFigures {
  readonly count?: number;
  readonly avg_ms: number | null;
  readonly p50_ms: number | null;
  readonly p95_ms: number | null;
}

/** A change per figure (after − before); null when either side is unknown. */
export interface CompareDelta {
  readonly avg: number | null;
  readonly p50: number | null;
  readonly p95: number | null;
}

/** One compared row: a step, or whole turns. */
export interface CompareRow {
  readonly before: CompareFigures;
  readonly after: CompareFigures;
  readonly delta_ms: CompareDelta;
  /** Percent (−17 is 17% faster). */
  readonly delta_pct: CompareDelta;
}

/** `GET /compare`. */
export interface CompareAnswer {
  readonly turns: CompareRow;
  readonly steps: readonly (CompareRow & { readonly step: string })[];
}

/** `GET /overview` (the counts `export` uses as the size of a download). */
export interface OverviewAnswer {
  readonly conversations: number;
  readonly turns: number;
  readonly llm_calls: number;
}

/** The error body of every non-2xx answer. */
export interface ErrorAnswer {
  readonly error: { readonly code: string; readonly message: string; readonly parameter?: string };
}
