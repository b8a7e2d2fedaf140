import { Case, EventType, Grid, InboxTask, Unit } from '../../db/models/index.js';
import { phoneFor, seesAllUnits, isUnitScoped } from '../auth/access.js';
import { caseInPatrol } from '../auth/patrol.js';
import type { Actor } from '../auth/sessions.js';
import { DomainError } from '../shared/errors.js';
import type { CaseDetail } from './case-detail-type.js';

export type { CaseDetail } from './case-detail-type.js';

/** Unit staff see the cases sent to their unit and the ones they hold a task of; grid workers the ones they reported, and those in 核查 in the grids they patrol. */
async function mayRead(actor: Actor, c: Case): Promise<boolean> {
  if (seesAllUnits(actor)) return true;
  if (c.reporterUserId !== null && c.reporterUserId === actor.userId) return true;
  if (isUnitScoped(actor)) {
    if (actor.unitId === null) return false;
    if (c.unitId === actor.unitId) return true;
    return (await InboxTask.count({ where: { caseId: c.id, unitId: actor.unitId } })) > 0;
  }
  if (actor.role === 'grid_worker') {
    // the cases of their grids in 核查: verifying, or holding an open task offered to grid workers (the pool
    // they may claim from: reading the case they check must not be refused while the task is theirs to take)
    if (!(await caseInPatrol(actor, c.id, c.gridId))) return false;
    const tasks = await InboxTask.findAll({ where: { caseId: c.id }, attributes: ['state', 'candidateGroups'] });
    return tasks.length > 0 && (c.status === 'verifying' || tasks.some((t) => t.state === 'created' && (t.candidateGroups ?? []).includes('grid_worker')));
  }
  return false;
}

export async function readCase(actor: Actor, caseId: string): Promise<CaseDetail> {
  const c = /^\d{1,19}$/.test(caseId) ? await Case.findByPk(caseId) : null;
  if (!c || !(await mayRead(actor, c))) throw new DomainError('NOT_FOUND', 'no such case', { apiCode: 'case_not_found' });
  const [eventType, grid, unit] = await Promise.all([
    c.eventTypeId ? EventType.findByPk(c.eventTypeId) : null,
    c.gridId ? Grid.findByPk(c.gridId) : null,
    c.unitId ? Unit.findByPk(c.unitId) : null,
  ]);
  return {
    id: c.id, caseNo: c.caseNo, channel: c.channel, status: c.status, priority: c.priority, description: c.description,
    reporterName: c.reporterName, reporterPhone: phoneFor(actor, c.reporterPhone), lat: c.lat, lng: c.lng, address: c.address,
    gridCode: grid?.code ?? null, eventTypeCode: eventType?.code ?? null, category: c.category, unitCode: unit?.code ?? null,
    warningLight: c.warningLight, escalationLevel: c.escalationLevel, dueAt: c.dueAt ? c.dueAt.toISOString() : null,
    createdAt: c.createdAt.toISOString(), closedAt: c.closedAt ? c.closedAt.toISOString() : null,
  };
}
