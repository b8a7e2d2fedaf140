import { loadDemoData } from '../../db/demo/load-demo.js';
import { type CaseStatus, type Channel } from '../../db/vocabulary.js';
import { BusinessCalendar } from '../../domain/calendar/index.js';
import { memoryLog } from '../../domain/shared/log.js';
import type { Job, Variables } from '../../port/workflow-engine.js';
import { freshDatabase } from './database.js';
import { AuditRecords, Cases, Evaluations, EventTypes, Grids, InboxTasks, OutboxMessages, type Row } from './tables.js';

export type Db = Awaited<ReturnType<typeof freshDatabase>>;

/** A fresh database holding the demo district (units, grids, 59 event types, one account per role). */
export async function demoDatabase(): Promise<Db> {
  const db = await freshDatabase();
  await loadDemoData(db.sql, 'Demo@2026');
  return db;
}

/** Monday 2026-03-02 09:00 in Beijing: a working morning, where the calendar arithmetic is easy to check. */
export const MONDAY_0900 = new Date('2026-03-02T01:00:00Z');

let serial = 0;

export interface CaseSpec {
  status?: CaseStatus;
  channel?: Channel;
  eventTypeCode?: string | null;
  gridCode?: string | null;
  description?: string;
  lat?: number | null;
  lng?: number | null;
  createdAt?: Date;
  reporterPhone?: string | null;
  unitId?: number | null;
  fields?: Partial<Row<'cases'>>;
}

/** A case as the API would file it; the grid puts it in a township and at the grid's centre unless told otherwise. */
export async function createCase(spec: CaseSpec = {}): Promise<Row<'cases'>> {
  serial++;
  const eventType = spec.eventTypeCode ? await EventTypes.findOne({ where: { code: spec.eventTypeCode } }) : null;
  if (spec.eventTypeCode && !eventType) throw new Error(`no event type ${spec.eventTypeCode}`);
  const grid = spec.gridCode ? await Grids.findOne({ where: { code: spec.gridCode } }) : null;
  if (spec.gridCode && !grid) throw new Error(`no grid ${spec.gridCode}`);
  const tag = `${process.pid}-${Date.now().toString(36)}-${serial}`;
  return Cases.create({
    caseNo: `T${tag}`,
    channel: spec.channel ?? 'hotline',
    reporterName: '王先生',
    reporterPhone: spec.reporterPhone === undefined ? '13800000001' : spec.reporterPhone,
    reporterUserId: null,
    trackingToken: `tok-${tag}`,
    description: spec.description ?? '路边有暴露垃圾',
    eventTypeId: eventType?.id ?? null,
    category: eventType?.category ?? null,
    lng: spec.lng !== undefined ? spec.lng : (grid?.centroidLng ?? null),
    lat: spec.lat !== undefined ? spec.lat : (grid?.centroidLat ?? null),
    address: null,
    gridId: grid?.id ?? null,
    townshipId: grid?.townshipId ?? null,
    status: spec.status ?? 'reported',
    unitId: spec.unitId ?? null,
    acceptDueAt: null,
    dispatchDueAt: null,
    handleDueAt: null,
    verifyDueAt: null,
    dueAt: null,
    processInstanceKey: null,
    processId: null,
    mergedIntoId: null,
    satisfaction: null,
    acceptedAt: null,
    dispatchedAt: null,
    handledAt: null,
    closedAt: null,
    ...(spec.createdAt ? { createdAt: spec.createdAt } : {}),
    ...spec.fields,
  });
}

let jobSerial = 0;

/** A job as an engine would hand it to a worker. */
export function makeJob(type: string, variables: Variables, customHeaders: Record<string, string> = {}, key?: string): Job {
  jobSerial++;
  return {
    key: key ?? String(2251799813685000 + jobSerial),
    type,
    processInstanceKey: '2251799813600001',
    bpmnProcessId: 'case-generic',
    processDefinitionKey: '2251799813500001',
    elementId: `${type}-task`,
    elementInstanceKey: String(2251799813700000 + jobSerial),
    customHeaders,
    retries: 3,
    variables,
  };
}

/** Worker deps on a test clock that tests move by hand. */
export function testDeps(start: Date = MONDAY_0900) {
  const clock = { now: new Date(start) };
  const log = memoryLog();
  return {
    clock,
    log,
    deps: { calendar: new BusinessCalendar(), now: () => new Date(clock.now), log },
  };
}

/**
 * What a job can change, for "delivered twice changes nothing the second time": the case row
 * (without updatedAt), and how many audit records, outbox messages and evaluations exist.
 */
export async function worldSnapshot(caseId: string): Promise<Record<string, unknown>> {
  const c = await Cases.findByPk(caseId);
  const { updatedAt: _ignored, ...row } = c ?? { updatedAt: null };
  return {
    case: row,
    audit: await AuditRecords.count(),
    outbox: await OutboxMessages.count(),
    evaluations: await Evaluations.count(),
    tasks: (await InboxTasks.findAll({ where: { caseId }, order: [['id', 'ASC']] })).map((t) => t.warningLight),
  };
}
