// How a window question is answered: from raw rows (exact) or from rollups (counts and sums exact,
// percentiles within 1%). Every window question takes the same option, so the API, the tests and
// bench/api can ask for either path over the same data.
import type { TimeWindow } from '../window.js';
import { isRollupWindow } from './rollup-window.js';

/**
 * `auto` (the default) reads rollups for windows longer than ROLLUP_MIN_WINDOW_HOURS and raw rows
 * otherwise; `exact` always raw rows; `rollups` rollups whatever the window. Rollups are read only
 * where the filters are their dimensions; the rest stays exact.
 */
export type ReadMode = 'auto' | 'exact' | 'rollups';

/** The option every window question takes. */
export interface ReadOptions {
  /** Ends a default window. Default: now. */
  readonly now?: Date;
  /** Default `auto`. */
  readonly mode?: ReadMode;
}

/** Whether a question over `window` asked in `mode` may read rollups. */
export function mayReadRollups(window: TimeWindow, mode: ReadMode = 'auto'): boolean {
  return mode === 'rollups' || (mode === 'auto' && isRollupWindow(window));
}
