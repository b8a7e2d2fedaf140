import type { BusinessCalendar } from '../domain/calendar/index.js';
import type { DedupOptions } from '../domain/dedup/index.js';
import type { Weights } from '../domain/evaluation/index.js';
import type { Log } from '../domain/shared/log.js';

/** Knobs with sensible defaults; the app may take them from configuration. */
export interface WorkerSettings {
  /** below this classification confidence a person decides in 受理 (default 0.6) */
  classifyThreshold: number;
  /** 并单 radius and window (defaults 50 m, 24 h) */
  dedup: DedupOptions;
  /** composite score weights (default 三率 30/35/35) */
  evaluationWeights: Weights;
}

/** What every job handler gets. `now()` is the engine's clock: scenario tests run on a test clock. */
export interface WorkerDeps {
  calendar: BusinessCalendar;
  now(): Date;
  log: Log;
  settings?: Partial<WorkerSettings>;
}

export const DEFAULT_WORKER_SETTINGS: WorkerSettings = {
  classifyThreshold: 0.6,
  dedup: {},
  evaluationWeights: { responseRate: 30, resolveRate: 35, satisfactionRate: 35 },
};

export function settingsOf(deps: WorkerDeps): WorkerSettings {
  return { ...DEFAULT_WORKER_SETTINGS, ...deps.settings };
}
