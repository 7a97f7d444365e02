// GET /overview: the headline figures of a window, assembled from replaceable figure sources.
import type { ReadDb } from '../db.js';
import type { Filters } from '../filters.js';
import { ratio } from '../values.js';
import { resolveWindow, windowToJson, type WindowParams } from '../window.js';
import { mayReadRollups, type ReadMode, type ReadOptions } from '../rollups/read-mode.js';
import { readVoiceOverview } from '../voice/voice-overview.js';
import { planOverview } from './rollup-sources.js';
import type { Overview } from './types.js';

export const DEFAULT_SLA_MS = 1500;
export const DEFAULT_TOP_MODELS = 10;

export interface OverviewParams extends WindowParams {
  readonly filters?: Filters;
  /** Turns slower than this many ms violate the SLA. Default 1500. */
  readonly slaMs?: number | undefined;
  /** Length of `top_models`. Default 10. */
  readonly topModels?: number | undefined;
}

/** How an overview is computed (read-mode.ts). */
export type OverviewMode = ReadMode;

export type OverviewOptions = ReadOptions;

/** The overview of a window. */
export async function getOverview(db: ReadDb, params: OverviewParams, options: OverviewOptions = {}): Promise<Overview> {
  const window = resolveWindow(params, options.now);
  const scope = {
    window,
    filters: params.filters ?? {},
    slaMs: params.slaMs ?? DEFAULT_SLA_MS,
    topModels: Math.min(params.topModels ?? DEFAULT_TOP_MODELS, db.maxRows),
  };
  const { sources, approximate } = planOverview(scope, mayReadRollups(window, options.mode) ? 'rollups' : 'exact');
  return db.read(async (sql) => {
    // One connection runs its statements one at a time: sequential awaits, no Promise.all.
    const conversations = await sources.conversations(sql, scope);
    const turns = await sources.turns(sql, scope);
    const latency = await sources.turnLatency(sql, scope);
    const calls = await sources.llmCalls(sql, scope);
    const topModels = await sources.topModels(sql, scope);
    const voice = await readVoiceOverview(sql, scope);
    return {
      window: windowToJson(window),
      ...conversations,
      turns: turns.turns,
      failed_turns: turns.failed_turns,
      ...calls,
      cost_usd: turns.cost_usd,
      error_rate: ratio(turns.failed_turns, turns.turns),
      llm_error_rate: ratio(calls.failed_llm_calls, calls.llm_calls),
      ...latency,
      sla: { threshold_ms: scope.slaMs, violations: turns.sla_violations, violation_rate: ratio(turns.sla_violations, turns.turns) },
      interruptions: turns.interruptions,
      top_models: topModels,
      voice,
      approximate: [...approximate],
    };
  });
}
