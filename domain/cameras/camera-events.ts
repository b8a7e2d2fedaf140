import { Op, type WhereOptions } from 'sequelize';
import { CameraDevice, CameraEvent, Case, EventType } from '../../db/models/index.js';
import { decodeTimeKey, encodeTimeKey } from '../shared/cursor.js';
import { allOf, cappedTotal, COUNT_CAP, NEWEST_FIRST, olderThan, through, type TotalCount } from '../shared/paging.js';

/** Camera events by when they were received; by camera through (device_id, created_at), all through (created_at) (0013). */
export interface CameraEventFilter {
  /** camera code */
  camera?: string;
  caseId?: string;
  from?: Date;
  to?: Date;
  after?: string;
  pageSize?: number;
}

export interface CameraEventItem {
  id: string;
  cameraCode: string | null;
  eventId: string;
  eventTypeCode: string | null;
  caseId: string;
  caseNo: string | null;
  outcome: string;
  confidence: number;
  capturedAt: string;
  snapshotUrl: string | null;
  receivedAt: string;
}

export interface CameraEventPage extends Partial<TotalCount> {
  items: CameraEventItem[];
  next: string | null;
}

const CURSOR = 'camera-events';

/** The accepted AI-camera events, newest first, one page after the `after` cursor. */
export async function listCameraEvents(filter: CameraEventFilter): Promise<CameraEventPage> {
  const after = filter.after !== undefined ? decodeTimeKey(CURSOR, filter.after) : null;
  const pageSize = filter.pageSize ?? 50;
  let deviceId: number | undefined;
  if (filter.camera) {
    const device = await CameraDevice.findOne({ where: { code: filter.camera }, attributes: ['id'] });
    if (!device) return { items: [], next: null, ...(after ? {} : cappedTotal(0)) };
    deviceId = device.id;
  }
  const where = allOf(
    deviceId !== undefined ? { deviceId } : null,
    filter.caseId ? { caseId: filter.caseId } : null,
    filter.from ? { createdAt: { [Op.gte]: filter.from } } : null,
    filter.to ? { createdAt: { [Op.lt]: filter.to } } : null,
  ) as WhereOptions<CameraEvent>;
  // a case's events are few: its (case_id) index and a small sort; otherwise the camera's or the global newest-first index
  const index = filter.caseId ? null : deviceId !== undefined ? 'camera_events_device_created_at_idx' : 'camera_events_created_at_idx';
  const [rows, counted] = await Promise.all([
    CameraEvent.findAll({ where: allOf(where, after ? olderThan(after) : null) as WhereOptions<CameraEvent>, order: NEWEST_FIRST, limit: pageSize + 1, ...(index ? through(index) : {}) }),
    after ? null : CameraEvent.findAll({ where, attributes: ['id'], limit: COUNT_CAP + 1, raw: true }),
  ]);
  const page = rows.slice(0, pageSize);
  const distinct = <T>(values: T[]) => [...new Set(values)];
  const [devices, types, cases] = await Promise.all([
    CameraDevice.findAll({ where: { id: distinct(page.map((e) => e.deviceId)) }, attributes: ['id', 'code'] }),
    EventType.findAll({ where: { id: distinct(page.map((e) => e.eventTypeId)) }, attributes: ['id', 'code'] }),
    Case.findAll({ where: { id: distinct(page.map((e) => e.caseId)) }, attributes: ['id', 'caseNo'] }),
  ]);
  const deviceCode = new Map(devices.map((d) => [d.id, d.code]));
  const typeCode = new Map(types.map((t) => [t.id, t.code]));
  const caseNo = new Map(cases.map((c) => [c.id, c.caseNo]));
  const last = rows.length > pageSize ? rows[pageSize - 1]! : null;
  return {
    items: page.map((e) => ({
      id: e.id, cameraCode: deviceCode.get(e.deviceId) ?? null, eventId: e.eventId, eventTypeCode: typeCode.get(e.eventTypeId) ?? null, caseId: e.caseId,
      caseNo: caseNo.get(e.caseId) ?? null, outcome: e.outcome, confidence: e.confidence, capturedAt: e.capturedAt.toISOString(), snapshotUrl: e.snapshotUrl,
      receivedAt: e.createdAt.toISOString(),
    })),
    next: last ? encodeTimeKey(CURSOR, { at: last.createdAt, id: last.id }) : null,
    ...(counted ? cappedTotal(counted.length) : {}),
  };
}
