import { Op, type WhereOptions } from 'sequelize';
import { AuditRecord } from '../../db/models/index.js';
import { decodeTimeKey, encodeTimeKey } from '../shared/cursor.js';
import { allOf, cappedTotal, COUNT_CAP, NEWEST_FIRST, olderThan, through, type TotalCount } from '../shared/paging.js';

/** What an auditor filters the audit log by; every filter has an index in newest-first order (0001, 0013). */
export interface AuditRecordFilter {
  from?: Date;
  to?: Date;
  caseId?: string;
  action?: string;
  actor?: string;
  after?: string;
  pageSize?: number;
}

export interface AuditRecordItem {
  id: string;
  createdAt: string;
  caseId: string | null;
  actor: string;
  actorRole: string | null;
  action: string;
  detail: Record<string, unknown> | null;
  hash: string;
}

export interface AuditRecordPage extends Partial<TotalCount> {
  items: AuditRecordItem[];
  next: string | null;
}

const CURSOR = 'audit';

/** The audit records list (审计记录), newest first, one page after the `after` cursor. */
export async function listAuditRecords(filter: AuditRecordFilter): Promise<AuditRecordPage> {
  const after = filter.after !== undefined ? decodeTimeKey(CURSOR, filter.after) : null;
  const pageSize = filter.pageSize ?? 50;
  const where = allOf(
    filter.caseId ? { caseId: filter.caseId } : null,
    filter.action ? { action: filter.action } : null,
    filter.actor ? { actor: filter.actor } : null,
    filter.from ? { createdAt: { [Op.gte]: filter.from } } : null,
    filter.to ? { createdAt: { [Op.lt]: filter.to } } : null,
  ) as WhereOptions<AuditRecord>;
  // a case has a handful of records: its (case_id, id) index and a small sort; otherwise the filter's newest-first index
  const index = filter.caseId ? null : filter.action ? 'audit_log_action_created_at_idx' : filter.actor ? 'audit_log_actor_created_at_idx' : 'audit_log_created_at_idx';
  const [rows, counted] = await Promise.all([
    AuditRecord.findAll({ where: allOf(where, after ? olderThan(after) : null) as WhereOptions<AuditRecord>, order: NEWEST_FIRST, limit: pageSize + 1, ...(index ? through(index) : {}) }),
    after ? null : AuditRecord.findAll({ where, attributes: ['id'], limit: COUNT_CAP + 1, raw: true }),
  ]);
  const last = rows.length > pageSize ? rows[pageSize - 1]! : null;
  return {
    items: rows.slice(0, pageSize).map((a) => ({
      id: a.id, createdAt: a.createdAt.toISOString(), caseId: a.caseId, actor: a.actor, actorRole: a.actorRole, action: a.action, detail: a.detail, hash: a.hash,
    })),
    next: last ? encodeTimeKey(CURSOR, { at: last.createdAt, id: last.id }) : null,
    ...(counted ? cappedTotal(counted.length) : {}),
  };
}
