// Every route of /api/v1, in the order the OpenAPI document lists them. A new route is a
// module in this folder exporting a route definition (defineRoute, or defineStreamRoute for
// an answer written as it goes), plus one line here.
import type { ApiRoute } from '../route.js';
import { adminCleanupRoute } from './admin-cleanup.js';
import { busiestHoursRoute } from './busiest-hours.js';
import { compareRoute } from './compare.js';
import { conversationDetailRoute } from './conversation-detail.js';
import { conversationsRoute } from './conversations.js';
import { costsRoute } from './costs.js';
import { errorsRoute } from './errors.js';
import { eventsRoute } from './events.js';
import { exportRoute } from './export.js';
import { liveRoute } from './live.js';
import { llmAnalysisRoute } from './llm-analysis.js';
import { llmCallsRoute } from './llm-calls.js';
import { overviewRoute } from './overview.js';
import { sqlAnalysisRoute } from './sql-analysis.js';
import { stepStatsRoute } from './step-stats.js';
import { timeseriesRoute } from './timeseries.js';
import { traceRoute } from './traces.js';
import { voiceCostRoute } from './voice-cost.js';
import { voiceDominantRoute } from './voice-dominant.js';
import { voiceInterruptionsRoute } from './voice-interruptions.js';
import { voiceLatencyRoute } from './voice-latency.js';

export const ROUTES: readonly ApiRoute[] = [
  overviewRoute,
  conversationsRoute,
  conversationDetailRoute,
  traceRoute,
  timeseriesRoute,
  busiestHoursRoute,
  eventsRoute,
  stepStatsRoute,
  llmAnalysisRoute,
  llmCallsRoute,
  errorsRoute,
  sqlAnalysisRoute,
  costsRoute,
  compareRoute,
  voiceLatencyRoute,
  voiceDominantRoute,
  voiceInterruptionsRoute,
  voiceCostRoute,
  exportRoute,
  liveRoute,
  adminCleanupRoute,
];
