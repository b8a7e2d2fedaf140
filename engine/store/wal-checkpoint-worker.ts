import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

/**
 * A worker thread's own connection that checkpoints a database's WAL into its file (wal-durability.ts):
 * the connections on the event loop's thread never do, so their COMMITs never copy pages or fsync there.
 * PASSIVE: it copies what no reader still needs and never waits for or blocks a writer; once everything is
 * copied the next writer starts the WAL over from its beginning, so the file stops growing.
 */
const CHECK_EVERY_MS = 250;

const { file } = workerData as { file: string };
const db = new Database(file);
db.pragma('busy_timeout = 5000');
// a checkpoint syncs the WAL before copying and the database file after
db.pragma('synchronous = FULL');

function walExists(): boolean {
  try {
    return statSync(`${file}-wal`).size > 0;
  } catch {
    return false;
  }
}

/** a checkpoint with nothing new in the WAL returns at once */
function checkpoint(): void {
  if (!walExists()) return;
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // busy or locked: the next round tries again
  }
}

const timer = setInterval(checkpoint, CHECK_EVERY_MS);
parentPort!.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort!.close();
});
