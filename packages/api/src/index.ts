export { createApi } from './app.js';
export type { ApiOptions } from './app.js';
export { startApi, DEFAULT_API_HOST, DEFAULT_API_PORT, LOCAL_HOST } from './server.js';
export type { RunningApi, StartApiOptions } from './server.js';
export { parseApiConfig } from './config.js';
export type { ApiConfig, ApiEnvVar } from './config.js';
export { ROUTES } from './routes/index.js';
export { defineRoute, defineStreamRoute } from './route.js';
export type { ApiRoute, RouteContext, RouteDefinition, StreamContext, StreamMedia, StreamRouteDefinition } from './route.js';
export { startLiveFeed, DEFAULT_LIVE_BUFFER_SIZE, DEFAULT_LIVE_HEARTBEAT_MILLIS } from './live/live-feed.js';
export type { LiveFeed, LiveFeedOptions, LiveFilter } from './live/live-feed.js';
export { buildOpenApiDocument } from './openapi.js';
export { API_PREFIX, HEALTH_PATH, OPENAPI_PATH, READY_PATH } from './paths.js';
export { APP_CONFIG_PATH } from './web-app.js';
export type { AppConfig, WebAppOptions } from './web-app.js';
export { createJsonLineLogger, SILENT_LOGGER } from './logger.js';
export type { ApiLogger, ApiLogLevel } from './logger.js';
export type { ErrorBody } from './errors.js';
export type {
  AdminCleanupAnswer,
  BusiestHoursAnswer,
  CompareAnswer,
  CompareRowAnswer,
  ConversationDetailAnswer,
  ConversationsAnswer,
  ConversationSummaryAnswer,
  CostItemAnswer,
  CostsAnswer,
  ErrorsAnswer,
  EventAnswer,
  EventsAnswer,
  LlmAnalysisAnswer,
  LlmCallAnswer,
  LlmCallsAnswer,
  OverviewAnswer,
  SqlAnalysisAnswer,
  SqlQueryAnswer,
  StepAnswer,
  StepStatsAnswer,
  StepStatsItemAnswer,
  TimeseriesAnswer,
  TraceAnswer,
  TurnAnswer,
  TurnVoiceAnswer,
  VoiceCostAnswer,
  VoiceDominantAnswer,
  VoiceInterruptionsAnswer,
  VoiceLatencyAnswer,
  VoiceLatencyGroupAnswer,
} from './answers.js';
