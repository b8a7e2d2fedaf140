/**
 * 改派 ordered by the centre (issue #14 item 2): while a unit handles a case, the operator moves it to another
 * unit. The process does the move (the `case-redispatch` message interrupts the handling, whose open task ends,
 * records the 改派 and starts handling again at the new unit with a fresh deadline); this checks first, so a
 * refusal changes nothing, and notes who ordered it and why.
 */
import { appSql } from '../../db/sql/current.js';
import { MESSAGES, REDISPATCH_PROCESSES } from '../../processes/contract.js';
import type { WorkflowEngine } from '../../port/workflow-engine.js';
import type { Actor } from '../auth/sessions.js';
import { DomainError } from '../shared/errors.js';
import { noteOnCase, REDISPATCHABLE_STATUSES } from './case-actions.js';
import { readCaseRecord, type CaseRecord } from './case-records.js';

/** The user tasks of `case-handling`: one of them is open while the unit has the case (处置, or a review of its request). */
export const HANDLING_TASKS: readonly string[] = ['handle', 'returnReview', 'extensionReview', 'shelveReview'];

export interface RedispatchOrder {
  unitCode: string;
  reason: string;
}
export interface RedispatchOrdered {
  caseNo: string;
  unitCode: string;
  unitName: string;
  previousUnitCode: string | null;
}

/** May the centre offer 改派 on this case now (its status and its process; the open task is checked on ordering)? */
export function offersRedispatch(c: Pick<CaseRecord, 'status' | 'processId'>): boolean {
  return REDISPATCHABLE_STATUSES.includes(c.status) && !!c.processId && (REDISPATCH_PROCESSES as readonly string[]).includes(c.processId);
}

/** Is 改派 offered beside this open task (one of the handling tasks) of this case? */
export async function redispatchOffered(caseId: string, elementId: string): Promise<boolean> {
  const c = await appSql().selectFrom('cases').select(['id', 'status', 'processId']).where('id', '=', caseId).executeTakeFirst();
  return !!c && offersRedispatch({ ...c, status: c.status as CaseRecord['status'] }) && HANDLING_TASKS.includes(elementId);
}

export async function orderRedispatch(port: WorkflowEngine, actor: Actor, caseId: string, order: RedispatchOrder): Promise<RedispatchOrdered> {
  const q = appSql();
  const c = await readCaseRecord(caseId);
  if (!c) throw new DomainError('NOT_FOUND', `case ${caseId} not found`, { apiCode: 'case_not_found' });
  const unit = await q.selectFrom('units').select(['id', 'code', 'name', 'active']).where('code', '=', order.unitCode).limit(1).executeTakeFirst();
  if (!unit || unit.active === false) throw new DomainError('INVALID_ARGUMENT', `unknown unit ${order.unitCode}`, { apiCode: 'unknown_unit' });
  if (!REDISPATCHABLE_STATUSES.includes(c.status)) {
    throw new DomainError('CONFLICT', `case ${c.caseNo} is ${c.status}: only a case a unit is handling can be re-dispatched`, {
      apiCode: 'not_redispatchable',
    });
  }
  if (!c.processId || !(REDISPATCH_PROCESSES as readonly string[]).includes(c.processId)) {
    throw new DomainError('CONFLICT', `the process ${c.processId ?? '(none)'} of case ${c.caseNo} has no 改派 step`, { apiCode: 'redispatch_unsupported' });
  }
  if (c.unitId === unit.id) throw new DomainError('CONFLICT', `case ${c.caseNo} is already with ${unit.name}`, { apiCode: 'same_unit' });
  // the handling must be waiting on a person: between two steps (a job running) the message would find no one
  const open = await q
    .selectFrom('inbox_tasks')
    .select('userTaskKey')
    .where('caseId', '=', c.id)
    .where('state', '=', 'created')
    .where('elementId', 'in', [...HANDLING_TASKS])
    .limit(1)
    .executeTakeFirst();
  if (!open) throw new DomainError('CONFLICT', `case ${c.caseNo} has no open handling task right now`, { apiCode: 'not_redispatchable' });
  const previous = c.unitId ? await q.selectFrom('units').select(['id', 'code', 'name']).where('id', '=', c.unitId).executeTakeFirst() : null;
  // no buffering: a message that finds no handling must not move a later one
  await port.publishMessage({
    name: MESSAGES.caseRedispatch.name,
    correlationKey: c.id,
    timeToLiveMs: 0,
    variables: { unitCode: unit.code, redispatchReason: order.reason, redispatchBy: actor.username },
  });
  await noteOnCase(
    c.id,
    'redispatch_ordered',
    { actor: actor.username, actorRole: actor.role },
    {
      unitCode: unit.code,
      unitName: unit.name,
      previousUnitCode: previous?.code ?? null,
      reason: order.reason,
      taskKey: open.userTaskKey,
    },
  );
  return { caseNo: c.caseNo, unitCode: unit.code, unitName: unit.name, previousUnitCode: previous?.code ?? null };
}
