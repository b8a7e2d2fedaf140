import { sql } from 'kysely';
import { appSql } from '../../db/sql/current.js';
import type { Sql } from '../../db/sql/index.js';
import { storedDate } from './stored-records.js';

/** Where the chain was last found whole (table audit_checkpoints, migration 0014). */
export interface AuditCheckpoint {
  id: string;
  mode: 'full' | 'incremental';
  lastId: string;
  lastHash: string;
  /** records in the chain from the first through lastId */
  records: number;
  verifiedAt: Date | null;
}

interface RawCheckpoint {
  id: string;
  mode: string;
  lastId: string;
  lastHash: string;
  records: string;
  verifiedAtStored: unknown;
}

function toCheckpoint(row: RawCheckpoint): AuditCheckpoint {
  return {
    id: row.id,
    mode: row.mode === 'full' ? 'full' : 'incremental',
    lastId: row.lastId,
    lastHash: row.lastHash,
    records: Number(row.records),
    verifiedAt: storedDate(row.verifiedAtStored),
  };
}

// verified_at as the driver gives it (not converted): a time that is no date is reported as unknown, not a failed read
const checkpoints = (db: Sql) =>
  db.selectFrom('audit_checkpoints').select(['id', 'mode', 'lastId', 'lastHash', 'records', sql<unknown>`verified_at`.as('verifiedAtStored')]);

/** The checkpoint furthest along the chain that no later run has found broken: where an incremental run resumes. */
export async function latestCheckpoint(db: Sql = appSql()): Promise<AuditCheckpoint | null> {
  const row = await checkpoints(db).where('invalidatedAt', 'is', null).orderBy('lastId', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row ? toCheckpoint(row) : null;
}

/**
 * Every checkpoint ever taken at a record in (afterId, throughId], invalidated ones included: each
 * holds the hash its record had when it was verified, and an append-only record never changes, so a
 * different hash now means the chain was rewritten at or before that record — even a rewrite that
 * recomputed every hash after it, which the links alone cannot show.
 */
export async function checkpointsBetween(db: Sql, afterId: string | null, throughId: string): Promise<Map<string, AuditCheckpoint[]>> {
  const rows = await checkpoints(db)
    .where('lastId', '>', afterId ?? '0')
    .where('lastId', '<=', throughId)
    .execute();
  const byRecord = new Map<string, AuditCheckpoint[]>();
  for (const row of rows) {
    const checkpoint = toCheckpoint(row);
    byRecord.set(checkpoint.lastId, [...(byRecord.get(checkpoint.lastId) ?? []), checkpoint]);
  }
  return byRecord;
}

/** A run found the chain broken at `recordId`: no run resumes from a checkpoint at or after it any more. */
export async function invalidateCheckpointsFrom(db: Sql, recordId: string, at: Date): Promise<void> {
  await db.updateTable('audit_checkpoints').set({ invalidatedAt: at }).where('lastId', '>=', recordId).where('invalidatedAt', 'is', null).execute();
}

/**
 * A run's own checkpoint row: written when the run first has something verified, then moved forward
 * at most once a second (each move is a commit; on SQLite a fsync in the writer's turn) and at the end.
 */
export class CheckpointWriter {
  private rowId: string | null = null;
  private pending: { lastId: string; lastHash: string; records: number } | null = null;
  private writtenAt = 0;

  constructor(
    private readonly db: Sql,
    private readonly run: { mode: 'full' | 'incremental'; resumedAfter: string | null; startedAt: Date },
    private readonly everyMs = 1_000,
  ) {}

  /** Verified through this record; persisted now or with a later call. */
  async advance(lastId: string, lastHash: string, records: number): Promise<void> {
    this.pending = { lastId, lastHash, records };
    if (Date.now() - this.writtenAt >= this.everyMs) await this.flush();
  }

  async flush(): Promise<void> {
    const next = this.pending;
    if (!next) return;
    this.pending = null;
    this.writtenAt = Date.now();
    const now = new Date();
    const values = { lastId: next.lastId, lastHash: next.lastHash, records: String(next.records), verifiedAt: now };
    if (this.rowId === null) {
      const { insertId } = await this.db
        .insertInto('audit_checkpoints')
        .values({
          mode: this.run.mode,
          resumedAfter: this.run.resumedAfter,
          startedAt: this.run.startedAt,
          invalidatedAt: null,
          ...values,
        })
        .executeTakeFirstOrThrow();
      if (insertId === undefined) throw new Error('audit checkpoints: the database gave no id for the checkpoint');
      this.rowId = String(insertId);
    } else {
      await this.db.updateTable('audit_checkpoints').set(values).where('id', '=', this.rowId).execute();
    }
  }
}
