import { withAuditChain, type AuditChain } from '../audit/index.js';

/**
 * Work items that share one audit-chain job: the first item submits the job, and every item that arrives
 * before the job starts — while the chain's previous group commits — joins it. Intake files many reports at
 * once under load; one job per batch turns a handful of statements per report into a handful per batch, and
 * on MariaDB each statement is a round trip while the chain (every case change's one writer) is held.
 *
 * Should the batch's work fail, no item of it was written (the job rolls back to its savepoint) and each
 * item is retried on its own with `alone`, so one bad item fails only itself.
 */
export class ChainBatch<Item, Result> {
  private waiting: Array<{ item: Item; resolve: (r: Result) => void; reject: (e: unknown) => void }> | null = null;

  constructor(
    /** the batch's work inside the chain's transaction; answers one result per item, in order */
    private readonly together: (items: Item[], chain: AuditChain) => Promise<Result[]>,
    /** one item on its own, after its batch failed */
    private readonly alone: (item: Item) => Promise<Result>,
    private readonly maxItems = 64,
  ) {}

  run(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      if (this.waiting && this.waiting.length < this.maxItems) {
        this.waiting.push({ item, resolve, reject });
        return;
      }
      const batch = [{ item, resolve, reject }];
      this.waiting = batch;
      withAuditChain(async (chain) => {
        // from here on the batch is closed: later items start the next one
        if (this.waiting === batch) this.waiting = null;
        return this.together(
          batch.map((b) => b.item),
          chain,
        );
      }).then(
        (results) => batch.forEach((b, i) => b.resolve(results[i]!)),
        () => {
          if (this.waiting === batch) this.waiting = null;
          for (const b of batch) this.alone(b.item).then(b.resolve, b.reject);
        },
      );
    });
  }
}
