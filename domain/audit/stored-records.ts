import { sql } from 'kysely';
import { appSql } from '../../db/sql/current.js';
import type { Sql } from '../../db/sql/index.js';
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

const COLUMNS = ['id', 'caseId', 'actor', 'actorRole', 'action', 'detail', 'dedupKey', 'prevHash', 'hash'] as const;
/**
 * created_at under a name of its own, so that it comes back exactly as the driver gives it, not
 * converted to a Date (db/sql/values.ts refuses text that is no date): a tampered row is reported,
 * and exported, rather than failing the read.
 */
const CREATED_AT_STORED = sql<unknown>`created_at`.as('createdAtStored');

interface RawRow {
  id: string;
  caseId: string | null;
  actor: string;
  actorRole: string | null;
  action: string;
  detail: string | null;
  dedupKey: string | null;
  prevHash: string;
  hash: string;
  createdAtStored: unknown;
}

/**
 * A stored DATE as a Date: MySQL's driver gives Dates (UTC connection); SQLite gives the text the application
 * writes, `2026-01-01 02:00:00.000 +00:00` (db/sql/values.ts; without an offset: UTC).
 */
export function storedDate(value: unknown): Date | null {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value.includes('+') ? value : `${value}+00:00`) : null;
  return date && !Number.isNaN(date.getTime()) ? date : null;
}

function toStored(row: RawRow): StoredAuditRecord {
  return {
    id: row.id,
    caseId: row.caseId ?? null,
    actor: row.actor,
    actorRole: row.actorRole ?? null,
    action: row.action,
    detailText: row.detail ?? null,
    dedupKey: row.dedupKey ?? null,
    prevHash: row.prevHash,
    hash: row.hash,
    createdAt: storedDate(row.createdAtStored),
    createdAtStored: row.createdAtStored,
  };
}

const records = (db: Sql) => db.selectFrom('audit_log').select([...COLUMNS, CREATED_AT_STORED]);

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
export async function recordsAfter(db: Sql, afterId: string | null, limit: number): Promise<StoredAuditRecord[]> {
  if (!Number.isSafeInteger(limit)) throw new TypeError(`audit log: batch size ${limit} is not an integer`);
  const rows = await records(db)
    .where('id', '>', afterId ?? '0')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(toStored);
}

export async function recordById(db: Sql, id: string): Promise<StoredAuditRecord | null> {
  const row = await records(db).where('id', '=', id).executeTakeFirst();
  return row ? toStored(row) : null;
}

/** The first record after `afterId`, if there is one. */
export async function firstIdAfter(db: Sql, afterId: string | null): Promise<string | null> {
  const row = await db
    .selectFrom('audit_log')
    .select('id')
    .where('id', '>', afterId ?? '0')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return row ? row.id : null;
}

export interface AuditPeriod {
  from?: Date | null;
  to?: Date | null;
}

/**
 * The whole log (id order) or the records of a period (created_at order, then id), a batch at a time.
 * A period is walked along the created_at index — keyset on (created_at, id) — so each statement
 * reads one batch of index entries wherever the period lies in a ten-million-row log; walking it by
 * id would scan every row before the period in one statement, and sorting it by id would sort the
 * whole period per batch. Ids are in the order of created_at anyway, except records appended with
 * an explicit earlier time.
 */
export async function* recordBatches(period: AuditPeriod, batchSize: number, db: Sql = appSql()): AsyncGenerator<StoredAuditRecord[]> {
  if (!period.from && !period.to) {
    for (let after: string | null = null; ;) {
      const rows = await recordsAfter(db, after, batchSize);
      if (rows.length) yield rows;
      if (rows.length < batchSize) return;
      after = rows[rows.length - 1]!.id;
    }
  }
  let cursor: { at: unknown; id: string } | null = null;
  for (;;) {
    // dates bound as the dialect stores them (db/sql/values.ts), so the comparison is the index's; the cursor's
    // created_at goes back exactly as it was read
    const at = cursor?.at as Date;
    const raw: RawRow[] = await records(db)
      .$if(!!period.from, (b) => b.where('createdAt', '>=', period.from!))
      .$if(!!period.to, (b) => b.where('createdAt', '<', period.to!))
      // created_at >= the cursor's opens the index range there; the OR drops the few rows of that same instant already sent
      .$if(cursor !== null, (b) => b.where('createdAt', '>=', at).where((eb) => eb.or([eb('createdAt', '>', at), eb('id', '>', cursor!.id)])))
      .orderBy('createdAt')
      .orderBy('id')
      .limit(batchSize)
      .execute();
    const rows = raw.map(toStored);
    if (rows.length) yield rows;
    if (rows.length < batchSize) return;
    const last = rows[rows.length - 1]!;
    cursor = { at: last.createdAtStored, id: last.id };
  }
}
