import { sql } from 'kysely';
import { type CaseStatus } from '../../db/vocabulary.js';
import { appSql, type Tx } from '../../db/sql/current.js';
import type { WorkflowEngine } from '../../port/workflow-engine.js';
import { withAuditChain, type AuditChain } from '../audit/index.js';
import { OPEN_STATUSES } from '../cases/transitions.js';
import { fileCase } from '../intake/file-case.js';
import { DomainError } from '../shared/errors.js';
import { SerialQueue } from '../shared/serial-queue.js';
import { findDevice, keyMatches, type CameraDevice } from './devices.js';

export interface CameraEventInput {
  eventId: string;
  eventTypeCode: string;
  confidence: number;
  capturedAt: string;
  snapshotUrl?: string | null;
}

export type EventOutcome = 'created' | 'merged' | 'duplicate' | 'refused';
export type RefusalCode = 'type_not_detected' | 'unknown_event_type' | 'low_confidence' | 'implausible_time';

/**
 * A capture time a camera can have given: at most CAPTURE_MAX_AGE_MS old (a device buffers events while
 * offline, for days, not years) and at most CAPTURE_MAX_AHEAD_MS ahead of our clock (skew). 1970 (an unset
 * clock) and 9999 are refused: a deadline or a statistic would count from them.
 */
export const CAPTURE_MAX_AGE_MS = 30 * 86_400_000;
export const CAPTURE_MAX_AHEAD_MS = 10 * 60_000;
const plausibleCapture = (capturedAt: string, now: Date) => {
  const t = Date.parse(capturedAt);
  return Number.isFinite(t) && t >= now.getTime() - CAPTURE_MAX_AGE_MS && t <= now.getTime() + CAPTURE_MAX_AHEAD_MS;
};

export interface EventResult {
  eventId: string;
  outcome: EventOutcome;
  caseId?: string;
  caseNo?: string;
  code?: RefusalCode;
}

/** Unknown device or wrong key look the same (401); a known, keyed but disabled device is told so (403). */
export async function authenticateDevice(deviceCode: string, apiKey: string | undefined): Promise<CameraDevice> {
  const device = await findDevice(deviceCode);
  if (!device || !apiKey || !keyMatches(apiKey, device.apiKeyHash))
    throw new DomainError('INVALID_ARGUMENT', 'unknown device or bad key', { apiCode: 'device_unauthorized', status: 401 });
  if (!device.enabled) throw new DomainError('INVALID_ARGUMENT', `device ${deviceCode} is disabled`, { apiCode: 'device_disabled', status: 403 });
  return device;
}

const OPEN = new Set<CaseStatus>(OPEN_STATUSES);

interface Target {
  caseId: string;
  caseNo: string;
  linkId: string;
  created: boolean;
}

/**
 * The open case a device's events of one type feed, or null. Looked up in the database on every batch —
 * one indexed read of `camera_cases` (device, type, newest first) and one primary-key read of the case —
 * rather than kept in an in-process map: cases close (and get merged by 并单) in the workers, in other
 * API processes and on Camunda, so a cache would need invalidation hooks in every place a case changes,
 * and a stale entry would merge events into a closed case. Two indexed reads per type per batch cost
 * nothing next to a batch of hundreds of events, so the repeat path stays cheap without that risk.
 * A case merged into another (并单) is followed to the case that absorbed it, and the link moves there.
 */
async function openCase(deviceId: number, eventTypeId: number, now: Date): Promise<Target | null> {
  const q = appSql();
  const link = await q
    .selectFrom('camera_cases')
    .select(['id', 'caseId'])
    .where('deviceId', '=', deviceId)
    .where('eventTypeId', '=', eventTypeId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!link) return null;
  const caseById = (id: string) => q.selectFrom('cases').select(['id', 'caseNo', 'status', 'mergedIntoId']).where('id', '=', id).executeTakeFirst();
  let c = await caseById(link.caseId);
  for (let hops = 0; c && c.status === 'merged' && c.mergedIntoId && hops < 5; hops++) c = await caseById(c.mergedIntoId);
  if (!c || !OPEN.has(c.status as CaseStatus)) return null;
  if (c.id === link.caseId) return { caseId: c.id, caseNo: c.caseNo, linkId: link.id, created: false };
  const moved = await insertLink(deviceId, eventTypeId, c.id, now);
  return { caseId: c.id, caseNo: c.caseNo, linkId: moved, created: false };
}

async function insertLink(deviceId: number, eventTypeId: number, caseId: string, now: Date): Promise<string> {
  const at = new Date();
  const inserted = await appSql()
    .insertInto('camera_cases')
    .values({ deviceId, eventTypeId, caseId, repeatCount: 0, lastEventAt: now, createdAt: at, updatedAt: at })
    .executeTakeFirstOrThrow();
  return String(inserted.insertId);
}

/**
 * New camera cases are filed one at a time: fileCase numbers cases by counting the day's rows, so
 * cameras filing at the same moment would take the same number and fail after its retries.
 */
const filing = new SerialQueue();

/** Batches of one device run one after another in this process: two batches cannot both open a case for one type. */
const queues = new Map<number, SerialQueue>();
function queueOf(deviceId: number): SerialQueue {
  let q = queues.get(deviceId);
  if (!q) queues.set(deviceId, (q = new SerialQueue()));
  return q;
}

/**
 * Takes a batch of one device's events. Per event: an eventId seen before (stored, or earlier in the
 * batch) is a `duplicate` answered with its case; a type the device does not detect, a type gone from
 * the catalogue, or a confidence under the threshold is `refused` with a code; the rest go to the open
 * case of the device and type (`merged`, counted on the case as repeats) or, when there is none, the
 * first of them files a new `ai_camera` case placed where the registry says the camera is (`created`).
 * Accepted events, the repeat counts, the device's last-seen time and one audit record per case are
 * written in one transaction.
 */
export function ingestCameraEvents(
  port: WorkflowEngine,
  device: CameraDevice,
  events: CameraEventInput[],
  options: { minConfidence: number; now?: Date },
): Promise<EventResult[]> {
  return queueOf(device.id).run(() => ingest(port, device, events, options.minConfidence, options.now ?? new Date()));
}

async function ingest(port: WorkflowEngine, device: CameraDevice, events: CameraEventInput[], minConfidence: number, now: Date): Promise<EventResult[]> {
  const results: Array<EventResult | undefined> = new Array(events.length);
  const ids = [...new Set(events.map((e) => e.eventId))];
  const q = appSql();
  const stored = ids.length
    ? await q.selectFrom('camera_events').select(['eventId', 'caseId']).where('deviceId', '=', device.id).where('eventId', 'in', ids).execute()
    : [];
  const storedCase = new Map(stored.map((s) => [s.eventId, s.caseId]));
  const caseNos = new Map<string, string>();
  if (stored.length) {
    for (const c of await q
      .selectFrom('cases')
      .select(['id', 'caseNo'])
      .where('id', 'in', [...new Set(stored.map((s) => s.caseId))])
      .execute())
      caseNos.set(c.id, c.caseNo);
  }
  const detects = new Set(device.eventTypeCodes ?? []);
  const wanted = [...new Set(events.map((e) => e.eventTypeCode).filter((c) => detects.has(c)))];
  const types = new Map(
    (wanted.length ? await q.selectFrom('event_types').select(['id', 'code', 'name']).where('code', 'in', wanted).execute() : []).map((t) => [t.code, t]),
  );

  const firstIndex = new Map<string, number>();
  const groups = new Map<number, number[]>();
  events.forEach((e, i) => {
    const first = firstIndex.get(e.eventId);
    if (first !== undefined) return; // resolved from the first one below
    firstIndex.set(e.eventId, i);
    const earlier = storedCase.get(e.eventId);
    if (earlier) {
      results[i] = { eventId: e.eventId, outcome: 'duplicate', caseId: earlier, ...(caseNos.has(earlier) ? { caseNo: caseNos.get(earlier)! } : {}) };
      return;
    }
    const type = types.get(e.eventTypeCode);
    if (!detects.has(e.eventTypeCode)) results[i] = { eventId: e.eventId, outcome: 'refused', code: 'type_not_detected' };
    else if (!type) results[i] = { eventId: e.eventId, outcome: 'refused', code: 'unknown_event_type' };
    else if (!(e.confidence >= minConfidence)) results[i] = { eventId: e.eventId, outcome: 'refused', code: 'low_confidence' };
    else if (!plausibleCapture(e.capturedAt, now)) results[i] = { eventId: e.eventId, outcome: 'refused', code: 'implausible_time' };
    else {
      const g = groups.get(type.id);
      if (g) g.push(i);
      else groups.set(type.id, [i]);
    }
  });

  const targets = new Map<number, Target>();
  let gridCode: string | null | undefined;
  for (const [typeId, indices] of groups) {
    let target = await openCase(device.id, typeId, now);
    if (!target) {
      const first = events[indices[0]!]!;
      const type = types.get(first.eventTypeCode)!;
      if (gridCode === undefined)
        gridCode =
          device.gridId !== null ? ((await q.selectFrom('grids').select('code').where('id', '=', device.gridId).executeTakeFirst())?.code ?? null) : null;
      const filed = await filing.run(() =>
        fileCase(
          port,
          {
            channel: 'ai_camera',
            description: `AI 摄像头「${device.name}」(${device.code}) 识别到「${type.name}」，置信度 ${first.confidence.toFixed(2)}`,
            lat: device.lat,
            lng: device.lng,
            address: device.address,
            gridCode,
            eventTypeCode: type.code,
            filedBy: { actor: `camera:${device.code}`, role: null },
          },
          now,
        ),
      );
      // the link and the first event at once: a batch that fails later is retried into this case, not a second one
      const link = await insertLink(device.id, typeId, filed.caseId, now);
      await insertEvents([eventRow(device.id, typeId, filed.caseId, 'created', first)]);
      target = { caseId: filed.caseId, caseNo: filed.caseNo, linkId: link, created: true };
    }
    targets.set(typeId, target);
    indices.forEach((i, n) => {
      results[i] = { eventId: events[i]!.eventId, outcome: target.created && n === 0 ? 'created' : 'merged', caseId: target.caseId, caseNo: target.caseNo };
    });
  }

  await commitTogether(async (chain) => {
    const { transaction } = chain;
    const q = appSql(transaction);
    const rows = [...groups].flatMap(([typeId, indices]) =>
      indices.filter((i) => results[i]!.outcome === 'merged').map((i) => eventRow(device.id, typeId, targets.get(typeId)!.caseId, 'merged', events[i]!)),
    );
    await insertEvents(rows, transaction);
    for (const [typeId, indices] of groups) {
      const target = targets.get(typeId)!;
      const repeats = indices.filter((i) => results[i]!.outcome === 'merged');
      if (repeats.length) {
        await q
          .updateTable('cases')
          .set({ duplicateCount: sql`duplicate_count + ${repeats.length}`, updatedAt: now })
          .where('id', '=', target.caseId)
          .execute();
        await q
          .updateTable('camera_cases')
          .set({ repeatCount: sql`repeat_count + ${repeats.length}`, lastEventAt: now, updatedAt: now })
          .where('id', '=', target.linkId)
          .execute();
      }
      const last = events[indices[indices.length - 1]!]!;
      await chain.append({
        caseId: target.caseId,
        actor: `camera:${device.code}`,
        actorRole: null,
        action: 'camera_events',
        at: now,
        detail: {
          deviceCode: device.code,
          eventTypeCode: last.eventTypeCode,
          created: target.created,
          repeats: repeats.length,
          eventIds: indices.slice(0, 20).map((i) => events[i]!.eventId),
          lastSnapshotUrl: last.snapshotUrl ?? null,
          maxConfidence: Math.max(...indices.map((i) => events[i]!.confidence)),
        },
      });
    }
    await q.updateTable('camera_devices').set({ lastSeenAt: now }).where('id', '=', device.id).execute();
  });

  // repeats of an eventId within the batch answer like their first occurrence
  return events.map((e, i) => {
    if (results[i]) return results[i]!;
    const first = results[firstIndex.get(e.eventId)!]!;
    return first.outcome === 'refused' ? first : { eventId: e.eventId, outcome: 'duplicate', caseId: first.caseId!, caseNo: first.caseNo! };
  });
}

type Write = (chain: AuditChain) => Promise<void>;
let pending: Array<{ write: Write; resolve: () => void; reject: (err: unknown) => void }> = [];
let flushing = false;

/**
 * Group commit: the writes of batches that become ready while another batch's transaction runs wait for
 * it and then share one transaction (one audit-chain turn, one commit) instead of one each. Under load
 * the transaction, not the work inside it, is what costs: on SQLite every transaction takes the write
 * lock on a connection of its own and syncs at commit, and the audit chain serialises them all. If a
 * shared transaction fails, each batch is tried again alone, so one batch's failure is not another's.
 */
function commitTogether(write: Write): Promise<void> {
  return new Promise((resolve, reject) => {
    pending.push({ write, resolve, reject });
    if (!flushing) void flush();
  });
}

async function flush(): Promise<void> {
  flushing = true;
  try {
    while (pending.length) {
      const group = pending;
      pending = [];
      try {
        await withAuditChain(async (chain) => {
          for (const p of group) await p.write(chain);
        });
        for (const p of group) p.resolve();
      } catch (err) {
        if (group.length === 1) group[0]!.reject(err);
        else {
          for (const p of group) {
            await withAuditChain((chain) => p.write(chain)).then(p.resolve, p.reject);
          }
        }
      }
    }
  } finally {
    flushing = false;
  }
}

/**
 * The accepted events of a batch in multi-row INSERTs: the repeat path's main cost is this write, and
 * `bulkCreate` builds and validates a model instance per row (a third of a batch's CPU when measured).
 */
async function insertEvents(rows: ReturnType<typeof eventRow>[], transaction?: Tx): Promise<void> {
  const created = new Date();
  // at most 250 rows a statement, well under both databases' bound-value limits
  for (let from = 0; from < rows.length; from += 250) {
    await appSql(transaction)
      .insertInto('camera_events')
      .values(rows.slice(from, from + 250).map((r) => ({ ...r, createdAt: created })))
      .execute();
  }
}

function eventRow(deviceId: number, eventTypeId: number, caseId: string, outcome: 'created' | 'merged', e: CameraEventInput) {
  return {
    deviceId,
    eventId: e.eventId,
    eventTypeId,
    caseId,
    outcome,
    confidence: e.confidence,
    capturedAt: new Date(e.capturedAt),
    snapshotUrl: e.snapshotUrl ?? null,
  };
}
