// Attribution of a timeline window to stages along the critical path: cut [T0, T1] at every
// boundary, give each elementary segment to the covering stage that ends latest, and name the
// uncovered segments gaps (between measured stages) or unattributed (outside them). Pure.
import type { VoiceStage } from '@convotel/semconv';
import { clipRun, compareBigints, unionOf, type Run } from './runs.js';
import type { TimelineWindow } from './timeline-window.js';
import { MEASURED_STAGES, type MeasuredStage, type StageInterval } from './types.js';
import { zeroContributions } from './contributions.js';

/** The contributions of a window (summing to T1 − T0) and the LLM that contributed most. */
export interface CriticalPathAttribution {
  readonly contributions: Record<VoiceStage, bigint>;
  readonly model: string | undefined;
  readonly provider: string | undefined;
}

interface StageRun extends Run {
  readonly stage: MeasuredStage;
}

interface ModelRun extends Run {
  readonly key: string;
  readonly model: string | undefined;
  readonly provider: string | undefined;
}

/** Splits the window among the stages; every µs of [T0, T1] lands in exactly one contribution. */
export function attributeCriticalPath(window: TimelineWindow): CriticalPathAttribution {
  const { startUs, endUs } = window;
  const clipped = window.intervals.flatMap((interval) => {
    const run = clipRun(interval, startUs, endUs);
    return run === undefined ? [] : [{ ...interval, ...run }];
  });
  const stageRuns = MEASURED_STAGES.flatMap((stage) =>
    unionOf(clipped.filter((interval) => interval.stage === stage)).map((run): StageRun => ({ ...run, stage })),
  );
  const modelRuns = toModelRuns(clipped.filter((interval) => interval.stage === 'llm_ttft'));

  const cuts = [...new Set([startUs, endUs, ...[...stageRuns, ...modelRuns].flatMap((run) => [run.startUs, run.endUs])])].sort(compareBigints);
  const firstMeasuredUs = stageRuns.reduce<bigint | undefined>((min, run) => (min === undefined || run.startUs < min ? run.startUs : min), undefined);
  const lastMeasuredUs = stageRuns.reduce<bigint | undefined>((max, run) => (max === undefined || run.endUs > max ? run.endUs : max), undefined);

  const contributions = zeroContributions();
  const byModel = new Map<string, { run: ModelRun; us: bigint; firstUs: bigint }>();
  for (let i = 0; i + 1 < cuts.length; i++) {
    const from = cuts[i];
    const to = cuts[i + 1];
    const critical = criticalOf(stageRuns.filter((run) => covers(run, from, to)), compareStageRuns);
    if (critical === undefined) {
      const between = firstMeasuredUs !== undefined && lastMeasuredUs !== undefined && from >= firstMeasuredUs && to <= lastMeasuredUs;
      contributions[between ? 'pipeline_gaps' : 'unattributed'] += to - from;
      continue;
    }
    contributions[critical.stage] += to - from;
    if (critical.stage !== 'llm_ttft') continue;
    const modelRun = criticalOf(modelRuns.filter((run) => covers(run, from, to)), compareModelRuns);
    if (modelRun === undefined) continue; // unreachable: every LLM µs lies in some model's run
    const entry = byModel.get(modelRun.key) ?? { run: modelRun, us: 0n, firstUs: from };
    byModel.set(modelRun.key, { ...entry, us: entry.us + (to - from) });
  }
  // The model with the most LLM time on the path; a tie goes to the one on the path first.
  const top = [...byModel.values()].sort((a, b) => compareBigints(b.us, a.us) || compareBigints(a.firstUs, b.firstUs)).at(0);
  return { contributions, model: top?.run.model, provider: top?.run.provider };
}

function covers(run: Run, from: bigint, to: bigint): boolean {
  return run.startUs <= from && run.endUs >= to;
}

// The maximum by `compare` (ascending order puts the critical one last).
function criticalOf<T>(runs: readonly T[], compare: (a: T, b: T) => number): T | undefined {
  return runs.reduce<T | undefined>((best, run) => (best === undefined || compare(run, best) > 0 ? run : best), undefined);
}

// Critical path: the stage that ends latest is what the next step waited for; ties go to the
// later stage in pipeline order, then to the earlier start.
function compareStageRuns(a: StageRun, b: StageRun): number {
  return compareBigints(a.endUs, b.endUs) || MEASURED_STAGES.indexOf(a.stage) - MEASURED_STAGES.indexOf(b.stage) || compareBigints(b.startUs, a.startUs);
}

// Same rule among the LLM's models; ties go to the earlier start, then to a fixed key order so
// the answer never depends on the order spans arrived in.
function compareModelRuns(a: ModelRun, b: ModelRun): number {
  return compareBigints(a.endUs, b.endUs) || compareBigints(b.startUs, a.startUs) || (a.key < b.key ? 1 : a.key > b.key ? -1 : 0);
}

// One union per (model, provider): an LLM call split across spans is one call's time.
function toModelRuns(llm: readonly StageInterval[]): ModelRun[] {
  const groups = new Map<string, StageInterval[]>();
  for (const interval of llm) {
    const key = JSON.stringify([interval.model ?? null, interval.provider ?? null]);
    groups.set(key, [...(groups.get(key) ?? []), interval]);
  }
  return [...groups].flatMap(([key, intervals]) => {
    const { model, provider } = intervals[0];
    return unionOf(intervals).map((run) => ({ ...run, key, model, provider }));
  });
}
