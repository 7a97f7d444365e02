// The JSON answers of the routes, as TypeScript types, for clients (the CLI) to import as types
// only. Each is the output of the `response` schema a route is defined with (defineRoute ties its
// handler's result to that schema), so an answer's type cannot drift from what the route answers.
import type { z } from 'zod';
import type { RouteDefinition } from './route.js';
import type { adminCleanupRoute } from './routes/admin-cleanup.js';
import type { busiestHoursRoute } from './routes/busiest-hours.js';
import type { compareRoute } from './routes/compare.js';
import type { conversationDetailRoute } from './routes/conversation-detail.js';
import type { conversationsRoute } from './routes/conversations.js';
import type { costsRoute } from './routes/costs.js';
import type { errorsRoute } from './routes/errors.js';
import type { eventsRoute } from './routes/events.js';
import type { llmAnalysisRoute } from './routes/llm-analysis.js';
import type { llmCallsRoute } from './routes/llm-calls.js';
import type { overviewRoute } from './routes/overview.js';
import type { sqlAnalysisRoute } from './routes/sql-analysis.js';
import type { stepStatsRoute } from './routes/step-stats.js';
import type { timeseriesRoute } from './routes/timeseries.js';
import type { traceRoute } from './routes/traces.js';
import type { voiceCostRoute } from './routes/voice-cost.js';
import type { voiceDominantRoute } from './routes/voice-dominant.js';
import type { voiceInterruptionsRoute } from './routes/voice-interruptions.js';
import type { voiceLatencyRoute } from './routes/voice-latency.js';

/** The 200 answer of a JSON route: the output of its `response` schema. */
type AnswerOf<R extends RouteDefinition> = z.output<R['response']>;

/** An item of a list answer. */
type ItemOf<A extends { readonly items: readonly unknown[] }> = A['items'][number];

/** `GET /overview`. */
export type OverviewAnswer = AnswerOf<typeof overviewRoute>;
/** `GET /conversations`. */
export type ConversationsAnswer = AnswerOf<typeof conversationsRoute>;
/** An item of `GET /conversations`. */
export type ConversationSummaryAnswer = ItemOf<ConversationsAnswer>;
/** `GET /conversations/:conversation_id`. */
export type ConversationDetailAnswer = AnswerOf<typeof conversationDetailRoute>;
/** `GET /traces/:trace_id`. */
export type TraceAnswer = AnswerOf<typeof traceRoute>;
/** A turn with its steps, LLM calls, SQL queries and events (conversation detail, trace). */
export type TurnAnswer = ConversationDetailAnswer['turns'][number];
/** A step of a turn. */
export type StepAnswer = TurnAnswer['steps'][number];
/** A SQL query of a turn. */
export type SqlQueryAnswer = TurnAnswer['sql_queries'][number];
/** `GET /timeseries`. */
export type TimeseriesAnswer = AnswerOf<typeof timeseriesRoute>;
/** `GET /busiest-hours`. */
export type BusiestHoursAnswer = AnswerOf<typeof busiestHoursRoute>;
/** `GET /events`. */
export type EventsAnswer = AnswerOf<typeof eventsRoute>;
/** A system event (log record). */
export type EventAnswer = ItemOf<EventsAnswer>;
/** `GET /steps/stats`. */
export type StepStatsAnswer = AnswerOf<typeof stepStatsRoute>;
/** An item of `GET /steps/stats`. */
export type StepStatsItemAnswer = ItemOf<StepStatsAnswer>;
/** `GET /llm-calls/analysis`. */
export type LlmAnalysisAnswer = AnswerOf<typeof llmAnalysisRoute>;
/** `GET /llm-calls`. */
export type LlmCallsAnswer = AnswerOf<typeof llmCallsRoute>;
/** An LLM call (of `GET /llm-calls`, a turn or a trace). */
export type LlmCallAnswer = ItemOf<LlmCallsAnswer>;
/** `GET /errors`. */
export type ErrorsAnswer = AnswerOf<typeof errorsRoute>;
/** `GET /sql-queries/analysis`. */
export type SqlAnalysisAnswer = AnswerOf<typeof sqlAnalysisRoute>;
/** `GET /costs`. */
export type CostsAnswer = AnswerOf<typeof costsRoute>;
/** An item of `GET /costs`. */
export type CostItemAnswer = ItemOf<CostsAnswer>;
/** `GET /compare`. */
export type CompareAnswer = AnswerOf<typeof compareRoute>;
/** The whole-turn row of `GET /compare` (each step row has these fields and `step`). */
export type CompareRowAnswer = CompareAnswer['turns'];
/** `GET /voice/latency`. */
export type VoiceLatencyAnswer = AnswerOf<typeof voiceLatencyRoute>;
/** A group of `GET /voice/latency`. */
export type VoiceLatencyGroupAnswer = VoiceLatencyAnswer['groups'][number];
/** `GET /voice/dominant`. */
export type VoiceDominantAnswer = AnswerOf<typeof voiceDominantRoute>;
/** `GET /voice/interruptions`. */
export type VoiceInterruptionsAnswer = AnswerOf<typeof voiceInterruptionsRoute>;
/** `GET /voice/cost`. */
export type VoiceCostAnswer = AnswerOf<typeof voiceCostRoute>;
/** A turn's voice breakdown (conversation detail, trace); null when the turn has no voice facts. */
export type TurnVoiceAnswer = TurnAnswer['voice'];
/** `POST /admin/cleanup`. */
export type AdminCleanupAnswer = AnswerOf<typeof adminCleanupRoute>;
