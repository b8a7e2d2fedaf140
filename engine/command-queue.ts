import type { CommandOptions } from './commands/context.js';
import { GroupCommit } from './group-commit.js';
import type { LoopBudget } from './loop-budget.js';
import { Run, type RunContext, type RunEffects } from './runtime/run.js';
import type { SqlDriver } from './store/driver.js';
import type { KeyGenerator } from './runtime/keys.js';

interface Command extends CommandOptions {
  fn: (run: Run) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

export interface CommandQueueHost {
  readonly driver: SqlDriver;
  readonly keys: KeyGenerator;
  readonly runContext: RunContext;
  readonly maxBatch: number;
  /** A command committed: tell the outside world (before its promise resolves). */
  committed(effects: RunEffects): void;
  /** A batch committed: these job types have new jobs. */
  batchCommitted(jobTypes: Set<string>): void;
  error(err: unknown): void;
}

/**
 * Every public command is one transaction: commands that queue up while one runs share the next
 * transaction (group commit, group-commit.ts), each behind its own savepoint, so a failing command never
 * takes others down. A command's promise settles only after COMMIT: what was acknowledged survives a crash.
 * A batch that has held the event loop for its budget (loop-budget.ts) commits the commands it ran and
 * leaves the others to the next batch.
 */
export class CommandQueue {
  private readonly commands: GroupCommit<Command>;

  constructor(private readonly host: CommandQueueHost) {
    this.commands = new GroupCommit<Command>({
      name: 'engine',
      commit: (batch, budget) => this.runBatch(batch, budget),
      take: ([queue]) => takeBatch(queue!, host.maxBatch),
      onError: (err) => host.error(err),
    });
  }

  submit<T>(fn: (run: Run) => Promise<T>, options: CommandOptions = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.commands.submit({ fn, resolve: resolve as (value: unknown) => void, reject, ...options });
    });
  }

  /** Resolves once every queued command has been committed. */
  idle(): Promise<void> {
    return this.commands.idle();
  }

  /** Runs the batch's commands in one transaction until `budget` is spent; returns those it left for the next batch. */
  private async runBatch(all: Command[], budget: LoopBudget): Promise<Command[]> {
    const { driver, keys } = this.host;
    const outcomes: Array<{ ok: true; value: unknown; effects: RunEffects } | { ok: false; error: unknown }> = [];
    try {
      await keys.reserve();
      await driver.exec(driver.dialect === 'sqlite' ? 'BEGIN IMMEDIATE' : 'START TRANSACTION');
    } catch (err) {
      for (const c of all) c.reject(err);
      return [];
    }
    let ran = 0;
    for (const cmd of all) {
      // the budget: the commands run so far commit now, the rest after the event loop's next turn
      if (ran > 0 && budget.spent()) break;
      ran++;
      // held by the MySQL driver until the command's first statement: no round trip of its own
      await driver.write('SAVEPOINT cmd');
      const run = new Run(this.host.runContext);
      try {
        const value = await cmd.fn(run);
        await run.drain();
        await driver.exec('RELEASE SAVEPOINT cmd');
        outcomes.push({ ok: true, value, effects: run.effects });
      } catch (error) {
        await driver.exec('ROLLBACK TO SAVEPOINT cmd');
        await driver.exec('RELEASE SAVEPOINT cmd');
        outcomes.push({ ok: false, error });
      }
    }
    const batch = all.slice(0, ran);
    const rest = all.slice(ran);
    try {
      await driver.exec('COMMIT');
    } catch (err) {
      await driver.exec('ROLLBACK').catch(() => undefined);
      for (const c of batch) c.reject(err);
      return rest;
    }
    // Only now is anything acknowledged.
    const jobTypes = new Set<string>();
    batch.forEach((cmd, i) => {
      const o = outcomes[i]!;
      if (!o.ok) return cmd.reject(o.error);
      cmd.afterCommit?.();
      for (const t of o.effects.jobTypes) jobTypes.add(t);
      this.host.committed(o.effects);
      cmd.resolve(o.value);
    });
    this.host.batchCommitted(jobTypes);
    return rest;
  }
}

/** Deploy runs alone (it changes the definition cache); other commands share a transaction, up to `max`. */
function takeBatch(queue: Command[], max: number): Command[] {
  if (queue[0]!.exclusive) return queue.splice(0, 1);
  let n = 0;
  while (n < max && n < queue.length && !queue[n]!.exclusive) n++;
  return queue.splice(0, n);
}
