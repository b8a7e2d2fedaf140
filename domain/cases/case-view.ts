import { appSql, type Tx } from '../../db/sql/current.js';
import { DomainError } from '../shared/errors.js';
import {
  readCaseRecord,
  readEventTypeRecord,
  readGridRecord,
  readUnitRecord,
  type CaseRecord,
  type EventTypeRecord,
  type GridRecord,
  type UnitRecord,
} from './case-records.js';

/** A case with what most decisions about it need: its event type, unit, grid and township. */
export interface CaseView {
  case: CaseRecord;
  eventType: EventTypeRecord | null;
  unit: UnitRecord | null;
  grid: GridRecord | null;
  /** the grid's township, else the case's own townshipId */
  township: UnitRecord | null;
}

/** Case ids travel as decimal strings (BIGINT); anything else is not an id. */
export function parseCaseId(value: unknown): string | null {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return String(value);
  if (typeof value === 'string' && /^[1-9]\d{0,18}$/.test(value.trim())) return value.trim();
  return null;
}

export async function findCaseView(caseId: string, transaction?: Tx): Promise<CaseView | null> {
  const found = await readCaseRecord(caseId, transaction);
  if (!found) return null;
  const [eventType, unit, grid] = await Promise.all([
    found.eventTypeId ? readEventTypeRecord({ id: found.eventTypeId }, transaction) : null,
    found.unitId ? readUnitRecord(found.unitId, transaction) : null,
    found.gridId ? readGridRecord(found.gridId, transaction) : null,
  ]);
  const townshipId = grid?.townshipId ?? found.townshipId;
  const township = townshipId ? await readUnitRecord(townshipId, transaction) : null;
  return { case: found, eventType, unit, grid, township };
}

export async function getCaseView(caseId: string, transaction?: Tx): Promise<CaseView> {
  const view = await findCaseView(caseId, transaction);
  if (!view) throw new DomainError('NOT_FOUND', `case ${caseId} not found`, { caseId });
  return view;
}

/** Whether a case with this id exists (a cheap primary-key look-up). */
export async function caseExists(caseId: string): Promise<boolean> {
  return (await appSql().selectFrom('cases').select('id').where('id', '=', caseId).executeTakeFirst()) !== undefined;
}
