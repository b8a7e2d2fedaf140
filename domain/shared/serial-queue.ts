/**
 * A first-come, first-served queue of async jobs: each starts when the one before it settled.
 * One per process in front of a shared resource (the audit chain) keeps the process's own
 * writers from contending for the database lock, which on SQLite means fewer busy waits.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.tail.then(job, job);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
