import { traceActivity } from './activity-trace.js';
import { GROUP_LOOP_BUDGET_MS, LoopBudget } from './loop-budget.js';

/**
 * Group commit: work that arrives while a transaction is committing waits, then shares the next
 * transaction with everything else that arrived meanwhile, so that N small changes cost one COMMIT (and
 * one fsync) instead of N. Used by the engine's command queue and by the application's audit chain.
 *
 * This class owns only the waiting and the pacing; the caller's `commit` runs one group in one
 * transaction (each member behind its own savepoint, typically) and settles every member's promise
 * once the transaction has committed or failed.
 *
 * Pacing, as both users measured it: a group starts on the event loop's next turn, so that the work of
 * every request read in this turn joins it (on SQLite a transaction runs through without waiting on I/O,
 * nothing would arrive while it commits, and every group would be a group of one); between two groups
 * the loop yields once more, so a busy queue never keeps the event loop to itself; and a group whose
 * members have held the loop for its budget (loop-budget.ts, 12 ms) ends there and leaves the rest to
 * the next group, so one group never holds it for long either.
 */
export interface GroupCommitOptions<M> {
  /** what the groups are called in an activity trace (activity-trace.ts) */
  name?: string;
  /**
   * Commits one group. Must settle each member it ran itself; a rejection here is reported to `onError`.
   * It runs the members in order and, once `budget.spent()` says the group has held the event loop long
   * enough, stops at a member boundary (after one member at least), commits those and returns the rest
   * — a tail of `group`, none of it run or settled — which goes first into the next group, after the
   * loop has had a turn.
   */
  commit(group: M[], budget: LoopBudget): Promise<M[] | void>;
  /** The budget's length in ms (loop-budget.ts); default GROUP_LOOP_BUDGET_MS. */
  budgetMs?: number;
  /**
   * Takes the next group out of the waiting lanes (it must take at least one member when any wait).
   * Default: up to `maxGroup` members of lane 0.
   */
  take?(lanes: M[][]): M[];
  /** Number of lanes (priority classes) members can wait in; default 1. */
  lanes?: number;
  /** Most members in one group with the default `take`; default 200. */
  maxGroup?: number;
  /** A `commit` that threw; default: rethrown on the next turn (a `commit` should not throw). */
  onError?(err: unknown): void;
}

export class GroupCommit<M> {
  private readonly lanes: M[][];
  /** members a group left for the next one (its budget was spent): taken before any lane */
  private carried: M[] = [];
  private running: Promise<void> | null = null;

  constructor(private readonly options: GroupCommitOptions<M>) {
    this.lanes = Array.from({ length: options.lanes ?? 1 }, () => []);
  }

  /** Queues a member in `lane` (0 unless the caller set up several); the group it joins starts on the next turn. */
  submit(member: M, lane = 0): void {
    const queue = this.lanes[lane];
    if (!queue) throw new Error(`group commit: no lane ${lane}`);
    queue.push(member);
    this.start();
  }

  /** Members waiting for a group, not counting the group being committed. */
  get waiting(): number {
    return this.lanes.reduce((n, lane) => n + lane.length, this.carried.length);
  }

  /** Resolves once every member submitted so far (and any submitted meanwhile) has been committed. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private start(): void {
    if (this.running) return;
    this.running = new Promise((resolve) => setImmediate(resolve))
      .then(() => this.loop())
      .catch((err: unknown) => {
        if (this.options.onError) this.options.onError(err);
        else
          setImmediate(() => {
            throw err;
          });
      })
      .finally(() => {
        this.running = null;
        if (this.waiting) this.start(); // a member queued while the loop was winding down
      });
  }

  private async loop(): Promise<void> {
    while (this.waiting) {
      const group = this.carried.length ? this.carried.splice(0) : this.take();
      const traced = traceActivity(`group:${this.options.name ?? 'commit'}`, group.length);
      const rest = await this.options.commit(group, new LoopBudget(this.options.budgetMs ?? GROUP_LOOP_BUDGET_MS));
      traced();
      if (rest?.length) this.carried = rest;
      if (this.waiting) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private take(): M[] {
    if (this.options.take) return this.options.take(this.lanes);
    return this.lanes[0]!.splice(0, this.options.maxGroup ?? 200);
  }
}
