import { randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import { type CaseStatus } from '../../db/vocabulary.js';
import { appSql, throughIndex } from '../../db/sql/current.js';
import type { CasesTable } from '../../db/sql/schema.js';
import { eventTypeRecord } from '../admin/event-type-record.js';
import type { Open311Client } from './clients.js';
import type { WorkflowEngine } from '../../port/workflow-engine.js';
import { withAuditChain } from '../audit/index.js';
import { fileCase } from '../intake/file-case.js';
import { decodeTimeKey, encodeTimeKey } from '../shared/cursor.js';
import { maskPersonalNumbers } from '../shared/mask-personal.js';
import { DomainError } from '../shared/errors.js';
import { activeServiceType, checkAttributes, serviceNotice } from './services.js';

/** The spec's two states: everything still in the loop is open; 结案, 不予立案, 挂账 and 并单 are closed. */
const OPEN: readonly CaseStatus[] = ['reported', 'accepted', 'dispatched', 'handling', 'returned', 'verifying'];
const CLOSED: readonly CaseStatus[] = ['closed', 'rejected', 'shelved', 'merged'];
/** status_notes: what the state means to the reporter. */
const NOTES: Record<CaseStatus, string> = {
  reported: '已上报，待受理',
  accepted: '已立案，待派遣',
  dispatched: '已派遣至责任单位',
  handling: '责任单位处置中',
  returned: '责任单位申请退单，指挥中心审核中',
  verifying: '已处置，核查中',
  closed: '已结案',
  rejected: '不予立案',
  shelved: '挂账（暂不具备处置条件）',
  merged: '与其他案卷重复，已并单处理',
};

export const MAX_RESULTS = 1000;
/** The columns an answer shows: a page of 1,000 full case models cost ~80 ms of the one thread to build. */
const LISTED = [
  'id',
  'caseNo',
  'status',
  'eventTypeId',
  'unitId',
  'gridId',
  'description',
  'createdAt',
  'updatedAt',
  'dueAt',
  'address',
  'lat',
  'lng',
] as const;
type ListedCase = Pick<Selectable<CasesTable>, (typeof LISTED)[number]>;
export const MAX_RANGE_DAYS = 90;
const DAY_MS = 86_400_000;

/** One service request as GeoReport v2 lists it; never the reporter's name, phone, email or account. */
export interface Open311ServiceRequest {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string;
  service_name: string | null;
  service_code: string | null;
  description: string;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string | null;
  address_id: string | null;
  zipcode: string | null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
}

export interface SubmittedRequest {
  service_request_id: string;
  token: string;
  service_notice: string;
  account_id: string | null;
}

export interface Open311Submission {
  service_code: string;
  lat?: number;
  long?: number;
  address_string?: string;
  address_id?: string;
  attributes: Record<string, string | string[]>;
  email?: string;
  device_id?: string;
  account_id?: string;
  first_name?: string;
  last_name?: string;
  phone?: string;
  description?: string;
  media_url?: string;
}

/** W3C date-time in UTC, whole seconds. */
export const w3c = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Files an Open311 request as a case (channel `open311`) through the one intake path, then records the
 * Open311 side (client, token, media_url, attribute answers) with its audit record. Everything the
 * caller can get wrong is checked before anything is written.
 */
export async function submitOpen311Request(port: WorkflowEngine, client: Open311Client, input: Open311Submission): Promise<SubmittedRequest> {
  const type = await activeServiceType(input.service_code);
  // GeoReport v2: "404 - service_code or jurisdiction_id provided were not found"
  if (!type) throw new DomainError('NOT_FOUND', `unknown service_code ${input.service_code}`, { apiCode: 'open311_unknown_service' });
  const attributes = checkAttributes(type, input.attributes);
  if ((input.lat === undefined) !== (input.long === undefined))
    throw new DomainError('INVALID_ARGUMENT', 'lat and long go together', { apiCode: 'bad_location' });
  if (input.lat === undefined && !input.address_string && !input.address_id)
    throw new DomainError('INVALID_ARGUMENT', 'lat/long, address_string or address_id required', { apiCode: 'location_required' });
  // address_id names an address in our addressing system: the grid (网格) code
  if (input.address_id && !(await appSql().selectFrom('grids').select('id').where('code', '=', input.address_id).executeTakeFirst())) {
    throw new DomainError('INVALID_ARGUMENT', `unknown address_id ${input.address_id}`, { apiCode: 'unknown_grid' });
  }
  const name = [input.last_name, input.first_name].filter(Boolean).join('');
  const filed = await fileCase(port, {
    channel: 'open311',
    description: input.description?.trim() ? input.description : type.name,
    reporterName: name ? name.slice(0, 64) : null,
    reporterPhone: input.phone ?? null,
    filedBy: { actor: `open311:${client.name}`.slice(0, 64), role: null },
    lat: input.lat ?? null,
    lng: input.long ?? null,
    address: input.address_string ?? null,
    gridCode: input.address_id ?? null,
    eventTypeCode: type.code,
  });
  const token = randomBytes(18).toString('base64url');
  await withAuditChain(async (chain) => {
    const now = new Date();
    await appSql(chain.transaction)
      .insertInto('open311_requests')
      .values({
        caseId: filed.caseId,
        clientId: client.id,
        token,
        mediaUrl: input.media_url ?? null,
        attributes: JSON.stringify(attributes),
        email: input.email ?? null,
        deviceId: input.device_id ?? null,
        accountId: input.account_id ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .execute();
    await chain.append({
      caseId: filed.caseId,
      actor: `open311:${client.name}`.slice(0, 64),
      actorRole: null,
      action: 'open311.received',
      detail: { clientId: client.id, serviceCode: type.code, attributes, mediaUrl: input.media_url ?? null, deviceId: input.device_id ?? null },
      dedupKey: `open311-received:${filed.caseId}`,
    });
  });
  return { service_request_id: filed.caseNo, token, service_notice: serviceNotice(type), account_id: input.account_id ?? null };
}

export interface RequestFilter {
  ids?: string[];
  serviceCodes?: string[];
  start?: Date;
  end?: Date;
  statuses?: Array<'open' | 'closed'>;
  /** extension: the page after this cursor (the `next` of the previous answer) */
  after?: string;
  /** extension: requests per page, at most MAX_RESULTS */
  pageSize?: number;
}

/** Without dates: the last 90 days; a range may not span more than 90 days (the caller checks). */
export function dateWindow(start: Date | undefined, end: Date | undefined, now = new Date()): { start: Date; end: Date } {
  if (start && end) return { start, end };
  if (start) return { start, end: new Date(start.getTime() + MAX_RANGE_DAYS * DAY_MS) };
  if (end) return { start: new Date(end.getTime() - MAX_RANGE_DAYS * DAY_MS), end };
  return { start: new Date(now.getTime() - MAX_RANGE_DAYS * DAY_MS), end: now };
}

const CURSOR = 'open311';

/**
 * GET requests: by ids (then the other filters are ignored, as the spec says, and there is one page),
 * or by service codes, date window and status; newest first (created_at, id), at most 1000 per page.
 * `next` is the cursor of the following page (the routes send it in a Link header, so the body keeps
 * the spec's schema), or null.
 */
export async function findOpen311Requests(filter: RequestFilter, now = new Date()): Promise<{ requests: Open311ServiceRequest[]; next: string | null }> {
  const after = filter.after !== undefined ? decodeTimeKey(CURSOR, filter.after) : null;
  if (filter.ids) {
    const rows = filter.ids.length
      ? await appSql()
          .selectFrom('cases')
          .select([...LISTED])
          .where('caseNo', 'in', filter.ids)
          .orderBy('createdAt', 'desc')
          .orderBy('id', 'desc')
          .limit(MAX_RESULTS)
          .execute()
      : [];
    return { requests: await present(rows), next: null };
  }
  const pageSize = Math.min(filter.pageSize ?? MAX_RESULTS, MAX_RESULTS);
  const { start, end } = dateWindow(filter.start, filter.end, now);
  let typeIds: number[] | null = null;
  if (filter.serviceCodes) {
    typeIds = filter.serviceCodes.length
      ? (await appSql().selectFrom('event_types').select('id').where('code', 'in', filter.serviceCodes).execute()).map((t) => t.id)
      : [];
    if (!typeIds.length) return { requests: [], next: null }; // no such service: nothing is filed under it
  }
  const statuses = filter.statuses && filter.statuses.length === 1 ? (filter.statuses[0] === 'open' ? [...OPEN] : [...CLOSED]) : null;
  // newest first along an index: one service's, or the window's (a status is a list of states: read along, not sorted)
  const index = typeIds?.length === 1 ? 'cases_event_type_id_created_at_idx' : 'cases_created_at_idx';
  const rows = await appSql()
    .selectFrom('cases')
    .withPlugin(throughIndex(index))
    .select([...LISTED])
    .where((eb) => eb.between('createdAt', start, end))
    .$if(typeIds !== null, (b) => b.where('eventTypeId', 'in', typeIds!))
    .$if(statuses !== null, (b) => b.where('status', 'in', statuses!))
    // after the cursor: the redundant <= bound gives both databases a range to seek to (domain/shared/keyset.ts, olderThanKey)
    .$if(after !== null, (b) => b.where('createdAt', '<=', after!.at).where((eb) => eb.or([eb('createdAt', '<', after!.at), eb('id', '<', after!.id)])))
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(pageSize + 1)
    .execute();
  const last = rows.length > pageSize ? rows[pageSize - 1]! : null;
  return { requests: await present(rows.slice(0, pageSize)), next: last ? encodeTimeKey(CURSOR, { at: last.createdAt, id: last.id }) : null };
}

export async function findOpen311Request(caseNo: string): Promise<Open311ServiceRequest | null> {
  const row = await appSql()
    .selectFrom('cases')
    .select([...LISTED])
    .where('caseNo', '=', caseNo)
    .executeTakeFirst();
  return row ? (await present([row]))[0]! : null;
}

/** tokens/{token}: the request filed with this token (synchronous filing: the id is known at once). */
export async function requestIdForToken(token: string): Promise<{ service_request_id: string; token: string } | null> {
  const req = await appSql().selectFrom('open311_requests').select('caseId').where('token', '=', token).executeTakeFirst();
  const row = req ? await appSql().selectFrom('cases').select(['id', 'caseNo']).where('id', '=', req.caseId).executeTakeFirst() : null;
  return row ? { service_request_id: row.caseNo, token } : null;
}

async function present(rows: ListedCase[]): Promise<Open311ServiceRequest[]> {
  if (rows.length === 0) return [];
  const ids = (key: 'eventTypeId' | 'unitId' | 'gridId') => [...new Set(rows.map((r) => r[key]).filter((v): v is number => v != null))];
  const q = appSql();
  const [typeIds, unitIds, gridIds] = [ids('eventTypeId'), ids('unitId'), ids('gridId')];
  const [types, units, grids, extras] = await Promise.all([
    typeIds.length ? q.selectFrom('event_types').selectAll().where('id', 'in', typeIds).execute() : [],
    unitIds.length ? q.selectFrom('units').select(['id', 'name']).where('id', 'in', unitIds).execute() : [],
    gridIds.length ? q.selectFrom('grids').select(['id', 'code']).where('id', 'in', gridIds).execute() : [],
    q
      .selectFrom('open311_requests')
      .select(['caseId', 'mediaUrl'])
      .where(
        'caseId',
        'in',
        rows.map((r) => r.id),
      )
      .execute(),
  ]);
  const typeOf = new Map(types.map((t) => [t.id, eventTypeRecord(t)]));
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  const gridCode = new Map(grids.map((g) => [g.id, g.code]));
  const media = new Map(extras.map((e) => [String(e.caseId), e.mediaUrl]));
  return rows.map((c) => {
    const t = c.eventTypeId != null ? typeOf.get(c.eventTypeId) : undefined;
    return {
      service_request_id: c.caseNo,
      status: OPEN.includes(c.status as CaseStatus) ? 'open' : 'closed',
      status_notes: NOTES[c.status as CaseStatus] ?? c.status,
      service_name: t?.name ?? null,
      service_code: t?.code ?? null,
      description: maskPersonalNumbers(c.description),
      agency_responsible: c.unitId != null ? (unitName.get(c.unitId) ?? null) : null,
      service_notice: t ? serviceNotice(t) : null,
      requested_datetime: w3c(c.createdAt),
      updated_datetime: w3c(c.updatedAt),
      expected_datetime: c.dueAt ? w3c(c.dueAt) : null,
      address: c.address === null ? null : maskPersonalNumbers(c.address),
      address_id: c.gridId != null ? (gridCode.get(c.gridId) ?? null) : null,
      zipcode: null,
      lat: c.lat,
      long: c.lng,
      media_url: media.get(String(c.id)) ?? null,
    };
  });
}
