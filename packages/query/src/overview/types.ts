// The overview's answer, and the figure sources it is assembled from.
import type { SqlClient } from '../db.js';
import type { Scope } from '../scope.js';
import type { VoiceOverview } from '../voice/voice-overview.js';
import type { WindowJson } from '../window.js';

export interface Percentiles {
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
}

export interface CostBreakdown {
  readonly total: number;
  readonly llm: number;
  readonly stt: number;
  readonly tts: number;
  readonly other: number;
}

export interface TopModel {
  readonly model: string;
  readonly calls: number;
  readonly cost_usd: number;
}

export interface Overview {
  readonly window: WindowJson;
  readonly conversations: number;
  readonly active_conversations: number;
  readonly turns: number;
  readonly failed_turns: number;
  readonly llm_calls: number;
  readonly failed_llm_calls: number;
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly cost_usd: CostBreakdown;
  /** Failed turns / turns (0 without turns). */
  readonly error_rate: number;
  /** Failed LLM calls / LLM calls (0 without calls). */
  readonly llm_error_rate: number;
  readonly turn_latency_ms: Percentiles;
  readonly perceived_latency_ms: Percentiles;
  readonly sla: { readonly threshold_ms: number; readonly violations: number; readonly violation_rate: number };
  readonly interruptions: number;
  readonly top_models: TopModel[];
  /** Voice-to-voice latency of the window's turns (always exact); null when no turn has one. */
  readonly voice: VoiceOverview | null;
  /**
   * Figures of this answer read from rollup histograms (`turn_latency_ms`, `perceived_latency_ms`,
   * `sla.violations`): percentiles within 1% of the exact ones. Empty when every figure is exact.
   */
  readonly approximate: string[];
}

/** A window question plus the overview's own parameters. */
export interface OverviewScope extends Scope {
  /** Turns slower than this (ms) violate the SLA. */
  readonly slaMs: number;
  /** How many models `top_models` lists. */
  readonly topModels: number;
}

/** Reads some of the overview's figures. */
export type FigureSource<T> = (sql: SqlClient, scope: OverviewScope) => Promise<T>;

/**
 * Where each group of figures comes from: raw rows (exact, raw-sources.ts) or rollups
 * (rollup-sources.ts), group by group.
 */
export interface OverviewSources {
  readonly conversations: FigureSource<Pick<Overview, 'conversations' | 'active_conversations'>>;
  readonly turns: FigureSource<{ turns: number; failed_turns: number; interruptions: number; sla_violations: number; cost_usd: CostBreakdown }>;
  readonly turnLatency: FigureSource<Pick<Overview, 'turn_latency_ms' | 'perceived_latency_ms'>>;
  readonly llmCalls: FigureSource<Pick<Overview, 'llm_calls' | 'failed_llm_calls' | 'input_tokens' | 'output_tokens'>>;
  readonly topModels: FigureSource<TopModel[]>;
}
