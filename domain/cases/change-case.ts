import { Case } from '../../db/models/index.js';
import { withAuditChain, type AuditChain, type AuditEntry } from '../audit/index.js';
import { DomainError } from '../shared/errors.js';

/** Who changes a case, and the once-only key of the change. */
export interface ChangeContext {
  /** user name, or `worker:<job type>` */
  actor: string;
  actorRole?: string | null;
  /** e.g. the job key: the same key twice changes the case once */
  dedupKey?: string | null;
  /** when it happens (workers pass their clock's now) */
  at?: Date;
}

export interface CaseChange {
  /** the case after the change (or as it is, when the change had already been made) */
  case: Case;
  /** false when the dedup key was already used: nothing was changed this time */
  applied: boolean;
  audit: AuditEntry;
  /** what was recorded in the audit log; a repeated delivery gets the first one's back */
  detail: Record<string, unknown>;
}

export const changedAt = (ctx: ChangeContext): Date => ctx.at ?? new Date();

/**
 * The one way a case changes: in one transaction holding the audit chain, the case row is locked,
 * `apply` mutates it (and may touch related rows in `chain.transaction`), the case is saved and
 * the audit record appended. Both commit together or not at all. A dedup key seen before returns
 * the earlier record and leaves everything as it is.
 */
export function changeCase(
  caseId: string,
  action: string,
  ctx: ChangeContext,
  apply: (current: Case, chain: AuditChain) => Promise<Record<string, unknown>>,
): Promise<CaseChange> {
  return withAuditChain(async (chain) => {
    const { transaction } = chain;
    if (ctx.dedupKey) {
      const done = await chain.find(ctx.dedupKey);
      if (done) {
        const current = await Case.findByPk(caseId, { transaction });
        if (!current) throw new DomainError('NOT_FOUND', `case ${caseId} not found`, { caseId });
        return { case: current, applied: false, audit: done, detail: done.detail ?? {} };
      }
    }
    const current = await Case.findByPk(caseId, { transaction, lock: transaction.LOCK.UPDATE });
    if (!current) throw new DomainError('NOT_FOUND', `case ${caseId} not found`, { caseId });
    const detail = await apply(current, chain);
    await current.save({ transaction });
    const audit = await chain.append({
      caseId, actor: ctx.actor, actorRole: ctx.actorRole ?? null, action, detail, dedupKey: ctx.dedupKey ?? null, at: changedAt(ctx),
    }, { dedupChecked: true });
    return { case: current, applied: true, audit, detail: audit.detail ?? {} };
  }, { background: ctx.actor.startsWith('worker:') }); // job workers' changes wait behind people's requests (up to a share)
}
