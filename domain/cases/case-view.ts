import type { Transaction } from 'sequelize';
import { Case, EventType, Grid, Unit } from '../../db/models/index.js';
import { DomainError } from '../shared/errors.js';

/** A case with what most decisions about it need: its event type, unit, grid and township. */
export interface CaseView {
  case: Case;
  eventType: EventType | null;
  unit: Unit | null;
  grid: Grid | null;
  /** the grid's township, else the case's own townshipId */
  township: Unit | null;
}

/** Case ids travel as decimal strings (BIGINT); anything else is not an id. */
export function parseCaseId(value: unknown): string | null {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return String(value);
  if (typeof value === 'string' && /^[1-9]\d{0,18}$/.test(value.trim())) return value.trim();
  return null;
}

export async function findCaseView(caseId: string, transaction?: Transaction): Promise<CaseView | null> {
  const t = transaction ? { transaction } : {};
  const found = await Case.findByPk(caseId, t);
  if (!found) return null;
  const [eventType, unit, grid] = await Promise.all([
    found.eventTypeId ? EventType.findByPk(found.eventTypeId, t) : null,
    found.unitId ? Unit.findByPk(found.unitId, t) : null,
    found.gridId ? Grid.findByPk(found.gridId, t) : null,
  ]);
  const townshipId = grid?.townshipId ?? found.townshipId;
  const township = townshipId ? await Unit.findByPk(townshipId, t) : null;
  return { case: found, eventType, unit, grid, township };
}

export async function getCaseView(caseId: string, transaction?: Transaction): Promise<CaseView> {
  const view = await findCaseView(caseId, transaction);
  if (!view) throw new DomainError('NOT_FOUND', `case ${caseId} not found`, { caseId });
  return view;
}

/** Whether a case with this id exists (a cheap primary-key look-up). */
export async function caseExists(caseId: string): Promise<boolean> {
  return (await Case.findByPk(caseId, { attributes: ['id'] })) !== null;
}
