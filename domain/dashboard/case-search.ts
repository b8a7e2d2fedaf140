import { sql, type SqlBool } from 'kysely';
import { type CaseStatus, type Channel, type WarningLight } from '../../db/vocabulary.js';
import { appSql, throughIndex } from '../../db/sql/current.js';
import { PHONE_ROLES, phoneFor } from '../auth/access.js';
import type { Actor } from '../auth/sessions.js';
import { decodeTimeKey, encodeTimeKey, type TimeKey } from '../shared/cursor.js';
import { notOlderThanKey, olderThanKey } from '../shared/keyset.js';
import { checkOffset } from '../shared/paging.js';
import { allCaseConditions, type CaseCondition } from './case-conditions.js';
import { caseLight, lightWhere, OPEN_STATUSES } from './case-light.js';
import { CASE_INDEX, caseScopeBranches, type CaseIndex } from './case-scope.js';
import { addDays, startOfLocalDay } from '../shared/local-time.js';
import { countScopedCases, scopedCaseKeys } from './scoped-case-keys.js';
import type { CaseListItem, CasePage } from './dashboard-types.js';

export interface CaseSearch {
  q?: string;
  status?: CaseStatus;
  category?: string;
  unitId?: number;
  /** township unit id or code */
  township?: string;
  channel?: Channel;
  light?: WarningLight;
  /** `YYYY-MM-DD` (local day, inclusive) or an ISO instant */
  from?: string;
  to?: string;
  page?: number;
  pageSize?: number;
  /** cursor: the page after this position (excludes `page`) */
  after?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** `from` is inclusive; `to` as a day includes that whole local day, as an instant it is exclusive. */
export function rangeOf(from: string | undefined, to: string | undefined, offsetMinutes: number): { from?: Date; to?: Date } {
  return {
    ...(from ? { from: DAY.test(from) ? startOfLocalDay(from, offsetMinutes) : new Date(from) } : {}),
    ...(to ? { to: DAY.test(to) ? startOfLocalDay(addDays(to, 1), offsetMinutes) : new Date(to) } : {}),
  };
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export const CASE_CURSOR = 'cases';

/**
 * How many of the newest cases (after the cursor) one page of a text search or a light filter looks at.
 * Neither has an index, so without a window a search for a rare word read every case ever filed — over a
 * second at a million cases, with intake and the engine's timers waiting on SQLite. A page may come back
 * short, with `next` where its window ended (the paging contract allows that).
 */
export const CASE_SCAN = { window: 5_000 };

/** The key CASE_SCAN.window cases on from `after` (newest first), read from the created_at index alone; null when fewer follow. */
async function scanWindowEnd(after: TimeKey | null): Promise<TimeKey | null> {
  const row = await appSql()
    .selectFrom('cases')
    .select(['id', 'createdAt'])
    .$if(after !== null, (w) => w.where((eb) => olderThanKey(eb, after!)))
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .offset(CASE_SCAN.window - 1)
    .withPlugin(throughIndex(CASE_INDEX.all))
    .executeTakeFirst();
  return row ? { at: row.createdAt, id: row.id } : null;
}

/** Rows at or before `key` in newest-first order: the window up to and including it. */
function notOlderThan(key: TimeKey): CaseCondition {
  return (eb) => notOlderThanKey(eb, key);
}

/** The filters as a condition on `cases` (the actor's scope comes on top); null: nothing can match. */
async function filterWhere(actor: Actor, s: CaseSearch, now: Date, offsetMinutes: number): Promise<CaseCondition | null> {
  const and: CaseCondition[] = [];
  // walking an open status (see drivingIndex), the other columns are checked along it, never used as an index:
  // wrapped in COALESCE, which neither planner looks through (SQLite has no statistics to know that the open
  // status is the narrower one, and took the category's index: the category's whole history read for a count)
  const byOpenStatus = Boolean(s.status && OPEN_STATUSES.includes(s.status) && s.unitId === undefined);
  const checked = (column: 'category' | 'channel' | 'townshipId', value: string | number): CaseCondition =>
    byOpenStatus ? () => sql<SqlBool>`COALESCE(${sql.ref(column)}, ${sql.lit(typeof value === 'number' ? 0 : '')}) = ${value}` : (eb) => eb(column, '=', value);
  if (s.status) and.push({ status: s.status });
  if (s.category) and.push(checked('category', s.category));
  if (s.unitId !== undefined) and.push({ unitId: s.unitId });
  if (s.channel) and.push(checked('channel', s.channel));
  if (s.township) {
    const units = appSql().selectFrom('units').select('id');
    const township = await (/^\d+$/.test(s.township) ? units.where('id', '=', Number(s.township)) : units.where('code', '=', s.township)).executeTakeFirst();
    if (!township) return null;
    and.push(checked('townshipId', township.id));
  }
  if (s.light) and.push(lightWhere(s.light, now));
  const range = rangeOf(s.from, s.to, offsetMinutes);
  if (range.from) {
    const from = range.from;
    and.push((eb) => eb('createdAt', '>=', from));
  }
  if (range.to) {
    const to = range.to;
    and.push((eb) => eb('createdAt', '<', to));
  }
  if (s.q) {
    const like = `%${likeEscape(s.q)}%`;
    // only the roles that see full numbers may search by one (a masked role could otherwise probe digits)
    const byPhone = PHONE_ROLES.includes(actor.role);
    and.push((eb) =>
      eb.or([
        eb('caseNo', 'like', like),
        eb('description', 'like', like),
        eb('address', 'like', like),
        ...(byPhone ? [eb('reporterPhone', 'like', like)] : []),
      ]),
    );
  }
  return allCaseConditions(...and);
}

/**
 * The index a branch is read through: its scope's own (the unit's narrowed to the status when one is
 * asked), else the filter's with an index of its own — one that comes first here; the other filters are
 * checked along it.
 */
function drivingIndex(scope: CaseIndex | undefined, s: CaseSearch): CaseIndex {
  if (scope === CASE_INDEX.unit && s.status) return CASE_INDEX.unitStatus;
  if (scope) return scope;
  if (s.unitId !== undefined) return s.status ? CASE_INDEX.unitStatus : CASE_INDEX.unit;
  // an open status holds the work in hand, a few percent of all cases: the narrowest walk there is
  // (through the category's index, handling cases of a category meant counting the category's whole history)
  if (s.status && OPEN_STATUSES.includes(s.status)) return CASE_INDEX.status;
  if (s.township) return CASE_INDEX.township;
  if (s.category) return CASE_INDEX.category;
  if (s.channel) return CASE_INDEX.channel;
  if (s.status) return CASE_INDEX.status;
  return CASE_INDEX.all;
}

/**
 * Case search (案卷查询) for the actor: the filters, the actor's scope, newest first (created_at, id), one
 * page — after the `after` cursor, or by `page` within the first MAX_OFFSET rows. The total is counted
 * (up to COUNT_CAP) for first pages only.
 */
export async function searchCases(actor: Actor, s: CaseSearch, options: { now?: Date; offsetMinutes?: number } = {}): Promise<CasePage> {
  const now = options.now ?? new Date();
  const pageSize = s.pageSize ?? 20;
  const after = s.after !== undefined ? decodeTimeKey(CASE_CURSOR, s.after) : null;
  const page = after ? undefined : (s.page ?? 1);
  const offset = page ? (page - 1) * pageSize : 0;
  checkOffset(offset, pageSize);
  let filters = await filterWhere(actor, s, now, options.offsetMinutes ?? 480);
  const paging = { pageSize, ...(page ? { page } : {}) };
  if (!filters) return { items: [], next: null, ...paging, ...(after ? {} : { total: 0, totalCapped: false }) };
  // no index serves a text search or a light: look at one window of the newest cases per page, not at all of them
  const windowEnd = s.q || s.light ? await scanWindowEnd(after) : null;
  if (windowEnd) filters = allCaseConditions(filters, notOlderThan(windowEnd));
  const branches = caseScopeBranches(actor).map((b) => (b.kind === 'cases' ? { ...b, index: drivingIndex(b.index, s) } : b));
  const [found, counted] = await Promise.all([scopedCaseKeys(branches, filters, after, pageSize, offset), after ? null : countScopedCases(branches, filters)]);
  // a short page ends where the window ended: the next one looks at the window after it
  if (windowEnd && !found.next) found.next = windowEnd;
  const total = counted && windowEnd ? { total: counted.total, totalCapped: true } : counted;
  const q = appSql();
  const foundIds = found.keys.map((k) => k.id);
  const byId = new Map((foundIds.length ? await q.selectFrom('cases').selectAll().where('id', 'in', foundIds).execute() : []).map((c) => [c.id, c]));
  const rows = found.keys.map((k) => byId.get(k.id)).filter((c): c is NonNullable<typeof c> => c !== undefined);
  const ids = <T>(pick: (c: (typeof rows)[number]) => T | null) => [...new Set(rows.map(pick).filter((x): x is T => x !== null))];
  const typeIds = ids((c) => c.eventTypeId);
  const unitIds = [...ids((c) => c.unitId), ...ids((c) => c.townshipId)];
  const [types, units] = await Promise.all([
    typeIds.length ? q.selectFrom('event_types').select(['id', 'code', 'name']).where('id', 'in', typeIds).execute() : [],
    unitIds.length ? q.selectFrom('units').select(['id', 'name', 'shortName']).where('id', 'in', unitIds).execute() : [],
  ]);
  const typeById = new Map(types.map((t) => [t.id, t]));
  const unitById = new Map(units.map((u) => [u.id, u]));
  const items = rows.map((c): CaseListItem => {
    const type = c.eventTypeId !== null ? typeById.get(c.eventTypeId) : undefined;
    const unit = c.unitId !== null ? unitById.get(c.unitId) : undefined;
    const township = c.townshipId !== null ? unitById.get(c.townshipId) : undefined;
    return {
      id: c.id,
      caseNo: c.caseNo,
      status: c.status,
      category: c.category,
      eventTypeCode: type?.code ?? null,
      eventTypeName: type?.name ?? null,
      unitId: c.unitId,
      unitName: unit?.name ?? null,
      townshipId: c.townshipId,
      township: township?.name ?? null,
      channel: c.channel,
      light: caseLight(c, now),
      escalationLevel: c.escalationLevel,
      createdAt: c.createdAt.toISOString(),
      dueAt: c.dueAt ? c.dueAt.toISOString() : null,
      description: c.description,
      address: c.address,
      reporterName: c.reporterName,
      reporterPhone: phoneFor(actor, c.reporterPhone),
    };
  });
  return { items, next: found.next ? encodeTimeKey(CASE_CURSOR, found.next) : null, ...paging, ...(total ?? {}) };
}
