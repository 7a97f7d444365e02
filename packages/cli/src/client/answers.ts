// The API's answers as the CLI reads them, under the names the commands use. They are the API's
// own types (packages/api/src/answers.ts: each the output of a route's response schema), imported
// with `import type` only: erased at build, so the analytics commands stay an HTTP client of the
// API and run none of its code, while a change of an answer's shape breaks the CLI's build
// instead of drifting from it. `--json` prints the whole answer as it came.
import type {
  BusiestHoursAnswer,
  CompareAnswer,
  CompareRowAnswer,
  ConversationDetailAnswer,
  ConversationsAnswer,
  ConversationSummaryAnswer,
  CostItemAnswer,
  CostsAnswer,
  ErrorBody,
  ErrorsAnswer,
  EventAnswer,
  LlmCallAnswer,
  OverviewAnswer,
  StepAnswer,
  StepStatsAnswer,
  StepStatsItemAnswer,
  TimeseriesAnswer,
  TraceAnswer,
  TurnAnswer,
  TurnVoiceAnswer,
  VoiceLatencyAnswer,
  VoiceLatencyGroupAnswer,
} from '@convotel/api';

export type {
  BusiestHoursAnswer,
  CompareAnswer,
  ConversationsAnswer,
  CostsAnswer,
  ErrorsAnswer,
  EventAnswer,
  LlmCallAnswer,
  OverviewAnswer,
  StepAnswer,
  StepStatsAnswer,
  TimeseriesAnswer,
  TurnAnswer,
  VoiceLatencyAnswer,
};

/** An item of `GET /conversations`. */
export type ConversationSummary = ConversationSummaryAnswer;
/** `GET /conversations/:conversation_id`. */
export type ConversationDetail = ConversationDetailAnswer;
/** `GET /traces/:trace_id`. */
export type TraceDetail = TraceAnswer;
/** An item of `GET /steps/stats`. */
export type StepStats = StepStatsItemAnswer;
/** An item of `GET /costs`. */
export type CostItem = CostItemAnswer;
/** One compared row of `GET /compare`: whole turns, or a step (which adds `step`). */
export type CompareRow = CompareRowAnswer;
/** A group of `GET /voice/latency`. */
export type VoiceLatencyGroup = VoiceLatencyGroupAnswer;
/** A turn's voice breakdown; null when the turn has no voice facts. */
export type TurnVoice = TurnVoiceAnswer;
/** The error body of every non-2xx answer. */
export type ErrorAnswer = ErrorBody;
