import { QueryTypes, type Sequelize } from 'sequelize';
import { insertRow, sqlDate, updateRows } from '../../db/rows.js';
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

interface RawCheckpoint { id: unknown; mode: string; last_id: unknown; last_hash: string; records: unknown; verified_at: unknown }

function toCheckpoint(row: RawCheckpoint): AuditCheckpoint {
  return {
    id: String(row.id), mode: row.mode === 'full' ? 'full' : 'incremental', lastId: String(row.last_id), lastHash: row.last_hash,
    records: Number(row.records), verifiedAt: storedDate(row.verified_at),
  };
}

const COLUMNS = 'id, mode, last_id, last_hash, records, verified_at';

/** The checkpoint furthest along the chain that no later run has found broken: where an incremental run resumes. */
export async function latestCheckpoint(sequelize: Sequelize): Promise<AuditCheckpoint | null> {
  const rows = await sequelize.query<RawCheckpoint>(
    `SELECT ${COLUMNS} FROM audit_checkpoints WHERE invalidated_at IS NULL ORDER BY last_id DESC, id DESC LIMIT 1`,
    { type: QueryTypes.SELECT },
  );
  return rows[0] ? toCheckpoint(rows[0]) : null;
}

/**
 * Every checkpoint ever taken at a record in (afterId, throughId], invalidated ones included: each
 * holds the hash its record had when it was verified, and an append-only record never changes, so a
 * different hash now means the chain was rewritten at or before that record — even a rewrite that
 * recomputed every hash after it, which the links alone cannot show.
 */
export async function checkpointsBetween(sequelize: Sequelize, afterId: string | null, throughId: string): Promise<Map<string, AuditCheckpoint[]>> {
  const rows = await sequelize.query<RawCheckpoint>(`SELECT ${COLUMNS} FROM audit_checkpoints WHERE last_id > ? AND last_id <= ?`, {
    replacements: [afterId ?? '0', throughId], type: QueryTypes.SELECT,
  });
  const byRecord = new Map<string, AuditCheckpoint[]>();
  for (const row of rows) {
    const checkpoint = toCheckpoint(row);
    byRecord.set(checkpoint.lastId, [...(byRecord.get(checkpoint.lastId) ?? []), checkpoint]);
  }
  return byRecord;
}

/** A run found the chain broken at `recordId`: no run resumes from a checkpoint at or after it any more. */
export async function invalidateCheckpointsFrom(sequelize: Sequelize, recordId: string, at: Date): Promise<void> {
  await sequelize.query('UPDATE audit_checkpoints SET invalidated_at = ? WHERE last_id >= ? AND invalidated_at IS NULL', {
    replacements: [sqlDate(sequelize, at), recordId],
  });
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
    private readonly sequelize: Sequelize,
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
    const values = { last_id: next.lastId, last_hash: next.lastHash, records: next.records, verified_at: now };
    if (this.rowId === null) {
      this.rowId = await insertRow(this.sequelize, 'audit_checkpoints', {
        mode: this.run.mode, resumed_after: this.run.resumedAfter, started_at: this.run.startedAt, invalidated_at: null, ...values,
      });
    } else {
      await updateRows(this.sequelize, 'audit_checkpoints', values, { id: this.rowId });
    }
  }
}
