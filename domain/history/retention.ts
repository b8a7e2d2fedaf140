import type { PruneResult, PrunesFinished } from '../../port/history-retention.js';
import { INBOX_SUBSCRIBER } from '../inbox/sync.js';
import { CASE_HISTORY_SUBSCRIBER } from './record-events.js';

export { prunableEngine, type PrunesFinished } from '../../port/history-retention.js';

/**
 * The readers of the engine's history stream whose copies must be stored before the engine forgets a
 * finished instance: the case history (`case_events`, what the history page and its diagram read) and
 * the task inbox. Required by name, so a reader that has not saved a position yet holds the prune back.
 */
export const HISTORY_READERS: readonly string[] = [CASE_HISTORY_SUBSCRIBER, INBOX_SUBSCRIBER];

const DAY_MS = 86_400_000;

export interface HistoryPrune extends PruneResult {
  /** instances whose case ended before this went */
  endedBefore: string;
}

/**
 * Deletes the engine rows of cases that ended more than `retentionDays` ago and that the case history and
 * the inbox have stored. The case history, the audit log and the deployed definitions (the diagram) stay.
 */
export async function pruneEngineHistory(engine: PrunesFinished, options: { now: Date; retentionDays: number; batchSize?: number }): Promise<HistoryPrune> {
  if (!(Number.isInteger(options.retentionDays) && options.retentionDays >= 1)) throw new RangeError('retentionDays must be a whole number of days, 1 or more');
  const endedBefore = options.now.getTime() - options.retentionDays * DAY_MS;
  if (!Number.isFinite(endedBefore)) throw new RangeError('now must be a valid date');
  const result = await engine.pruneFinishedInstances({
    endedBefore,
    exporters: HISTORY_READERS,
    ...(options.batchSize ? { batchSize: options.batchSize } : {}),
  });
  return { ...result, endedBefore: new Date(endedBefore).toISOString() };
}
