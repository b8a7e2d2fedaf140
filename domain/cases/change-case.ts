import { appSql, type Tx } from '../../db/sql/current.js';
import { withAuditChain, type AuditChain, type AuditEntry } from '../audit/index.js';
import { DomainError } from '../shared/errors.js';
import { readCaseRecord, type CaseRecord } from './case-records.js';

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
  case: CaseRecord;
  /** false when the dedup key was already used: nothing was changed this time */
  applied: boolean;
  audit: AuditEntry;
  /** what was recorded in the audit log; a repeated delivery gets the first one's back */
  detail: Record<string, unknown>;
}

export const changedAt = (ctx: ChangeContext): Date => ctx.at ?? new Date();

const same = (a: unknown, b: unknown) => a === b || (a instanceof Date && b instanceof Date && a.getTime() === b.getTime());

/** The columns `after` changed from `before` (as a model's save() sent only those). */
export function changedColumns(before: CaseRecord, after: CaseRecord): Partial<CaseRecord> {
  const changed: Record<string, unknown> = {};
  for (const key of Object.keys(after) as Array<keyof CaseRecord>) if (!same(before[key], after[key])) changed[key] = after[key];
  return changed as Partial<CaseRecord>;
}

/** Writes what changed on the case (and its updatedAt, wall clock as the models kept it); nothing when nothing did. */
export async function saveCase(before: CaseRecord, after: CaseRecord, transaction: Tx): Promise<void> {
  const { id, ...changed } = changedColumns(before, after);
  if (id !== undefined) throw new Error('a case keeps its id');
  if (!Object.keys(changed).length) return;
  after.updatedAt = new Date();
  await appSql(transaction)
    .updateTable('cases')
    .set({ ...changed, updatedAt: after.updatedAt })
    .where('id', '=', after.id)
    .execute();
}

/**
 * What a change does to the case row (and related rows in `chain.transaction`). Written as a method
 * type so code that still names the row by the model's type (it only reads and sets fields) type-checks.
 */
type ApplyChange = { apply(current: CaseFields, chain: AuditChain): Promise<Record<string, unknown>> }['apply'];

/** The case's columns a change works with (the intake's own columns are the intake's) */
export type CaseFields = Omit<CaseRecord, 'intakeIntent' | 'intakeKey'>;

/**
 * The one way a case changes: in one transaction holding the audit chain, the case row is locked,
 * `apply` mutates it (and may touch related rows in `chain.transaction`), the case is saved and
 * the audit record appended. Both commit together or not at all. A dedup key seen before returns
 * the earlier record and leaves everything as it is.
 */
export function changeCase(caseId: string, action: string, ctx: ChangeContext, apply: ApplyChange): Promise<CaseChange> {
  return withAuditChain(
    async (chain) => {
      const { transaction } = chain;
      if (ctx.dedupKey) {
        const done = await chain.find(ctx.dedupKey);
        if (done) {
          const current = await readCaseRecord(caseId, transaction);
          if (!current) throw new DomainError('NOT_FOUND', `case ${caseId} not found`, { caseId });
          return { case: current, applied: false, audit: done, detail: done.detail ?? {} };
        }
      }
      const current = await readCaseRecord(caseId, transaction, true);
      if (!current) throw new DomainError('NOT_FOUND', `case ${caseId} not found`, { caseId });
      const before = { ...current };
      const detail = await apply(current, chain);
      await saveCase(before, current, transaction);
      const audit = await chain.append(
        {
          caseId,
          actor: ctx.actor,
          actorRole: ctx.actorRole ?? null,
          action,
          detail,
          dedupKey: ctx.dedupKey ?? null,
          at: changedAt(ctx),
        },
        { dedupChecked: true },
      );
      return { case: current, applied: true, audit, detail: audit.detail ?? {} };
    },
    { background: ctx.actor.startsWith('worker:') },
  ); // job workers' changes wait behind people's requests (up to a share)
}
