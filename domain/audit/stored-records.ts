import { QueryTypes, type Sequelize } from 'sequelize';
import { sqlDate } from '../../db/rows.js';
import type { HashedAuditContent } from './hash.js';

/**
 * audit_log rows read as plain rows, a bounded batch per statement (keyset, never OFFSET), for the
 * readers that walk the whole log: verification and the CSV export. Not through the model: building
 * an instance per row costs more than hashing it, and at ten million rows that is minutes.
 */
export interface StoredAuditRecord {
  id: string;
  caseId: string | null;
  actor: string;
  actorRole: string | null;
  action: string;
  /** the JSON text as stored */
  detailText: string | null;
  dedupKey: string | null;
  prevHash: string;
  hash: string;
  /** null when the stored value is not a date at all (a tampered row) */
  createdAt: Date | null;
  /** created_at exactly as the driver gave it: the keyset cursor of a period export */
  createdAtStored: unknown;
}

const COLUMNS = 'id, case_id, actor, actor_role, action, detail, dedup_key, prev_hash, hash, created_at';

interface RawRow {
  id: unknown; case_id: unknown; actor: string; actor_role: string | null; action: string; detail: string | null;
  dedup_key: string | null; prev_hash: string; hash: string; created_at: unknown;
}

/**
 * A stored DATE as a Date: MySQL's driver gives Dates (UTC connection); SQLite gives Sequelize's text
 * `2026-01-01 02:00:00.000 +00:00`, parsed as Sequelize parses it (no offset: UTC).
 */
export function storedDate(value: unknown): Date | null {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value.includes('+') ? value : `${value}+00:00`) : null;
  return date && !Number.isNaN(date.getTime()) ? date : null;
}

const key = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

function toStored(row: RawRow): StoredAuditRecord {
  return {
    id: String(row.id), caseId: key(row.case_id), actor: row.actor, actorRole: row.actor_role ?? null, action: row.action,
    detailText: row.detail ?? null, dedupKey: row.dedup_key ?? null, prevHash: row.prev_hash, hash: row.hash,
    createdAt: storedDate(row.created_at), createdAtStored: row.created_at,
  };
}

/**
 * What the record's hash covers, as the chain computed it; null when a stored value cannot be what
 * was hashed (detail that is not JSON, a created_at that is not a date): the record was changed.
 */
export function hashedContentOf(row: StoredAuditRecord): HashedAuditContent | null {
  if (!row.createdAt) return null;
  let detail: Record<string, unknown> | null = null;
  if (row.detailText !== null) {
    try {
      detail = JSON.parse(row.detailText) as Record<string, unknown>;
    } catch {
      return null;
    }
  }
  return { caseId: row.caseId, actor: row.actor, actorRole: row.actorRole, action: row.action, detail, dedupKey: row.dedupKey, createdAt: row.createdAt };
}

/** Up to `limit` records after `afterId` (null: from the first), in id order. The primary key's range: one bounded read. */
export async function recordsAfter(sequelize: Sequelize, afterId: string | null, limit: number): Promise<StoredAuditRecord[]> {
  const rows = await sequelize.query<RawRow>(`SELECT ${COLUMNS} FROM audit_log WHERE id > ? ORDER BY id LIMIT ?`, {
    replacements: [afterId ?? '0', limit], type: QueryTypes.SELECT,
  });
  return rows.map(toStored);
}

export async function recordById(sequelize: Sequelize, id: string): Promise<StoredAuditRecord | null> {
  const rows = await sequelize.query<RawRow>(`SELECT ${COLUMNS} FROM audit_log WHERE id = ?`, { replacements: [id], type: QueryTypes.SELECT });
  return rows[0] ? toStored(rows[0]) : null;
}

/** The first record after `afterId`, if there is one. */
export async function firstIdAfter(sequelize: Sequelize, afterId: string | null): Promise<string | null> {
  const rows = await sequelize.query<{ id: unknown }>('SELECT id FROM audit_log WHERE id > ? ORDER BY id LIMIT 1', {
    replacements: [afterId ?? '0'], type: QueryTypes.SELECT,
  });
  return rows[0] ? String(rows[0].id) : null;
}

export interface AuditPeriod { from?: Date | null; to?: Date | null }

/**
 * The whole log (id order) or the records of a period (created_at order, then id), a batch at a time.
 * A period is walked along the created_at index — keyset on (created_at, id) — so each statement
 * reads one batch of index entries wherever the period lies in a ten-million-row log; walking it by
 * id would scan every row before the period in one statement, and sorting it by id would sort the
 * whole period per batch. Ids are in the order of created_at anyway, except records appended with
 * an explicit earlier time.
 */
export async function* recordBatches(sequelize: Sequelize, period: AuditPeriod, batchSize: number): AsyncGenerator<StoredAuditRecord[]> {
  if (!period.from && !period.to) {
    for (let after: string | null = null; ;) {
      const rows = await recordsAfter(sequelize, after, batchSize);
      if (rows.length) yield rows;
      if (rows.length < batchSize) return;
      after = rows[rows.length - 1]!.id;
    }
  }
  const bounds: string[] = [];
  const values: unknown[] = [];
  // bound as the dialect stores dates (Sequelize's text on SQLite), so the comparison is the index's
  if (period.from) { bounds.push('created_at >= ?'); values.push(sqlDate(sequelize, period.from)); }
  if (period.to) { bounds.push('created_at < ?'); values.push(sqlDate(sequelize, period.to)); }
  let cursor: { at: unknown; id: string } | null = null;
  for (;;) {
    // created_at >= the cursor's opens the index range there; the OR drops the few rows of that same instant already sent
    const after = cursor ? ' AND created_at >= ? AND (created_at > ? OR id > ?)' : '';
    const raw: RawRow[] = await sequelize.query<RawRow>(
      `SELECT ${COLUMNS} FROM audit_log WHERE ${bounds.join(' AND ')}${after} ORDER BY created_at, id LIMIT ?`,
      { replacements: [...values, ...(cursor ? [cursor.at, cursor.at, cursor.id] : []), batchSize], type: QueryTypes.SELECT },
    );
    const rows = raw.map(toStored);
    if (rows.length) yield rows;
    if (rows.length < batchSize) return;
    const last = rows[rows.length - 1]!;
    cursor = { at: last.createdAtStored, id: last.id };
  }
}
