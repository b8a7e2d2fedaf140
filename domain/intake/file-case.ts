import { randomBytes } from 'node:crypto';
import { Op } from 'sequelize';
import { Case, CaseInstance, EventType, Grid, InboxTask } from '../../db/models/index.js';
import type { Channel } from '../../db/models/cases.js';
import { PortError, type WorkflowEngine } from '../../port/workflow-engine.js';
import { boundingBox, haversineMetres } from '../dedup/haversine.js';
import { noteOnCase } from '../cases/case-actions.js';
import { processIdForCategory } from '../cases/process-for-category.js';
import { DomainError } from '../shared/errors.js';

/** Every channel files the same case; the API decides the channel from the route and the caller's role. */
export interface CaseReport {
  channel: Channel;
  description: string;
  reporterName?: string | null;
  reporterPhone?: string | null;
  reporterUserId?: number | null;
  /** who filed it, for the audit log (`public` for 随手拍) */
  filedBy?: { actor: string; role: string | null };
  lat?: number | null;
  lng?: number | null;
  address?: string | null;
  gridCode?: string | null;
  eventTypeCode?: string | null;
  priority?: number;
}

export interface FiledCase {
  caseId: string;
  caseNo: string;
  trackingToken: string;
  status: string;
  processInstanceKey: string;
}

/** Leaders' 交办 start high. */
export const LEADER_PRIORITY = 90;
/** a point further than this from every grid centre is not placed in a grid */
const GRID_RADIUS_M = 5_000;

/** The nearest grid centre within 5 km of the point, or null. */
export async function gridNear(lat: number, lng: number): Promise<Grid | null> {
  const box = boundingBox({ lat, lng }, GRID_RADIUS_M);
  const grids = await Grid.findAll({ where: { centroidLat: { [Op.between]: [box.minLat, box.maxLat] }, centroidLng: { [Op.between]: [box.minLng, box.maxLng] } } });
  let best: Grid | null = null;
  let bestD = Infinity;
  for (const g of grids) {
    const d = haversineMetres({ lat, lng }, { lat: g.centroidLat, lng: g.centroidLng });
    if (d < bestD && d <= GRID_RADIUS_M) [best, bestD] = [g, d];
  }
  return best;
}

async function nextCaseNo(now: Date): Promise<string> {
  const local = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
  const prefix = `ZY${local}-`;
  const n = await Case.count({ where: { caseNo: { [Op.like]: `${prefix}%` } } });
  return `${prefix}${String(n + 1).padStart(4, '0')}`;
}

/**
 * Files a case: checks the references, writes the `cases` row, starts its process through the port
 * and records the instance. If the engine refuses, the row is removed again (no half-filed case).
 */
export async function fileCase(port: WorkflowEngine, report: CaseReport, now = new Date()): Promise<FiledCase> {
  if ((report.lat == null) !== (report.lng == null)) throw new DomainError('INVALID_ARGUMENT', 'lat and lng go together', { apiCode: 'bad_location' });
  if (report.lat == null && !report.address?.trim() && !report.gridCode) throw new DomainError('INVALID_ARGUMENT', 'coordinates, address or grid needed', { apiCode: 'location_required' });
  const eventType = report.eventTypeCode ? await EventType.findOne({ where: { code: report.eventTypeCode } }) : null;
  if (report.eventTypeCode && !eventType) throw new DomainError('INVALID_ARGUMENT', `unknown event type ${report.eventTypeCode}`, { apiCode: 'unknown_event_type' });
  let grid = report.gridCode ? await Grid.findOne({ where: { code: report.gridCode } }) : null;
  if (report.gridCode && !grid) throw new DomainError('INVALID_ARGUMENT', `unknown grid ${report.gridCode}`, { apiCode: 'unknown_grid' });
  if (!grid && report.lat != null && report.lng != null) grid = await gridNear(report.lat, report.lng);

  // the category's process when the type is known (grid workers, AI cameras); unclassified reports run the generic loop
  const processId = processIdForCategory(eventType?.category ?? null, { extraStages: eventType?.extraStages?.map((stage) => stage.name) ?? null });
  let row: Case | null = null;
  for (let attempt = 0; !row; attempt++) {
    try {
      row = await Case.create({
        caseNo: await nextCaseNo(now), channel: report.channel, reporterName: report.reporterName ?? null, reporterPhone: report.reporterPhone ?? null,
        reporterUserId: report.reporterUserId ?? null, trackingToken: randomBytes(18).toString('base64url'), description: report.description,
        eventTypeId: eventType?.id ?? null, category: eventType?.category ?? null, lng: report.lng ?? null, lat: report.lat ?? null,
        address: report.address ?? null, gridId: grid?.id ?? null, townshipId: grid?.townshipId ?? null, status: 'reported',
        priority: report.priority ?? (report.channel === 'leader' ? LEADER_PRIORITY : 50), unitId: null,
        acceptDueAt: null, dispatchDueAt: null, handleDueAt: null, verifyDueAt: null, dueAt: null,
        processInstanceKey: null, processId, mergedIntoId: null, satisfaction: null,
        acceptedAt: null, dispatchedAt: null, handledAt: null, closedAt: null,
      });
    } catch (err) {
      // two filings took the same number: take the next one
      if ((err as Error).name !== 'SequelizeUniqueConstraintError' || attempt >= 5) throw err;
    }
  }
  let processInstanceKey: string;
  try {
    ({ processInstanceKey } = await port.createInstance({
      bpmnProcessId: processId,
      variables: {
        caseId: row.id, caseNo: row.caseNo, channel: row.channel, eventTypeCode: eventType?.code ?? null,
        description: row.description, gridCode: grid?.code ?? null, priority: row.priority,
      },
    }));
  } catch (err) {
    await row.destroy();
    // a process that is not deployed is the server's problem, not the reporter's
    if (err instanceof PortError && err.code === 'NOT_FOUND') throw new PortError('UNAVAILABLE', err.message);
    throw err;
  }
  await rememberInstance(processInstanceKey, row.id);
  await row.update({ processInstanceKey });
  await noteOnCase(row.id, 'reported', { actor: report.filedBy?.actor ?? 'public', actorRole: report.filedBy?.role ?? null, dedupKey: `case-reported:${row.id}`, at: now },
    { channel: row.channel, processId, processInstanceKey, priority: row.priority });
  return { caseId: row.id, caseNo: row.caseNo, trackingToken: row.trackingToken, status: row.status, processInstanceKey };
}

/** Records instance → case and gives tasks that arrived before the mapping their case. */
export async function rememberInstance(processInstanceKey: string, caseId: string): Promise<void> {
  // no findOrCreate: its transaction holds SQLite's write lock while the workers write
  if (!(await CaseInstance.findByPk(processInstanceKey))) {
    try {
      await CaseInstance.create({ processInstanceKey, caseId });
    } catch (err) {
      if ((err as Error).name !== 'SequelizeUniqueConstraintError') throw err;
    }
  }
  await InboxTask.update({ caseId }, { where: { processInstanceKey, caseId: null } });
}
