/**
 * SQLite has one writer at a time. Left to SQLite, a write that finds the database locked sleeps in its
 * busy handler (1, 2, 5 … 100 ms, polling) — with a synchronous driver on the one thread the lock's
 * holder needs to finish. Instead the writers of this process take turns here, first come first served:
 * a transaction from BEGIN until COMMIT or ROLLBACK, an autocommit write for its one statement. Readers
 * never queue here (WAL lets them read beside the writer). Other processes (the CLI, a second server)
 * still meet SQLite's busy_timeout.
 */
export class WriterTurn {
  private busy = false;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly timeoutMs = 5_000) {}

  /** Waits for the turn; the function returned ends it (once). After the timeout it goes ahead without. */
  async take(): Promise<() => void> {
    if (this.busy) {
      const granted = await new Promise<boolean>((resolve) => {
        const grant = () => {
          clearTimeout(timer);
          resolve(true);
        };
        const timer = setTimeout(() => {
          const i = this.waiting.indexOf(grant);
          if (i >= 0) this.waiting.splice(i, 1);
          resolve(false);
        }, this.timeoutMs);
        this.waiting.push(grant);
      });
      // e.g. an autocommit write issued inside a transaction of this process: do not wait forever
      if (!granted) return () => undefined;
    } else this.busy = true;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      const next = this.waiting.shift();
      if (next)
        next(); // the turn passes straight on: busy stays true
      else this.busy = false;
    };
  }
}

/**
 * One turn per database file for the whole process: two handles on one file (a second connection in a
 * test, a CLI command run in-process) must not write at once either.
 */
const turns = new Map<string, WriterTurn>();
export function writerTurnOf(file: string): WriterTurn {
  let turn = turns.get(file);
  if (!turn) turns.set(file, (turn = new WriterTurn()));
  return turn;
}
