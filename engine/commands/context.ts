import type { Clock } from '../clock.js';
import type { Decisions } from '../decisions.js';
import type { Definitions } from '../definitions.js';
import { EngineError } from '../errors.js';
import type { SqlDriver } from '../store/driver.js';
import type { KeyGenerator } from '../runtime/keys.js';
import type { Run } from '../runtime/run.js';

export type Variables = Record<string, unknown>;

export interface CommandOptions {
  /** runs alone in its own transaction (deploy changes the definition cache) */
  exclusive?: boolean;
  /** after the commit, before the promise resolves */
  afterCommit?: () => void;
}

/** What the public commands (commands/*.ts) need from the engine. */
export interface CommandContext {
  readonly driver: SqlDriver;
  readonly clock: Clock;
  readonly keys: KeyGenerator;
  readonly definitions: Definitions;
  readonly decisions: Decisions;
  /** Queues `fn` for the next transaction (group commit); resolves after COMMIT. */
  command<T>(fn: (run: Run) => Promise<T>, options?: CommandOptions): Promise<T>;
  /** Wake the scheduler in `delayMs` at the latest (a job's deadline). */
  scheduleWake(delayMs: number): void;
}

export function checkVariables(vars: unknown): void {
  if (vars === undefined) return;
  if (vars === null || typeof vars !== 'object' || Array.isArray(vars)) throw new EngineError('INVALID_ARGUMENT', 'variables must be a JSON object');
  for (const name of Object.keys(vars)) if (!name) throw new EngineError('INVALID_ARGUMENT', 'variable names must not be empty');
}
