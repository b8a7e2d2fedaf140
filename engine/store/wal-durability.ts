import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * SQLite's durability without its fsyncs on the event loop's thread.
 *
 * better-sqlite3 runs on the calling thread, so with `synchronous=FULL` every COMMIT's fsync of the WAL
 * (and now and then a checkpoint's copy and fsync) holds the event loop: on a loaded virtual disk 100 ms and
 * more at the 99th percentile, a stall for every request in flight. Instead the connections commit with
 * `synchronous=NORMAL` (the commit is in the WAL, in the page cache) and never checkpoint themselves
 * (`wal_autocheckpoint=0`); a committer then awaits `durable()`, an fsync of the WAL file run on libuv's
 * thread pool. An fsync flushes the file whichever descriptor wrote it, so once one begun after the COMMIT
 * returns, the commit survives a power cut exactly as with FULL. Commits that arrive while an fsync runs
 * share the next one. A worker thread with a connection of its own checkpoints the WAL into the database
 * file when it has grown (SQLite syncs both files around a checkpoint), so the WAL stays small.
 *
 * What differs from FULL: another request can read a commit a few milliseconds before it is on disk. No
 * write is acknowledged before it is; a power cut in that window loses the write, unacknowledged, and what
 * a reader did with it.
 */
export class WalDurability {
  private running: Promise<void> | null = null;
  private next: Promise<void> | null = null;

  constructor(private readonly walPath: string) {}

  /** Resolves once everything committed before the call is on disk. */
  durable(): Promise<void> {
    if (!this.running) {
      this.running = this.sync().finally(() => {
        this.running = null;
      });
      return this.running;
    }
    // the fsync under way may have begun before this commit: wait for the one after it
    this.next ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.next = null;
        return this.durable();
      });
    return this.next;
  }

  private async sync(): Promise<void> {
    let handle;
    try {
      handle = await open(this.walPath, 'r');
    } catch (err) {
      // no WAL: nothing was written since the last connection closed (which checkpoints and syncs)
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}

const durabilities = new Map<string, WalDurability>();

/** One per database file in the process: every connection to the file shares its fsyncs. */
export function walDurabilityOf(file: string): WalDurability {
  let d = durabilities.get(file);
  if (!d) durabilities.set(file, (d = new WalDurability(`${file}-wal`)));
  return d;
}

/** The pragmas of a connection that commits this way. */
export const DEFERRED_SYNC_PRAGMAS = ['synchronous = NORMAL', 'wal_autocheckpoint = 0'] as const;

interface Checkpointer {
  worker: Worker;
  users: number;
}
const checkpointers = new Map<string, Checkpointer>();

/**
 * The build runs wal-checkpoint-worker.js; tests and tsx run the .ts source, and on Node 20 a worker's entry
 * does not go through the loader given with --import, so the worker registers tsx itself first.
 */
function startWorker(file: string): Worker {
  const workerData = { file };
  if (extname(fileURLToPath(import.meta.url)) !== '.ts') return new Worker(new URL('./wal-checkpoint-worker.js', import.meta.url), { workerData });
  const script = new URL('./wal-checkpoint-worker.ts', import.meta.url).href;
  const code = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(script)}); })`;
  return new Worker(code, { eval: true, workerData });
}

/**
 * Checkpoints the WAL of `file` from a worker thread while a connection of this process uses it; the
 * function returned says this connection is done (the last one stops the worker, after a final checkpoint).
 */
export function keepWalCheckpointed(file: string): () => Promise<void> {
  let c = checkpointers.get(file);
  if (!c) {
    const worker = startWorker(file);
    worker.unref(); // it never keeps the process alive
    worker.on('error', () => checkpointers.delete(file));
    checkpointers.set(file, (c = { worker, users: 0 }));
  }
  c.users++;
  const mine = c;
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    if (--mine.users > 0) return;
    if (checkpointers.get(file) === mine) checkpointers.delete(file);
    const exited = new Promise<void>((resolve) => mine.worker.once('exit', () => resolve()));
    mine.worker.ref(); // held until its last checkpoint is done
    mine.worker.postMessage('stop');
    await exited;
  };
}
