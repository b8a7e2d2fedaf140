import { randomBytes } from 'node:crypto';
import { sql, type Insertable } from 'kysely';
import { uniqueViolation } from '../../db/sql/constraint-errors.js';
import { appDialect, appSql, type Tx } from '../../db/sql/current.js';
import type { CasesTable, CaseInstancesTable } from '../../db/sql/schema.js';
import { type Channel, type ExtraStage } from '../../db/vocabulary.js';
import { PortError, type WorkflowEngine } from '../../port/workflow-engine.js';
import { gridNear, type PlacedGrid } from './nearest-grid.js';
import { requirePlausibleLocation } from './plausible-location.js';
import { withAuditChain, type AuditChain, type AuditInput } from '../audit/index.js';
import { rememberCaseOf } from '../history/known-instances.js';
import { ChainBatch } from './chain-batch.js';
import { intakeCrashPoint } from './crash-points.js';
import { rememberInstance } from '../cases/case-instances.js';
import { processIdForCategory } from '../cases/process-for-category.js';
import { DomainError } from '../shared/errors.js';
import { localDay } from '../shared/local-time.js';

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
/**
 * Case numbers per local day: the last one is read once (through the unique index) and then counted on
 * in memory, so concurrent filings in this process never take the same number (counting rows gave 50
 * concurrent filings one number, and most failed after five retries); a collision with another process
 * makes the retry re-read.
 */
const lastNumber = new Map<string, number>();
async function nextCaseNo(now: Date, reread = false): Promise<string> {
  const local = localDay(now).replaceAll('-', '');
  const prefix = `ZY${local}-`;
  if (reread || !lastNumber.has(prefix)) {
    // the day's highest number as a number (past 9999 the numbers grow a digit, and '…-9999' sorts after
    // '…-10000' as text), over the day's range of the case_no index ('.' is the character after '-')
    const row = await appSql()
      .selectFrom('cases')
      .select(
        sql<unknown>`MAX(CAST(SUBSTR(${sql.ref('caseNo')}, ${prefix.length + 1}) AS ${sql.raw(appDialect() === 'sqlite' ? 'INTEGER' : 'UNSIGNED')}))`.as('n'),
      )
      .where('caseNo', '>=', prefix)
      .where('caseNo', '<', `${prefix.slice(0, -1)}.`)
      .executeTakeFirst();
    const n = Number(row?.n ?? 0) || 0;
    lastNumber.clear(); // only today's counter is kept
    lastNumber.set(prefix, Math.max(n, lastNumber.get(prefix) ?? 0));
  }
  const next = lastNumber.get(prefix)! + 1;
  lastNumber.set(prefix, next);
  return `${prefix}${String(next).padStart(4, '0')}`;
}

/** What filing needs beyond the report: the reporter's Idempotency-Key (hashed with its scope), if any. */
export interface FilingOptions {
  /** a retry after a crash with the same key finds the first case by it (cases.intake_key) */
  intakeKey?: string | null;
}

/**
 * Files a case in three steps, each its own transaction (the engine keeps its own store, on SQLite its own
 * file): (1) the `cases` row with its intake intent, (2) the process instance, started under the reference
 * `intake:<case id>`, (3) the instance key, the instance → case mapping and the 'reported' audit record,
 * which clear the intent. A crash between the steps leaves the intent, and resumeInterruptedFilings (at
 * start) finishes the filing: the engine answers the instance already started under the reference instead
 * of a second one. If the engine refuses, the row is removed again (no half-filed case).
 *
 * Steps (1) and (3) of the filings under way at once share one audit-chain job each (ChainBatch).
 */
export async function fileCase(port: WorkflowEngine, report: CaseReport, now = new Date(), options: FilingOptions = {}): Promise<FiledCase> {
  if ((report.lat == null) !== (report.lng == null)) throw new DomainError('INVALID_ARGUMENT', 'lat and lng go together', { apiCode: 'bad_location' });
  if (report.lat == null && !report.address?.trim() && !report.gridCode)
    throw new DomainError('INVALID_ARGUMENT', 'coordinates, address or grid needed', { apiCode: 'location_required' });
  // (0, 0) or far outside the district: refused here, where every channel passes, before anything is written
  await requirePlausibleLocation(report.lat, report.lng);
  const eventType = report.eventTypeCode ? await eventTypeByCode(report.eventTypeCode) : null;
  // a retired type (enabled: false in the catalogue) takes no new cases, whichever channel names it
  if (report.eventTypeCode && (!eventType || !eventType.active))
    throw new DomainError('INVALID_ARGUMENT', `unknown event type ${report.eventTypeCode}`, { apiCode: 'unknown_event_type' });
  // a grid switched off in the registry takes no new cases (it stays on the old ones)
  let grid: PlacedGrid | null = report.gridCode
    ? ((await appSql()
        .selectFrom('grids')
        .select(['id', 'code', 'townshipId'])
        .where('code', '=', report.gridCode)
        .where('active', '=', true)
        .executeTakeFirst()) ?? null)
    : null;
  if (report.gridCode && !grid) throw new DomainError('INVALID_ARGUMENT', `unknown grid ${report.gridCode}`, { apiCode: 'unknown_grid' });
  if (!grid && report.lat != null && report.lng != null) grid = await gridNear(report.lat, report.lng);

  const intakeKey = options.intakeKey ?? null;
  if (intakeKey) {
    // the reporter's retry of a filing that a crash interrupted (or that another process still files)
    const earlier = await interruptedFiling({ intakeKey });
    if (earlier) return finishFiling(port, earlier);
  }

  // the category's process when the type is known (grid workers, AI cameras); unclassified reports run the generic loop
  const processId = processIdForCategory(eventType?.category ?? null, { extraStages: eventType?.extraStages?.map((stage) => stage.name) ?? null });
  const filedBy = { actor: report.filedBy?.actor ?? 'public', role: report.filedBy?.role ?? null };
  const priority = report.priority ?? (report.channel === 'leader' ? LEADER_PRIORITY : 50);
  const row: CaseRow = {
    channel: report.channel,
    reporterName: report.reporterName ?? null,
    reporterPhone: report.reporterPhone ?? null,
    reporterUserId: report.reporterUserId ?? null,
    trackingToken: randomBytes(18).toString('base64url'),
    description: report.description,
    eventTypeId: eventType?.id ?? null,
    category: eventType?.category ?? null,
    lng: report.lng ?? null,
    lat: report.lat ?? null,
    address: report.address ?? null,
    gridId: grid?.id ?? null,
    townshipId: grid?.townshipId ?? null,
    status: 'reported',
    priority,
    processId,
    intakeIntent: JSON.stringify({ actor: filedBy.actor.slice(0, 100), role: filedBy.role }),
    intakeKey,
  };
  let filed: { id: string; caseNo: string };
  try {
    filed = await newCaseRows.run({ row, now });
  } catch (err) {
    // the same Idempotency-Key filed at the same moment by another request (or process): that case it is
    const earlier = intakeKey && uniqueViolation(err) ? await interruptedFiling({ intakeKey }) : null;
    if (earlier) return finishFiling(port, earlier);
    throw err;
  }
  intakeCrashPoint('row-committed');
  const caseId = filed.id;
  let processInstanceKey: string;
  try {
    ({ processInstanceKey } = await port.createInstance({
      bpmnProcessId: processId,
      variables: {
        caseId,
        caseNo: filed.caseNo,
        channel: report.channel,
        eventTypeCode: eventType?.code ?? null,
        description: report.description,
        gridCode: grid?.code ?? null,
        priority,
      },
      startReference: startReferenceOf(caseId),
    }));
  } catch (err) {
    await appSql().deleteFrom('cases').where('id', '=', caseId).execute();
    // a process that is not deployed is the server's problem, not the reporter's
    if (err instanceof PortError && err.code === 'NOT_FOUND') throw new PortError('UNAVAILABLE', err.message);
    throw err;
  }
  rememberCaseOf(processInstanceKey, caseId);
  intakeCrashPoint('instance-started');
  await filingRecords.run({
    caseId,
    processInstanceKey,
    audit: {
      caseId,
      actor: filedBy.actor,
      actorRole: filedBy.role,
      action: 'reported',
      detail: { channel: report.channel, processId, processInstanceKey, priority },
      dedupKey: `case-reported:${caseId}`,
      at: now,
    },
  });
  intakeCrashPoint('filing-recorded');
  return { caseId, caseNo: filed.caseNo, trackingToken: row.trackingToken, status: 'reported', processInstanceKey };
}

/** The engine's name for a case's own instance: a restarted filing finds the instance started before the crash by it. */
export const startReferenceOf = (caseId: string) => `intake:${caseId}`;

/** What filing needs of the event type named; extra_stages is JSON kept in TEXT. */
async function eventTypeByCode(
  code: string,
): Promise<{ id: number; code: string; category: string; active: boolean; extraStages: ExtraStage[] | null } | null> {
  const row = await appSql().selectFrom('event_types').select(['id', 'code', 'category', 'active', 'extraStages']).where('code', '=', code).executeTakeFirst();
  return row ? { ...row, extraStages: row.extraStages === null ? null : (JSON.parse(row.extraStages) as ExtraStage[]) } : null;
}

// ───────────── step 1: the cases rows of the filings under way, one INSERT per batch

/** a case row as intake writes it: everything but its number and times */
type CaseRow = Omit<Insertable<CasesTable>, 'caseNo' | 'createdAt' | 'updatedAt'> & { trackingToken: string };

interface NewCase {
  row: CaseRow;
  now: Date;
}

/** most rows per INSERT: well under both databases' limits on bound values (SQLite 32,766; MySQL 65,535) */
const ROWS_PER_STATEMENT = 250;
function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let from = 0; from < rows.length; from += ROWS_PER_STATEMENT) out.push(rows.slice(from, from + ROWS_PER_STATEMENT));
  return out;
}

async function insertCases(items: NewCase[], transaction: Tx, reread: boolean): Promise<Array<{ id: string; caseNo: string }>> {
  const db = appSql(transaction);
  const at = new Date();
  const rows: Array<Insertable<CasesTable> & { caseNo: string }> = [];
  for (const [i, { row, now }] of items.entries()) {
    rows.push({ caseNo: await nextCaseNo(now, reread && i === 0), ...row, createdAt: at, updatedAt: at });
  }
  if (rows.length === 1) {
    const inserted = await db.insertInto('cases').values(rows[0]!).executeTakeFirstOrThrow();
    return [{ id: String(inserted.insertId), caseNo: rows[0]!.caseNo }];
  }
  for (const chunk of chunks(rows)) await db.insertInto('cases').values(chunk).execute();
  // the ids back through the unique case number (a multi-row INSERT reports one id)
  const ids = new Map(
    (
      await db
        .selectFrom('cases')
        .select(['id', 'caseNo'])
        .where(
          'caseNo',
          'in',
          rows.map((r) => r.caseNo),
        )
        .execute()
    ).map((r) => [r.caseNo, r.id]),
  );
  return rows.map((r) => {
    const id = ids.get(r.caseNo);
    if (id === undefined) throw new Error(`intake: case ${r.caseNo} not found right after its INSERT`);
    return { id, caseNo: r.caseNo };
  });
}

const newCaseRows = new ChainBatch<NewCase, { id: string; caseNo: string }>(
  // written in the audit chain's group commit rather than on its own: on SQLite a lone write
  // waits (busy handler) for the chain's transaction anyway, and a commit of its own costs more
  (items, { transaction }) => insertCases(items, transaction, false),
  async (item) => {
    for (let attempt = 0; ; attempt++) {
      try {
        // its batch failed, most likely on a number another process took: the day's numbers are read again
        return (await withAuditChain(({ transaction }) => insertCases([item], transaction, true)))[0]!;
      } catch (err) {
        // two filings took the same number (another process files too): take the next one
        const taken = uniqueViolation(err);
        if (!taken || attempt >= 5 || taken.column?.includes('intake_key')) throw err;
      }
    }
  },
);

// ───────────── step 3: instance keys, mappings and 'reported' records of a batch

interface FilingRecord {
  caseId: string;
  processInstanceKey: string;
  audit: AuditInput;
}

/**
 * Not through changeCase: the cases were created a moment ago by these calls and only they know their
 * instances, so there is nothing to reload, lock or look up (the dedup keys are new). Tasks that arrived
 * before the mapping get their case here too.
 */
async function recordFilings(items: FilingRecord[], chain: AuditChain): Promise<void[]> {
  const db = appSql(chain.transaction);
  const now = new Date();
  const mappings: Array<Insertable<CaseInstancesTable>> = items.map((f) => ({
    processInstanceKey: f.processInstanceKey,
    caseId: f.caseId,
    createdAt: now,
    updatedAt: now,
  }));
  for (const chunk of chunks(mappings)) {
    const insert = appDialect() === 'sqlite' ? db.insertInto('case_instances').orIgnore() : db.insertInto('case_instances').ignore();
    await insert.values(chunk).execute();
  }
  const keys = items.map((f) => f.processInstanceKey);
  await db
    .updateTable('inbox_tasks')
    .set((eb) => ({
      caseId: eb.selectFrom('case_instances as ci').select('ci.caseId').whereRef('ci.processInstanceKey', '=', 'inbox_tasks.processInstanceKey'),
      caseCreatedAt: eb
        .selectFrom('case_instances as ci')
        .innerJoin('cases as c', 'c.id', 'ci.caseId')
        .select('c.createdAt')
        .whereRef('ci.processInstanceKey', '=', 'inbox_tasks.processInstanceKey'),
      updatedAt: now,
    }))
    .where('processInstanceKey', 'in', keys)
    .where('caseId', 'is', null)
    .execute();
  await db
    .updateTable('cases')
    .set({
      processInstanceKey: sql<string>`CASE ${sql.ref('id')} ${sql.join(
        items.map((f) => sql`WHEN ${f.caseId} THEN ${f.processInstanceKey}`),
        sql` `,
      )} END`,
      intakeIntent: null,
      updatedAt: now,
    })
    .where(
      'id',
      'in',
      items.map((f) => f.caseId),
    )
    .execute();
  await chain.appendMany(
    items.map((f) => f.audit),
    { dedupChecked: true },
  );
  return items.map(() => undefined);
}

const filingRecords = new ChainBatch<FilingRecord, void>(recordFilings, async (item) => {
  await withAuditChain((chain) => recordFilings([item], chain));
});

// ───────────── finishing a filing that a crash interrupted

/** The row of a filing not finished yet (its intent still set), by case id or by the reporter's Idempotency-Key; with the codes its variables name. */
export interface InterruptedFiling {
  id: string;
  caseNo: string;
  trackingToken: string;
  status: string;
  channel: string;
  description: string;
  priority: number;
  processId: string | null;
  processInstanceKey: string | null;
  intakeIntent: string | null;
  createdAt: Date;
  eventTypeCode: string | null;
  gridCode: string | null;
}

const interrupted = () =>
  appSql()
    .selectFrom('cases as c')
    .leftJoin('event_types as e', 'e.id', 'c.eventTypeId')
    .leftJoin('grids as g', 'g.id', 'c.gridId')
    .select([
      'c.id',
      'c.caseNo',
      'c.trackingToken',
      'c.status',
      'c.channel',
      'c.description',
      'c.priority',
      'c.processId',
      'c.processInstanceKey',
      'c.intakeIntent',
      'c.createdAt',
      'e.code as eventTypeCode',
      'g.code as gridCode',
    ]);

async function interruptedFiling(by: { intakeKey: string }): Promise<InterruptedFiling | null> {
  return (await interrupted().where('c.intakeKey', '=', by.intakeKey).executeTakeFirst()) ?? null;
}

/** Filings whose intent is still set, created before `before`: those a crash interrupted. */
export async function interruptedFilings(before: Date, limit = 500): Promise<InterruptedFiling[]> {
  return interrupted().where('c.intakeIntent', 'is not', null).where('c.createdAt', '<', before).orderBy('c.id').limit(Math.trunc(limit)).execute();
}

/**
 * Finishes an interrupted filing (idempotent): starts its instance under the case's reference — the
 * engine answers the one started before the crash, if any — and records it as step (3) does. Whoever
 * finishes it first (the recovery at start, the reporter's retry) writes the records; the other finds the
 * intent gone and writes nothing.
 */
export async function finishFiling(port: WorkflowEngine, c: InterruptedFiling): Promise<FiledCase> {
  const caseId = String(c.id);
  const answer = (processInstanceKey: string): FiledCase => ({
    caseId,
    caseNo: c.caseNo,
    trackingToken: c.trackingToken,
    status: c.status,
    processInstanceKey,
  });
  if (!c.intakeIntent && c.processInstanceKey) return answer(c.processInstanceKey);
  const { processInstanceKey } = await port.createInstance({
    bpmnProcessId: c.processId!,
    variables: {
      caseId,
      caseNo: c.caseNo,
      channel: c.channel,
      eventTypeCode: c.eventTypeCode,
      description: c.description,
      gridCode: c.gridCode,
      priority: Number(c.priority),
    },
    startReference: startReferenceOf(caseId),
    reuseStarted: true,
  });
  const filedBy = JSON.parse(c.intakeIntent ?? '{}') as { actor?: string; role?: string | null };
  await withAuditChain(async (chain) => {
    const { transaction } = chain;
    // the intent is the claim: the first to clear it records the filing
    const claimed = await appSql(transaction)
      .updateTable('cases')
      .set({ processInstanceKey, intakeIntent: null, updatedAt: new Date() })
      .where('id', '=', caseId)
      .where('processInstanceKey', 'is', null)
      .executeTakeFirst();
    if (!Number(claimed.numUpdatedRows)) return;
    await rememberInstance(processInstanceKey, caseId, transaction);
    await chain.append({
      caseId,
      actor: filedBy.actor ?? 'public',
      actorRole: filedBy.role ?? null,
      action: 'reported',
      detail: { channel: c.channel, processId: c.processId, processInstanceKey, priority: Number(c.priority), resumed: true },
      dedupKey: `case-reported:${caseId}`,
      at: c.createdAt,
    });
  });
  return answer(processInstanceKey);
}
