/**
 * Long reads and loops over many rows (audit verification, CSV exports) share the one thread with
 * intake, the job workers and the engine's timers — and on SQLite every statement runs on that
 * thread too. They work in slices and step aside between them.
 */

/** Resolves on the event loop's next turn, after the I/O and timers that are due (setImmediate). */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A time budget for a synchronous stretch of work: `due()` says the slice has run out, `yield()`
 * steps aside and starts the next one. Checked per row, so one slice holds the loop about
 * `sliceMs` and no longer, however heavy the rows.
 */
export class TimeSlice {
  private started = performance.now();

  constructor(private readonly sliceMs = 5) {}

  due(): boolean {
    return performance.now() - this.started >= this.sliceMs;
  }

  async yield(): Promise<void> {
    await yieldToLoop();
    this.started = performance.now();
  }
}
