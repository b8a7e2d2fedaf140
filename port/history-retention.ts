/**
 * Forgetting finished instances, where an engine keeps them: the embedded engine does until it is told to
 * prune (its options and result are the engine's own); a Camunda cluster forgets them by itself (its own
 * history retention settings), so it offers nothing here.
 */
import type { PruneOptions, PruneResult } from '../engine/index.js';
import type { WorkflowEngine } from './workflow-engine.js';

export type { PruneOptions, PruneResult };

/** What prunes finished instances: the embedded engine, or the command run by hand on its database. */
export interface PrunesFinished {
  pruneFinishedInstances(options: PruneOptions): Promise<PruneResult>;
}

/** The embedded engine behind the port, which keeps finished instances until they are pruned; null on Camunda. */
export function prunableEngine(port: WorkflowEngine): PrunesFinished | null {
  if (port.kind !== 'embedded') return null;
  const engine = (port as Partial<{ engine: Partial<PrunesFinished> }>).engine;
  return typeof engine?.pruneFinishedInstances === 'function' ? (engine as PrunesFinished) : null;
}
