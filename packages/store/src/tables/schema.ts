// Every table and view of the schema that migrations/ creates (besides schema_migrations, the
// migrations' own bookkeeping).
import { CONVERSATIONS } from './conversations.js';
import { CONVERSATION_KEYS, COST_DAILY, COST_HOURLY } from './cost-rollups.js';
import { DB_QUERIES } from './db-queries.js';
import { ERROR_OCCURRENCES } from './error-occurrences.js';
import { EVENTS } from './events.js';
import { HISTOGRAM_BOUNDS } from './histogram-bounds.js';
import { LLM_CALLS } from './llm-calls.js';
import { LLM_HOURLY, STEP_DAILY, STEP_HOURLY } from './rollups.js';
import { SQL_DAILY, SQL_HOURLY } from './sql-rollups.js';
import { STEPS } from './steps.js';
import type { Table } from './table.js';
import { SPAN_EDGES, TRACE_TURNS, TRACES, TURNS } from './traces.js';
import { CONVERSATION_HOURLY, LLM_DAILY, TURN_DAILY, TURN_HOURLY, USAGE_DAILY, USAGE_HOURLY } from './window-rollups.js';

/** The tables, reference data first, then what the ingest writes. */
export const TABLES: readonly Table[] = [HISTOGRAM_BOUNDS, CONVERSATIONS, TRACES, LLM_CALLS, STEPS, DB_QUERIES, EVENTS, LLM_HOURLY, STEP_HOURLY, LLM_DAILY, CONVERSATION_HOURLY, TURN_HOURLY, TURN_DAILY, USAGE_DAILY, USAGE_HOURLY, STEP_DAILY, SQL_HOURLY, SQL_DAILY, ERROR_OCCURRENCES, COST_HOURLY, COST_DAILY, CONVERSATION_KEYS, TRACE_TURNS, SPAN_EDGES];

/** The views. */
export const VIEWS: readonly Table[] = [TURNS];
