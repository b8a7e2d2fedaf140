import { appSql, throughIndex } from '../../db/sql/current.js';
import { decodeTimeKey, encodeTimeKey } from '../shared/cursor.js';
import { cappedTotal, COUNT_CAP, type TotalCount } from '../shared/paging.js';

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
    const device = await appSql().selectFrom('camera_devices').select('id').where('code', '=', filter.camera).executeTakeFirst();
    if (!device) return { items: [], next: null, ...(after ? {} : cappedTotal(0)) };
    deviceId = device.id;
  }
  // a case's events are few: its (case_id) index and a small sort; otherwise the camera's or the global newest-first index
  const index = filter.caseId ? null : deviceId !== undefined ? 'camera_events_device_created_at_idx' : 'camera_events_created_at_idx';
  const matching = (table: 'camera_events') =>
    appSql()
      .selectFrom(table)
      .$if(deviceId !== undefined, (b) => b.where('deviceId', '=', deviceId!))
      .$if(!!filter.caseId, (b) => b.where('caseId', '=', filter.caseId!))
      .$if(!!filter.from, (b) => b.where('createdAt', '>=', filter.from!))
      .$if(!!filter.to, (b) => b.where('createdAt', '<', filter.to!));
  const [rows, counted] = await Promise.all([
    matching('camera_events')
      .selectAll()
      .$if(index !== null && index !== undefined, (b) => b.withPlugin(throughIndex(index!)))
      // after the cursor: the redundant <= bound gives both databases a range to seek to (domain/shared/keyset.ts, olderThanKey)
      .$if(after !== null, (b) => b.where('createdAt', '<=', after!.at).where((eb) => eb.or([eb('createdAt', '<', after!.at), eb('id', '<', after!.id)])))
      .orderBy('createdAt', 'desc')
      .orderBy('id', 'desc')
      .limit(pageSize + 1)
      .execute(),
    after
      ? null
      : matching('camera_events')
          .select('id')
          .limit(COUNT_CAP + 1)
          .execute(),
  ]);
  const page = rows.slice(0, pageSize);
  const distinct = <T>(values: T[]) => [...new Set(values)];
  const q = appSql();
  const [devices, types, cases] = page.length
    ? await Promise.all([
        q
          .selectFrom('camera_devices')
          .select(['id', 'code'])
          .where('id', 'in', distinct(page.map((e) => e.deviceId)))
          .execute(),
        q
          .selectFrom('event_types')
          .select(['id', 'code'])
          .where('id', 'in', distinct(page.map((e) => e.eventTypeId)))
          .execute(),
        q
          .selectFrom('cases')
          .select(['id', 'caseNo'])
          .where('id', 'in', distinct(page.map((e) => e.caseId)))
          .execute(),
      ])
    : [[], [], []];
  const deviceCode = new Map(devices.map((d) => [d.id, d.code]));
  const typeCode = new Map(types.map((t) => [t.id, t.code]));
  const caseNo = new Map(cases.map((c) => [c.id, c.caseNo]));
  const last = rows.length > pageSize ? rows[pageSize - 1]! : null;
  return {
    items: page.map((e) => ({
      id: e.id,
      cameraCode: deviceCode.get(e.deviceId) ?? null,
      eventId: e.eventId,
      eventTypeCode: typeCode.get(e.eventTypeId) ?? null,
      caseId: e.caseId,
      caseNo: caseNo.get(e.caseId) ?? null,
      outcome: e.outcome,
      confidence: e.confidence,
      capturedAt: e.capturedAt.toISOString(),
      snapshotUrl: e.snapshotUrl,
      receivedAt: e.createdAt.toISOString(),
    })),
    next: last ? encodeTimeKey(CURSOR, { at: last.createdAt, id: last.id }) : null,
    ...(counted ? cappedTotal(counted.length) : {}),
  };
}
