import { appSql } from '../../db/sql/current.js';
import { phoneFor, seesAllUnits, isUnitScoped } from '../auth/access.js';
import { caseInPatrol } from '../auth/patrol.js';
import type { Actor } from '../auth/sessions.js';
import { DomainError } from '../shared/errors.js';
import type { CaseDetail } from './case-detail-type.js';
import { readCaseRecord, readGridRecord, readUnitRecord, type CaseRecord } from './case-records.js';

export type { CaseDetail } from './case-detail-type.js';

/** Unit staff see the cases sent to their unit and the ones they hold a task of; grid workers the ones they reported, and those in 核查 in the grids they patrol. */
async function mayRead(actor: Actor, c: CaseRecord): Promise<boolean> {
  if (seesAllUnits(actor)) return true;
  if (c.reporterUserId !== null && c.reporterUserId === actor.userId) return true;
  if (isUnitScoped(actor)) {
    if (actor.unitId === null) return false;
    if (c.unitId === actor.unitId) return true;
    const n = await appSql()
      .selectFrom('inbox_tasks')
      .select((e) => e.fn.countAll<number | string>().as('n'))
      .where('caseId', '=', c.id)
      .where('unitId', '=', actor.unitId)
      .executeTakeFirstOrThrow();
    return Number(n.n) > 0;
  }
  if (actor.role === 'grid_worker') {
    // the cases of their grids in 核查: verifying, or holding an open task offered to grid workers (the pool
    // they may claim from: reading the case they check must not be refused while the task is theirs to take)
    if (!(await caseInPatrol(actor, c.id, c.gridId))) return false;
    const tasks = await appSql().selectFrom('inbox_tasks').select(['state', 'candidateGroups']).where('caseId', '=', c.id).execute();
    return (
      tasks.length > 0 &&
      (c.status === 'verifying' ||
        tasks.some(
          (t) =>
            t.state === 'created' && ((t.candidateGroups === null ? null : (JSON.parse(t.candidateGroups) as string[] | null)) ?? []).includes('grid_worker'),
        ))
    );
  }
  return false;
}

export async function readCase(actor: Actor, caseId: string): Promise<CaseDetail> {
  const c = /^\d{1,19}$/.test(caseId) ? await readCaseRecord(caseId) : null;
  if (!c || !(await mayRead(actor, c))) throw new DomainError('NOT_FOUND', 'no such case', { apiCode: 'case_not_found' });
  const [eventType, grid, unit] = await Promise.all([
    c.eventTypeId ? appSql().selectFrom('event_types').select('code').where('id', '=', c.eventTypeId).executeTakeFirst() : null,
    c.gridId ? readGridRecord(c.gridId) : null,
    c.unitId ? readUnitRecord(c.unitId) : null,
  ]);
  return {
    id: c.id,
    caseNo: c.caseNo,
    channel: c.channel,
    status: c.status,
    priority: c.priority,
    description: c.description,
    reporterName: c.reporterName,
    reporterPhone: phoneFor(actor, c.reporterPhone),
    lat: c.lat,
    lng: c.lng,
    address: c.address,
    gridCode: grid?.code ?? null,
    eventTypeCode: eventType?.code ?? null,
    category: c.category,
    unitCode: unit?.code ?? null,
    warningLight: c.warningLight,
    escalationLevel: c.escalationLevel,
    dueAt: c.dueAt ? c.dueAt.toISOString() : null,
    createdAt: c.createdAt.toISOString(),
    closedAt: c.closedAt ? c.closedAt.toISOString() : null,
  };
}
