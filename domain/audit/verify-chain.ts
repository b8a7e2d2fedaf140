import { appSql } from '../../db/sql/current.js';
import type { Sql } from '../../db/sql/index.js';
import { TimeSlice, yieldToLoop } from '../shared/yield-to-loop.js';
import { AUDIT_GENESIS_HASH } from './audit-log.js';
import { CheckpointWriter, checkpointsBetween, invalidateCheckpointsFrom, latestCheckpoint, type AuditCheckpoint } from './checkpoints.js';
import { auditHash } from './hash.js';
import { firstIdAfter, hashedContentOf, recordById, recordsAfter, type StoredAuditRecord } from './stored-records.js';

/** `checkpoint`: resume after the latest verified checkpoint (the default); `start`: recompute every hash from the first record. */
export type VerifyFrom = 'checkpoint' | 'start';

export interface ChainVerification {
  ok: boolean;
  /** where the run began: `start` when asked for, or when there was no checkpoint yet */
  from: VerifyFrom;
  /** the checkpointed record the run resumed after (null: from the first record) */
  resumedAfter: string | null;
  /** records of the chain found whole, from the first through `verifiedThrough` (those before the checkpoint by earlier runs) */
  checked: number;
  /** records this run read and recomputed */
  checkedThisRun: number;
  verifiedThrough: string | null;
  firstBroken: { id: string; reason: string } | null;
}

export interface VerifyStart {
  from: VerifyFrom;
  resumedAfter: string | null;
  checked: number;
}
export interface VerifyProgress {
  checked: number;
  checkedThisRun: number;
  currentId: string | null;
}

export interface VerifyOptions {
  from?: VerifyFrom;
  /** records per read (default VERIFY_BATCH) */
  batchSize?: number;
  /** stops the run between two batches (the HTTP client went away); what was verified stays checkpointed */
  signal?: AbortSignal;
  onStart?: (start: VerifyStart) => void | Promise<void>;
  /** after every batch; awaited, so a slow reader of the progress slows the run rather than piling it up */
  onProgress?: (progress: VerifyProgress) => void | Promise<void>;
}

/** A read of 2,000 records takes a few ms on SQLite (on the main thread) and is hashed in slices of 5 ms. */
export const VERIFY_BATCH = 2_000;
/** reads on when records were appended while the run reached the end; a busy log is not chased for ever */
const CATCH_UP_ROUNDS = 3;

const short = (hash: string) => `${hash.slice(0, 12)}…`;
const when = (c: AuditCheckpoint) => (c.verifiedAt ? c.verifiedAt.toISOString() : 'an unknown time');

function contentProblem(row: StoredAuditRecord): string | null {
  const content = hashedContentOf(row);
  return content && auditHash(row.prevHash, content) === row.hash ? null : 'content does not match its hash (the record was changed)';
}

function linkProblem(prev: string, row: StoredAuditRecord): string | null {
  if (row.prevHash !== prev) {
    return `prevHash ${short(row.prevHash)} does not match the previous record's hash ${short(prev)} (a record before it was removed, inserted or changed)`;
  }
  return contentProblem(row);
}

function checkpointProblem(row: StoredAuditRecord, checkpoints: AuditCheckpoint[] | undefined): string | null {
  const differing = checkpoints?.find((c) => c.lastHash !== row.hash);
  return differing
    ? `hash ${short(row.hash)} differs from the ${short(differing.lastHash)} checkpoint ${differing.id} recorded for this record at ${when(differing)} (the chain was rewritten at or before this record, hashes recomputed)`
    : null;
}

/** The checkpointed record itself, read again: resuming after a record that was since rewritten or removed would vouch for a chain that is not there. */
async function checkpointRecordProblem(db: Sql, checkpoint: AuditCheckpoint): Promise<string | null> {
  const row = await recordById(db, checkpoint.lastId);
  if (!row) return `the checkpointed record is gone (checkpoint ${checkpoint.id} verified the chain through it at ${when(checkpoint)})`;
  return checkpointProblem(row, [checkpoint]) ?? contentProblem(row);
}

interface Head {
  lastId: string | null;
  lastHash: string;
}

async function readHead(db: Sql): Promise<Head> {
  const head = await db.selectFrom('audit_chain_head').select(['lastId', 'lastHash']).where('id', '=', 1).executeTakeFirst();
  if (!head) throw new Error('audit log: the audit_chain_head row is missing (migration 0002 not applied?)');
  return { lastId: head.lastId ?? null, lastHash: head.lastHash };
}

/** ids compared as the 64-bit numbers they are; null (no record) before every id */
function compareIds(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  const [x, y] = [BigInt(a), BigInt(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Walks the log in id order from the latest checkpoint (or from the first record), recomputing every
 * hash: an edited record fails its own hash, a removed or reordered one breaks the next record's
 * prevHash, a record whose hash differs from one a checkpoint recorded shows a rewrite that
 * recomputed the hashes after it, records cut off the end no longer reach the chain head, and records
 * past the head were appended outside the chain. Resuming, the checkpointed record is checked again
 * first. Reads VERIFY_BATCH records per statement (keyset on the primary key), hashes them in slices
 * of a few ms and yields to the event loop between slices, so intake, the workers and the engine's
 * timers go on while it runs. Moves its own checkpoint forward as it goes; a broken link makes every
 * checkpoint at or after it unusable for resuming, so later incremental runs keep finding the break.
 */
export async function verifyAuditChain(options: VerifyOptions = {}): Promise<ChainVerification> {
  const db = appSql();
  const batchSize = options.batchSize ?? VERIFY_BATCH;
  const startedAt = new Date();
  const headAtStart = await readHead(db);
  const checkpoint = options.from === 'start' ? null : await latestCheckpoint(db);
  const from: VerifyFrom = checkpoint ? 'checkpoint' : 'start';
  const resumedAfter = checkpoint?.lastId ?? null;
  const walk = { prev: checkpoint?.lastHash ?? AUDIT_GENESIS_HASH, cursor: resumedAfter, checked: checkpoint?.records ?? 0, thisRun: 0 };
  const verdict = (firstBroken: ChainVerification['firstBroken']): ChainVerification => ({
    ok: firstBroken === null,
    from,
    resumedAfter,
    checked: walk.checked,
    checkedThisRun: walk.thisRun,
    verifiedThrough: walk.cursor,
    firstBroken,
  });
  const writer = new CheckpointWriter(db, { mode: checkpoint ? 'incremental' : 'full', resumedAfter, startedAt });
  const broken = async (id: string, reason: string): Promise<ChainVerification> => {
    await writer.flush();
    await invalidateCheckpointsFrom(db, id, new Date());
    return verdict({ id, reason });
  };

  await options.onStart?.({ from, resumedAfter, checked: walk.checked });
  if (checkpoint) {
    const reason = await checkpointRecordProblem(db, checkpoint);
    if (reason) {
      // nothing of this run vouches for the chain: report the checkpoint's record, with no count
      Object.assign(walk, { checked: 0, cursor: null });
      return broken(checkpoint.lastId, reason);
    }
  }

  // persisted as it goes only up to the head read at the start: a record past it may have been
  // appended outside the chain, which only the head at the end can tell
  const persistable = (id: string) => compareIds(id, headAtStart.lastId) <= 0;
  const slice = new TimeSlice();
  let rounds = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    const rows = await recordsAfter(db, walk.cursor, batchSize);
    const recorded = rows.length ? await checkpointsBetween(db, walk.cursor, rows[rows.length - 1]!.id) : new Map<string, AuditCheckpoint[]>();
    let persist: [id: string, hash: string, checked: number] | null = null;
    for (const row of rows) {
      if (slice.due()) await slice.yield();
      const reason = linkProblem(walk.prev, row) ?? checkpointProblem(row, recorded.get(row.id));
      if (reason) {
        if (persist) await writer.advance(...persist);
        return broken(row.id, reason);
      }
      walk.prev = row.hash;
      walk.cursor = row.id;
      walk.checked++;
      walk.thisRun++;
      if (persistable(row.id)) persist = [row.id, row.hash, walk.checked];
    }
    if (persist) await writer.advance(...persist);
    if (rows.length) await options.onProgress?.({ checked: walk.checked, checkedThisRun: walk.thisRun, currentId: walk.cursor });
    if (rows.length === batchSize) {
      await yieldToLoop();
      continue;
    }

    // the end of the log as it stands: the chain head must name the record the walk ended on
    const head = await readHead(db);
    const order = compareIds(head.lastId, walk.cursor);
    if (order > 0) {
      if ((await firstIdAfter(db, walk.cursor)) === null) {
        return broken(
          head.lastId!,
          `the chain head names record ${head.lastId} but the log ends at record ${walk.cursor ?? '(none)'} (records were removed from the end)`,
        );
      }
      // appended while this run read: read on, a few rounds; past them the verdict covers what was read
      if (++rounds <= CATCH_UP_ROUNDS) continue;
    } else if (order < 0) {
      const stray = (await firstIdAfter(db, head.lastId))!;
      return broken(stray, `the chain head ends at record ${head.lastId ?? '(none)'}: record ${stray} and any after it were appended outside the audit chain`);
    } else if (head.lastHash !== walk.prev) {
      return broken(
        walk.cursor ?? '0',
        `the chain head holds hash ${short(head.lastHash)} for this record, which has ${short(walk.prev)} (the head or the record was rewritten)`,
      );
    }
    if (walk.thisRun > 0) {
      await writer.advance(walk.cursor!, walk.prev, walk.checked);
      await writer.flush();
    }
    return verdict(null);
  }
}
