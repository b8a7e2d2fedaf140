import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { AUDIT_GENESIS_HASH } from '../../db/migrations/0002-audit-chain.js';
import { AuditRecord } from '../../db/models/index.js';
import { canonicalValue } from '../shared/canonical-json.js';
import { SerialQueue } from '../shared/serial-queue.js';
import { auditHash } from './hash.js';

export { AUDIT_GENESIS_HASH };

export interface AuditInput {
  caseId: string | number | null;
  /** user name, or `worker:<job type>` for machine actions */
  actor: string;
  actorRole?: string | null;
  action: string;
  detail?: Record<string, unknown> | null;
  /** once-only key (job key, request id): a second append with it returns the first record */
  dedupKey?: string | null;
  /** when it happened; default now. Stored to the second (MySQL DATETIME has no fractions). */
  at?: Date;
}

export interface AuditEntry {
  id: string;
  caseId: string | null;
  actor: string;
  actorRole: string | null;
  action: string;
  detail: Record<string, unknown> | null;
  dedupKey: string | null;
  prevHash: string;
  hash: string;
  createdAt: string;
}

/** A writer holding the chain inside one transaction; what it appends commits with the caller's other writes. */
export interface AuditChain {
  readonly transaction: Transaction;
  append(input: AuditInput): Promise<AuditEntry>;
  /** the record written earlier with this dedup key, if any */
  find(dedupKey: string): Promise<AuditEntry | null>;
}

const queue = new SerialQueue();

function db(): Sequelize {
  const sequelize = AuditRecord.sequelize;
  if (!sequelize) throw new Error('audit log: models are not bound to a database (call initModels first)');
  return sequelize;
}

export function toAuditEntry(row: AuditRecord): AuditEntry {
  return {
    id: row.id, caseId: row.caseId, actor: row.actor, actorRole: row.actorRole ?? null, action: row.action,
    detail: row.detail ?? null, dedupKey: row.dedupKey ?? null, prevHash: row.prevHash, hash: row.hash,
    createdAt: row.createdAt.toISOString(),
  };
}

function wholeSecond(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 1000) * 1000);
}

/**
 * Runs `fn` in one transaction that holds the audit chain. Appends are serialised twice: by a
 * queue in this process, and across processes by locking the `audit_chain_head` row first thing
 * (row lock on MySQL, the database write lock on SQLite). Whoever holds the head reads the last
 * hash, appends, and moves the head; the next writer waits and then sees the new head, so the
 * chain stays one line however many processes write. Do not call withAuditChain inside `fn`:
 * use the chain it hands you.
 */
export function withAuditChain<T>(fn: (chain: AuditChain) => Promise<T>): Promise<T> {
  return queue.run(() => db().transaction(async (transaction) => {
    const sequelize = db();
    // Sequelize opens a fresh SQLite connection per transaction, without the default one's pragmas.
    if (sequelize.getDialect() === 'sqlite') await sequelize.query('PRAGMA busy_timeout = 5000', { transaction });
    await sequelize.query('UPDATE audit_chain_head SET updated_at = ? WHERE id = 1', { replacements: [new Date()], transaction });
    const heads = await sequelize.query<{ last_hash: string }>('SELECT last_hash FROM audit_chain_head WHERE id = 1', { type: QueryTypes.SELECT, transaction });
    if (!heads[0]) throw new Error('audit log: audit_chain_head row missing (migration 0002 not applied?)');
    let prevHash = heads[0].last_hash;
    let lastId: string | null = null;
    let appended = 0;

    const find = async (dedupKey: string): Promise<AuditEntry | null> => {
      const row = await AuditRecord.findOne({ where: { dedupKey }, transaction });
      return row ? toAuditEntry(row) : null;
    };

    const chain: AuditChain = {
      transaction,
      find,
      async append(input) {
        if (input.dedupKey) {
          const existing = await find(input.dedupKey);
          if (existing) return existing;
        }
        const content = {
          caseId: input.caseId === null || input.caseId === undefined ? null : String(input.caseId),
          actor: input.actor,
          actorRole: input.actorRole ?? null,
          action: input.action,
          // stored exactly as hashed: the canonical JSON value
          detail: input.detail ? (canonicalValue(input.detail) as Record<string, unknown>) : null,
          dedupKey: input.dedupKey ?? null,
          createdAt: wholeSecond(input.at ?? new Date()),
        };
        const hash = auditHash(prevHash, content);
        const row = await AuditRecord.create({ ...content, prevHash, hash }, { transaction });
        prevHash = hash;
        lastId = row.id;
        appended++;
        return toAuditEntry(row);
      },
    };

    const result = await fn(chain);
    if (appended > 0) {
      await sequelize.query('UPDATE audit_chain_head SET last_id = ?, last_hash = ?, records = records + ? WHERE id = 1', {
        replacements: [lastId, prevHash, appended], transaction,
      });
    }
    return result;
  }));
}

/** Appends one record (or returns the earlier one with the same dedup key). */
export function appendAudit(input: AuditInput): Promise<AuditEntry> {
  return withAuditChain((chain) => chain.append(input));
}

export async function findAuditByDedupKey(dedupKey: string): Promise<AuditEntry | null> {
  const row = await AuditRecord.findOne({ where: { dedupKey } });
  return row ? toAuditEntry(row) : null;
}

/** Every record of one case, oldest first: what the auditor reads beside the process history. */
export async function caseAuditTrail(caseId: string | number): Promise<AuditEntry[]> {
  const rows = await AuditRecord.findAll({ where: { caseId: String(caseId) }, order: [['id', 'ASC']] });
  return rows.map(toAuditEntry);
}

/** The latest record of a case with one of the given actions (e.g. the last deadline set for a stage). */
export async function lastCaseAudit(caseId: string | number, actions: string[], transaction?: Transaction): Promise<AuditEntry | null> {
  const row = await AuditRecord.findOne({ where: { caseId: String(caseId), action: actions }, order: [['id', 'DESC']], ...(transaction ? { transaction } : {}) });
  return row ? toAuditEntry(row) : null;
}
