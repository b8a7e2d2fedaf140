import { randomBytes } from 'node:crypto';
import { QueryTypes, type Transaction } from 'sequelize';
import { Case, EventType, Grid } from '../../db/models/index.js';
import { deleteRows, insertRow, insertRows, sqlDate, updateRows, type Row } from '../../db/rows.js';
import { type Channel } from '../../db/vocabulary.js';
import { PortError, type WorkflowEngine } from '../../port/workflow-engine.js';
import { gridNear, type PlacedGrid } from './nearest-grid.js';
import { withAuditChain, type AuditChain, type AuditInput } from '../audit/index.js';
import { rememberCaseOf } from '../history/known-instances.js';
import { ChainBatch } from './chain-batch.js';
import { intakeCrashPoint } from './crash-points.js';
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
    const [row] = await Case.sequelize!.query<{ n: unknown }>(
      'SELECT MAX(CAST(SUBSTR(case_no, ?) AS UNSIGNED)) AS n FROM cases WHERE case_no >= ? AND case_no < ?'.replace('UNSIGNED', Case.sequelize!.getDialect() === 'sqlite' ? 'INTEGER' : 'UNSIGNED'),
      { type: QueryTypes.SELECT, replacements: [prefix.length + 1, prefix, `${prefix.slice(0, -1)}.`] },
    );
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
  if (report.lat == null && !report.address?.trim() && !report.gridCode) throw new DomainError('INVALID_ARGUMENT', 'coordinates, address or grid needed', { apiCode: 'location_required' });
  const eventType = report.eventTypeCode ? await EventType.findOne({ where: { code: report.eventTypeCode } }) : null;
  // a retired type (enabled: false in the catalogue) takes no new cases, whichever channel names it
  if (report.eventTypeCode && (!eventType || !eventType.active)) throw new DomainError('INVALID_ARGUMENT', `unknown event type ${report.eventTypeCode}`, { apiCode: 'unknown_event_type' });
  // a grid switched off in the registry takes no new cases (it stays on the old ones)
  let grid: PlacedGrid | null = report.gridCode ? await Grid.findOne({ where: { code: report.gridCode, active: true } }) : null;
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
  const sequelize = Case.sequelize!;
  const filedBy = { actor: report.filedBy?.actor ?? 'public', role: report.filedBy?.role ?? null };
  const row: Row = {
    channel: report.channel, reporter_name: report.reporterName ?? null, reporter_phone: report.reporterPhone ?? null,
    reporter_user_id: report.reporterUserId ?? null, tracking_token: randomBytes(18).toString('base64url'), description: report.description,
    event_type_id: eventType?.id ?? null, category: eventType?.category ?? null, lng: report.lng ?? null, lat: report.lat ?? null,
    address: report.address ?? null, grid_id: grid?.id ?? null, township_id: grid?.townshipId ?? null, status: 'reported',
    priority: report.priority ?? (report.channel === 'leader' ? LEADER_PRIORITY : 50), process_id: processId,
    intake_intent: JSON.stringify({ actor: filedBy.actor.slice(0, 100), role: filedBy.role }), intake_key: intakeKey,
  };
  let filed: { id: string; caseNo: string };
  try {
    filed = await newCaseRows.run({ row, now });
  } catch (err) {
    // the same Idempotency-Key filed at the same moment by another request (or process): that case it is
    const earlier = intakeKey && (err as Error).name === 'SequelizeUniqueConstraintError' ? await interruptedFiling({ intakeKey }) : null;
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
        caseId, caseNo: filed.caseNo, channel: report.channel, eventTypeCode: eventType?.code ?? null,
        description: report.description, gridCode: grid?.code ?? null, priority: row['priority'] as number,
      },
      startReference: startReferenceOf(caseId),
    }));
  } catch (err) {
    await deleteRows(sequelize, 'cases', { id: caseId });
    // a process that is not deployed is the server's problem, not the reporter's
    if (err instanceof PortError && err.code === 'NOT_FOUND') throw new PortError('UNAVAILABLE', err.message);
    throw err;
  }
  rememberCaseOf(processInstanceKey, caseId);
  intakeCrashPoint('instance-started');
  await filingRecords.run({
    caseId, processInstanceKey,
    audit: {
      caseId, actor: filedBy.actor, actorRole: filedBy.role, action: 'reported',
      detail: { channel: report.channel, processId, processInstanceKey, priority: row['priority'] }, dedupKey: `case-reported:${caseId}`, at: now,
    },
  });
  intakeCrashPoint('filing-recorded');
  return { caseId, caseNo: filed.caseNo, trackingToken: row['tracking_token'] as string, status: 'reported', processInstanceKey };
}

/** The engine's name for a case's own instance: a restarted filing finds the instance started before the crash by it. */
export const startReferenceOf = (caseId: string) => `intake:${caseId}`;

// ───────────── step 1: the cases rows of the filings under way, one INSERT per batch

interface NewCase { row: Row; now: Date }

async function insertCases(items: NewCase[], transaction: Transaction, reread: boolean): Promise<Array<{ id: string; caseNo: string }>> {
  const sequelize = Case.sequelize!;
  const at = new Date();
  const rows: Row[] = [];
  for (const [i, { row, now }] of items.entries()) {
    rows.push({ case_no: await nextCaseNo(now, reread && i === 0), ...row, created_at: at, updated_at: at });
  }
  if (rows.length === 1) return [{ id: await insertRow(sequelize, 'cases', rows[0]!, { transaction }), caseNo: rows[0]!['case_no'] as string }];
  await insertRows(sequelize, 'cases', rows, { transaction });
  // the ids back through the unique case number (a multi-row INSERT reports one id)
  const ids = new Map((await sequelize.query<{ id: string | number; case_no: string }>(
    `SELECT id, case_no FROM cases WHERE case_no IN (${rows.map((_, i) => `$${i + 1}`).join(', ')})`,
    { bind: rows.map((r) => r['case_no'] as string), type: QueryTypes.SELECT, transaction },
  )).map((r) => [r.case_no, String(r.id)]));
  return rows.map((r) => {
    const id = ids.get(r['case_no'] as string);
    if (id === undefined) throw new Error(`intake: case ${String(r['case_no'])} not found right after its INSERT`);
    return { id, caseNo: r['case_no'] as string };
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
        if ((err as Error).name !== 'SequelizeUniqueConstraintError' || attempt >= 5 || (err as { fields?: unknown }).fields && JSON.stringify((err as { fields?: unknown }).fields).includes('intake_key')) throw err;
      }
    }
  },
);

// ───────────── step 3: instance keys, mappings and 'reported' records of a batch

interface FilingRecord { caseId: string; processInstanceKey: string; audit: AuditInput }

/**
 * Not through changeCase: the cases were created a moment ago by these calls and only they know their
 * instances, so there is nothing to reload, lock or look up (the dedup keys are new). Tasks that arrived
 * before the mapping get their case here too.
 */
async function recordFilings(items: FilingRecord[], chain: AuditChain): Promise<void[]> {
  const sequelize = Case.sequelize!;
  const { transaction } = chain;
  const now = new Date();
  await insertRows(sequelize, 'case_instances', items.map((f) => ({ process_instance_key: f.processInstanceKey, case_id: f.caseId, created_at: now, updated_at: now })), { transaction, ignoreDuplicates: true });
  const keys = items.map((f) => f.processInstanceKey);
  const list = (from: number) => keys.map((_, i) => `$${from + i}`).join(', ');
  await sequelize.query(
    `UPDATE inbox_tasks SET case_id = (SELECT ci.case_id FROM case_instances ci WHERE ci.process_instance_key = inbox_tasks.process_instance_key),
       case_created_at = (SELECT c.created_at FROM case_instances ci JOIN cases c ON c.id = ci.case_id WHERE ci.process_instance_key = inbox_tasks.process_instance_key),
       updated_at = $1 WHERE process_instance_key IN (${list(2)}) AND case_id IS NULL`,
    { bind: [sqlDate(sequelize, now), ...keys], type: QueryTypes.UPDATE, transaction },
  );
  const ids = items.map((f) => Number(f.caseId));
  await sequelize.query(
    `UPDATE cases SET process_instance_key = CASE id ${items.map((_, i) => `WHEN $${2 * i + 2} THEN $${2 * i + 3}`).join(' ')} END, intake_intent = NULL, updated_at = $1
     WHERE id IN (${ids.map((_, i) => `$${2 * items.length + 2 + i}`).join(', ')})`,
    { bind: [sqlDate(sequelize, now), ...items.flatMap((f, i) => [ids[i]!, f.processInstanceKey]), ...ids], type: QueryTypes.UPDATE, transaction },
  );
  await chain.appendMany(items.map((f) => f.audit), { dedupChecked: true });
  return items.map(() => undefined);
}

const filingRecords = new ChainBatch<FilingRecord, void>(recordFilings, async (item) => { await withAuditChain((chain) => recordFilings([item], chain)); });

// ───────────── finishing a filing that a crash interrupted

/** the row's created_at (a Date from MySQL, UTC text from SQLite) as the record's time; now if unreadable */
function reportedAt(value: string | Date): Date {
  const at = value instanceof Date ? value : new Date(`${String(value).replace(' ', 'T').replace(/ ?\+00:00$/, '')}Z`);
  return Number.isNaN(at.getTime()) ? new Date() : at;
}

/** The row of a filing not finished yet (its intent still set), by case id or by the reporter's Idempotency-Key; with the codes its variables name. */
interface InterruptedFiling {
  id: string | number; case_no: string; tracking_token: string; status: string; channel: string; description: string; priority: number;
  process_id: string; process_instance_key: string | null; intake_intent: string | null; created_at: string | Date; event_type_code: string | null; grid_code: string | null;
}

const INTERRUPTED = `SELECT c.id, c.case_no, c.tracking_token, c.status, c.channel, c.description, c.priority, c.process_id, c.process_instance_key,
  c.intake_intent, c.created_at, e.code AS event_type_code, g.code AS grid_code
  FROM cases c LEFT JOIN event_types e ON e.id = c.event_type_id LEFT JOIN grids g ON g.id = c.grid_id`;

async function interruptedFiling(by: { intakeKey: string }): Promise<InterruptedFiling | null> {
  const [row] = await Case.sequelize!.query<InterruptedFiling>(`${INTERRUPTED} WHERE c.intake_key = $1`, { bind: [by.intakeKey], type: QueryTypes.SELECT });
  return row ?? null;
}

/** Filings whose intent is still set, created before `before`: those a crash interrupted. */
export async function interruptedFilings(before: Date, limit = 500): Promise<InterruptedFiling[]> {
  const sequelize = Case.sequelize!;
  return sequelize.query<InterruptedFiling>(`${INTERRUPTED} WHERE c.intake_intent IS NOT NULL AND c.created_at < $1 ORDER BY c.id LIMIT ${Math.trunc(limit)}`, {
    bind: [sqlDate(sequelize, before)], type: QueryTypes.SELECT,
  });
}

/**
 * Finishes an interrupted filing (idempotent): starts its instance under the case's reference — the
 * engine answers the one started before the crash, if any — and records it as step (3) does. Whoever
 * finishes it first (the recovery at start, the reporter's retry) writes the records; the other finds the
 * intent gone and writes nothing.
 */
export async function finishFiling(port: WorkflowEngine, c: InterruptedFiling): Promise<FiledCase> {
  const caseId = String(c.id);
  const answer = (processInstanceKey: string): FiledCase => ({ caseId, caseNo: c.case_no, trackingToken: c.tracking_token, status: c.status, processInstanceKey });
  if (!c.intake_intent && c.process_instance_key) return answer(c.process_instance_key);
  const { processInstanceKey } = await port.createInstance({
    bpmnProcessId: c.process_id,
    variables: { caseId, caseNo: c.case_no, channel: c.channel, eventTypeCode: c.event_type_code, description: c.description, gridCode: c.grid_code, priority: Number(c.priority) },
    startReference: startReferenceOf(caseId), reuseStarted: true,
  });
  const filedBy = JSON.parse(c.intake_intent ?? '{}') as { actor?: string; role?: string | null };
  const sequelize = Case.sequelize!;
  await withAuditChain(async (chain) => {
    const { transaction } = chain;
    // the intent is the claim: the first to clear it records the filing
    const claimed = await updateRows(sequelize, 'cases', { process_instance_key: processInstanceKey, intake_intent: null, updated_at: new Date() }, { id: caseId, process_instance_key: null }, { transaction });
    if (!claimed) return;
    await rememberInstance(processInstanceKey, caseId, transaction);
    await chain.append({
      caseId, actor: filedBy.actor ?? 'public', actorRole: filedBy.role ?? null, action: 'reported',
      detail: { channel: c.channel, processId: c.process_id, processInstanceKey, priority: Number(c.priority), resumed: true }, dedupKey: `case-reported:${caseId}`,
      at: reportedAt(c.created_at),
    });
  });
  return answer(processInstanceKey);
}

/** Records instance → case and gives tasks that arrived before the mapping their case. */
export async function rememberInstance(processInstanceKey: string, caseId: string, transaction?: Transaction): Promise<void> {
  const tx = transaction ? { transaction } : {};
  // the insert first, no look-up: the mapping is nearly always new (intake's own instance always is).
  // No findOrCreate: its transaction holds SQLite's write lock while the workers write
  const sequelize = Case.sequelize!;
  const now = new Date();
  try {
    await insertRow(sequelize, 'case_instances', { process_instance_key: processInstanceKey, case_id: caseId, created_at: now, updated_at: now }, tx);
  } catch (err) {
    // someone else recorded it first (a failed INSERT fails alone, also inside a transaction, on SQLite and MySQL)
    if ((err as Error).name !== 'SequelizeUniqueConstraintError') throw err;
  }
  // with the case's created_at, as the model's hook gives every task it writes (migration 0013)
  await sequelize.query(
    'UPDATE inbox_tasks SET case_id = $1, case_created_at = (SELECT c.created_at FROM cases c WHERE c.id = $1), updated_at = $2 WHERE process_instance_key = $3 AND case_id IS NULL',
    { bind: [caseId, sqlDate(sequelize, now), processInstanceKey], type: QueryTypes.UPDATE, transaction: transaction ?? null },
  );
}
