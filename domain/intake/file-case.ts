import { randomBytes } from 'node:crypto';
import { QueryTypes, type Transaction } from 'sequelize';
import { Case, EventType, Grid } from '../../db/models/index.js';
import { deleteRows, insertRow, sqlDate, updateRows } from '../../db/rows.js';
import type { Channel } from '../../db/models/cases.js';
import { PortError, type WorkflowEngine } from '../../port/workflow-engine.js';
import { gridNear, type PlacedGrid } from './nearest-grid.js';
import { withAuditChain } from '../audit/index.js';
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
/**
 * Case numbers per local day: the last one is read once (through the unique index) and then counted on
 * in memory, so concurrent filings in this process never take the same number (counting rows gave 50
 * concurrent filings one number, and most failed after five retries); a collision with another process
 * makes the retry re-read.
 */
const lastNumber = new Map<string, number>();
async function nextCaseNo(now: Date, reread = false): Promise<string> {
  const local = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
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

/**
 * Files a case: checks the references, writes the `cases` row, starts its process through the port
 * and records the instance. If the engine refuses, the row is removed again (no half-filed case).
 */
export async function fileCase(port: WorkflowEngine, report: CaseReport, now = new Date()): Promise<FiledCase> {
  if ((report.lat == null) !== (report.lng == null)) throw new DomainError('INVALID_ARGUMENT', 'lat and lng go together', { apiCode: 'bad_location' });
  if (report.lat == null && !report.address?.trim() && !report.gridCode) throw new DomainError('INVALID_ARGUMENT', 'coordinates, address or grid needed', { apiCode: 'location_required' });
  const eventType = report.eventTypeCode ? await EventType.findOne({ where: { code: report.eventTypeCode } }) : null;
  // a retired type (enabled: false in the catalogue) takes no new cases, whichever channel names it
  if (report.eventTypeCode && (!eventType || !eventType.active)) throw new DomainError('INVALID_ARGUMENT', `unknown event type ${report.eventTypeCode}`, { apiCode: 'unknown_event_type' });
  // a grid switched off in the registry takes no new cases (it stays on the old ones)
  let grid: PlacedGrid | null = report.gridCode ? await Grid.findOne({ where: { code: report.gridCode, active: true } }) : null;
  if (report.gridCode && !grid) throw new DomainError('INVALID_ARGUMENT', `unknown grid ${report.gridCode}`, { apiCode: 'unknown_grid' });
  if (!grid && report.lat != null && report.lng != null) grid = await gridNear(report.lat, report.lng);

  // the category's process when the type is known (grid workers, AI cameras); unclassified reports run the generic loop
  const processId = processIdForCategory(eventType?.category ?? null, { extraStages: eventType?.extraStages?.map((stage) => stage.name) ?? null });
  const sequelize = Case.sequelize!;
  const row = {
    channel: report.channel, description: report.description, trackingToken: randomBytes(18).toString('base64url'), status: 'reported' as const,
    priority: report.priority ?? (report.channel === 'leader' ? LEADER_PRIORITY : 50),
  };
  let filed: { id: string; caseNo: string } | null = null;
  for (let attempt = 0; !filed; attempt++) {
    try {
      // written in the audit chain's group commit rather than on its own: on SQLite a lone write
      // waits (busy handler) for the chain's transaction anyway, and a commit of its own costs more
      filed = await withAuditChain(async ({ transaction }) => {
        const caseNo = await nextCaseNo(now, attempt > 0);
        const at = new Date();
        const id = await insertRow(sequelize, 'cases', {
          case_no: caseNo, channel: row.channel, reporter_name: report.reporterName ?? null, reporter_phone: report.reporterPhone ?? null,
          reporter_user_id: report.reporterUserId ?? null, tracking_token: row.trackingToken, description: row.description,
          event_type_id: eventType?.id ?? null, category: eventType?.category ?? null, lng: report.lng ?? null, lat: report.lat ?? null,
          address: report.address ?? null, grid_id: grid?.id ?? null, township_id: grid?.townshipId ?? null, status: row.status,
          priority: row.priority, process_id: processId, created_at: at, updated_at: at,
        }, { transaction });
        return { id, caseNo };
      });
    } catch (err) {
      // two filings took the same number: take the next one
      if ((err as Error).name !== 'SequelizeUniqueConstraintError' || attempt >= 5) throw err;
    }
  }
  const caseId = filed.id;
  let processInstanceKey: string;
  try {
    ({ processInstanceKey } = await port.createInstance({
      bpmnProcessId: processId,
      variables: {
        caseId, caseNo: filed.caseNo, channel: row.channel, eventTypeCode: eventType?.code ?? null,
        description: row.description, gridCode: grid?.code ?? null, priority: row.priority,
      },
    }));
  } catch (err) {
    await deleteRows(sequelize, 'cases', { id: caseId });
    // a process that is not deployed is the server's problem, not the reporter's
    if (err instanceof PortError && err.code === 'NOT_FOUND') throw new PortError('UNAVAILABLE', err.message);
    throw err;
  }
  // the instance key, the instance → case mapping and the 'reported' record in one transaction. Not through
  // changeCase: the case was created a moment ago by this call and only this call knows its instance, so
  // there is nothing to reload, lock or look up (the dedup key is new); that saved a third of the intake's
  // statements. Tasks that arrived before the mapping get their case here too.
  await withAuditChain(async (chain) => {
    const { transaction } = chain;
    await rememberInstance(processInstanceKey, caseId, transaction);
    await updateRows(sequelize, 'cases', { process_instance_key: processInstanceKey, updated_at: new Date() }, { id: caseId }, { transaction });
    await chain.append({
      caseId, actor: report.filedBy?.actor ?? 'public', actorRole: report.filedBy?.role ?? null, action: 'reported',
      detail: { channel: row.channel, processId, processInstanceKey, priority: row.priority }, dedupKey: `case-reported:${caseId}`, at: now,
    }, { dedupChecked: true });
  });
  return { caseId, caseNo: filed.caseNo, trackingToken: row.trackingToken, status: row.status, processInstanceKey };
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
