import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import { appSql } from '../../db/sql/current.js';
import type { Actor } from '../auth/sessions.js';
import { readCase } from '../cases/case-detail.js';
import { readCaseRecord } from '../cases/case-records.js';
import {
  KIND_ORDER,
  actionEntry,
  auditEntryRecord,
  caseEventRecord,
  eventEntries,
  instancesOf,
  notificationEntry,
  type TimelineEntry,
} from './case-history.js';

/**
 * A case's timeline in caseHistory's order, read a batch at a time for the CSV export: the case's
 * engine events, audit records and notifications are each read by keyset on (time, id) and merged,
 * so a long-running case (years of reminders, a camera case with thousands of merged repeats) is
 * never in memory at once. Rows per read: a batch's rows are converted (dates, JSON), so a read stays a few ms.
 */
export const TIMELINE_BATCH = 200;

interface Cursor {
  at: Date;
  id: string;
}

/** rows after the cursor in (time, id) order: a later instant, or the same instant and a later id */
function after<DB, TB extends keyof DB>(eb: ExpressionBuilder<DB, TB>, attribute: 'at' | 'createdAt', cursor: Cursor): Expression<SqlBool> {
  const on = eb as unknown as ExpressionBuilder<Record<string, Record<string, unknown>>, string>;
  return on.or([on(attribute, '>', cursor.at), on.and([on(attribute, '=', cursor.at), on('id', '>', cursor.id)])]);
}

async function* keyset<T extends { id: string }>(
  read: (after: Cursor | null) => Promise<T[]>,
  timeOf: (row: T) => Date,
  batchSize: number,
): AsyncGenerator<T[]> {
  let cursor: Cursor | null = null;
  for (;;) {
    const rows = await read(cursor);
    if (rows.length) yield rows;
    if (rows.length < batchSize) return;
    const last = rows[rows.length - 1]!;
    cursor = { at: timeOf(last), id: last.id };
  }
}

/**
 * Engine events in (at, id) order as entries; within one instant every element entry comes before the
 * variables entries, as caseHistory sorts them, so the events of one instant are held until the next
 * instant starts (a handful: one batch can end in the middle of them).
 */
async function* engineEntries(instances: string[], batchSize: number): AsyncGenerator<TimelineEntry[]> {
  if (!instances.length) return;
  interface Instant {
    at: string;
    elements: TimelineEntry[];
    variables: TimelineEntry[];
  }
  const held: { instant: Instant | null } = { instant: null };
  const rows = keyset(
    (cursor) =>
      appSql()
        .selectFrom('case_events')
        .selectAll()
        .where('processInstanceKey', 'in', instances)
        .$if(cursor !== null, (w) => w.where((eb) => after(eb, 'at', cursor!)))
        .orderBy('at', 'asc')
        .orderBy('id', 'asc')
        .limit(batchSize)
        .execute()
        .then((rows) => rows.map(caseEventRecord)),
    (e) => e.at,
    batchSize,
  );
  for await (const batch of rows) {
    const out: TimelineEntry[] = [];
    for (const e of batch) {
      const { element, variables } = eventEntries(e);
      let instant = held.instant;
      if (instant?.at !== element.at) {
        if (instant) out.push(...instant.elements, ...instant.variables);
        held.instant = instant = { at: element.at, elements: [], variables: [] };
      }
      instant.elements.push(element);
      if (variables) instant.variables.push(variables);
    }
    if (out.length) yield out;
  }
  if (held.instant) yield [...held.instant.elements, ...held.instant.variables];
}

async function* actionEntries(caseId: string, batchSize: number): AsyncGenerator<TimelineEntry[]> {
  const rows = keyset(
    (cursor) =>
      appSql()
        .selectFrom('audit_log')
        .selectAll()
        .where('caseId', '=', caseId)
        .$if(cursor !== null, (w) => w.where((eb) => after(eb, 'createdAt', cursor!)))
        .orderBy('createdAt', 'asc')
        .orderBy('id', 'asc')
        .limit(batchSize)
        .execute()
        .then((rows) => rows.map(auditEntryRecord)),
    (a) => a.createdAt,
    batchSize,
  );
  for await (const batch of rows) yield batch.map(actionEntry);
}

async function* notificationEntries(actor: Actor, caseId: string, batchSize: number): AsyncGenerator<TimelineEntry[]> {
  const rows = keyset(
    (cursor) =>
      appSql()
        .selectFrom('notification_outbox')
        .selectAll()
        .where('caseId', '=', caseId)
        .$if(cursor !== null, (w) => w.where((eb) => after(eb, 'createdAt', cursor!)))
        .orderBy('createdAt', 'asc')
        .orderBy('id', 'asc')
        .limit(batchSize)
        .execute(),
    (m) => m.createdAt,
    batchSize,
  );
  for await (const batch of rows) yield batch.map((m) => notificationEntry(actor, m));
}

/** (instant, kind): the sources' kinds do not overlap, so no two sources ever tie */
const before = (a: TimelineEntry, b: TimelineEntry) => a.at < b.at || (a.at === b.at && KIND_ORDER[a.kind] < KIND_ORDER[b.kind]);

/** Merges sources that are each in timeline order; yields batches of `size`. Stopping early stops every source. */
export async function* mergeTimelines(sources: Array<AsyncGenerator<TimelineEntry[]>>, size: number): AsyncGenerator<TimelineEntry[]> {
  const heads = sources.map((source) => ({ source, batch: [] as TimelineEntry[], i: 0, done: false }));
  const refill = async (h: (typeof heads)[number]) => {
    while (!h.done && h.i >= h.batch.length) {
      const next = await h.source.next();
      if (next.done) h.done = true;
      else [h.batch, h.i] = [next.value, 0];
    }
  };
  try {
    for (const h of heads) await refill(h);
    let out: TimelineEntry[] = [];
    for (;;) {
      let best: (typeof heads)[number] | null = null;
      for (const h of heads) if (h.i < h.batch.length && (!best || before(h.batch[h.i]!, best.batch[best.i]!))) best = h;
      if (!best) break;
      out.push(best.batch[best.i++]!);
      if (best.i >= best.batch.length) await refill(best);
      if (out.length >= size) {
        yield out;
        out = [];
      }
    }
    if (out.length) yield out;
  } finally {
    await Promise.all(sources.map((s) => s.return(undefined)));
  }
}

export interface CaseTimelineStream {
  caseNo: string;
  batches: AsyncGenerator<TimelineEntry[]>;
}

/**
 * The case (visibility as GET /cases/:id: unknown or not yours is 404, thrown here before anything is
 * read) and its timeline as batches.
 */
export async function caseTimelineStream(actor: Actor, caseId: string, batchSize = TIMELINE_BATCH): Promise<CaseTimelineStream> {
  const detail = await readCase(actor, caseId);
  const c = (await readCaseRecord(detail.id))!;
  const instances = await instancesOf(c);
  return {
    caseNo: c.caseNo,
    batches: mergeTimelines([engineEntries(instances, batchSize), actionEntries(c.id, batchSize), notificationEntries(actor, c.id, batchSize)], batchSize),
  };
}
