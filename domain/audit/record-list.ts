import { appSql, throughIndex } from '../../db/sql/current.js';
import { decodeTimeKey, encodeTimeKey } from '../shared/cursor.js';
import { cappedTotal, COUNT_CAP, type TotalCount } from '../shared/paging.js';

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
  const matching = () =>
    appSql()
      .selectFrom('audit_log')
      .$if(!!filter.caseId, (b) => b.where('caseId', '=', filter.caseId!))
      .$if(!!filter.action, (b) => b.where('action', '=', filter.action!))
      .$if(!!filter.actor, (b) => b.where('actor', '=', filter.actor!))
      .$if(!!filter.from, (b) => b.where('createdAt', '>=', filter.from!))
      .$if(!!filter.to, (b) => b.where('createdAt', '<', filter.to!));
  // a case has a handful of records: its (case_id, id) index and a small sort; otherwise the filter's newest-first index
  const index = filter.caseId
    ? null
    : filter.action
      ? 'audit_log_action_created_at_idx'
      : filter.actor
        ? 'audit_log_actor_created_at_idx'
        : 'audit_log_created_at_idx';
  const [rows, counted] = await Promise.all([
    matching()
      .selectAll()
      .$if(index !== null, (b) => b.withPlugin(throughIndex(index!)))
      // after the cursor: the redundant <= bound gives both databases a range to seek to (domain/shared/keyset.ts, olderThanKey)
      .$if(after !== null, (b) => b.where('createdAt', '<=', after!.at).where((eb) => eb.or([eb('createdAt', '<', after!.at), eb('id', '<', after!.id)])))
      .orderBy('createdAt', 'desc')
      .orderBy('id', 'desc')
      .limit(pageSize + 1)
      .execute(),
    after
      ? null
      : matching()
          .select('id')
          .limit(COUNT_CAP + 1)
          .execute(),
  ]);
  const last = rows.length > pageSize ? rows[pageSize - 1]! : null;
  return {
    items: rows.slice(0, pageSize).map((a) => ({
      id: a.id,
      createdAt: a.createdAt.toISOString(),
      caseId: a.caseId,
      actor: a.actor,
      actorRole: a.actorRole,
      action: a.action,
      detail: typeof a.detail === 'string' ? (JSON.parse(a.detail) as Record<string, unknown>) : null,
      hash: a.hash,
    })),
    next: last ? encodeTimeKey(CURSOR, { at: last.createdAt, id: last.id }) : null,
    ...(counted ? cappedTotal(counted.length) : {}),
  };
}
