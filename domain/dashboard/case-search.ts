import { Op, type WhereOptions } from 'sequelize';
import { Case, EventType, Unit } from '../../db/models/index.js';
import type { CaseStatus, Channel, WarningLight } from '../../db/models/cases.js';
import { PHONE_ROLES, phoneFor } from '../auth/access.js';
import type { Actor } from '../auth/sessions.js';
import { caseLight, lightWhere } from './case-light.js';
import { caseScopeWhere } from './case-scope.js';
import { addDays, startOfLocalDay } from './local-day.js';

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
}

export interface CaseListItem {
  id: string; caseNo: string; status: string; category: string | null; eventTypeCode: string | null; eventTypeName: string | null;
  unitId: number | null; unitName: string | null; townshipId: number | null; township: string | null; channel: string; light: WarningLight;
  escalationLevel: number; createdAt: string; dueAt: string | null; description: string; address: string | null;
  reporterName: string | null; reporterPhone: string | null;
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

/** Case search (案卷查询) for the actor: the filters, the actor's scope, newest first, one page. */
export async function searchCases(actor: Actor, s: CaseSearch, options: { now?: Date; offsetMinutes?: number } = {}): Promise<{ items: CaseListItem[]; total: number; page: number; pageSize: number }> {
  const now = options.now ?? new Date();
  const page = s.page ?? 1;
  const pageSize = s.pageSize ?? 20;
  const and: WhereOptions<Case>[] = [caseScopeWhere(actor)];
  if (s.status) and.push({ status: s.status });
  if (s.category) and.push({ category: s.category });
  if (s.unitId !== undefined) and.push({ unitId: s.unitId });
  if (s.channel) and.push({ channel: s.channel });
  if (s.township) {
    const township = /^\d+$/.test(s.township) ? await Unit.findByPk(Number(s.township)) : await Unit.findOne({ where: { code: s.township } });
    if (!township) return { items: [], total: 0, page, pageSize };
    and.push({ townshipId: township.id });
  }
  if (s.light) and.push(lightWhere(s.light, now));
  const range = rangeOf(s.from, s.to, options.offsetMinutes ?? 480);
  if (range.from) and.push({ createdAt: { [Op.gte]: range.from } });
  if (range.to) and.push({ createdAt: { [Op.lt]: range.to } });
  if (s.q) {
    const like = `%${likeEscape(s.q)}%`;
    const fields: WhereOptions<Case>[] = [{ caseNo: { [Op.like]: like } }, { description: { [Op.like]: like } }, { address: { [Op.like]: like } }];
    // only the roles that see full numbers may search by one (a masked role could otherwise probe digits)
    if (PHONE_ROLES.includes(actor.role)) fields.push({ reporterPhone: { [Op.like]: like } });
    and.push({ [Op.or]: fields });
  }
  const { rows, count } = await Case.findAndCountAll({
    where: { [Op.and]: and }, order: [['createdAt', 'DESC'], ['id', 'DESC']], limit: pageSize, offset: (page - 1) * pageSize,
  });
  const ids = <T>(pick: (c: Case) => T | null) => [...new Set(rows.map(pick).filter((x): x is T => x !== null))];
  const [types, units] = await Promise.all([
    EventType.findAll({ where: { id: ids((c) => c.eventTypeId) }, attributes: ['id', 'code', 'name'] }),
    Unit.findAll({ where: { id: [...ids((c) => c.unitId), ...ids((c) => c.townshipId)] }, attributes: ['id', 'name', 'shortName'] }),
  ]);
  const typeById = new Map(types.map((t) => [t.id, t]));
  const unitById = new Map(units.map((u) => [u.id, u]));
  const items = rows.map((c): CaseListItem => {
    const type = c.eventTypeId !== null ? typeById.get(c.eventTypeId) : undefined;
    const unit = c.unitId !== null ? unitById.get(c.unitId) : undefined;
    const township = c.townshipId !== null ? unitById.get(c.townshipId) : undefined;
    return {
      id: c.id, caseNo: c.caseNo, status: c.status, category: c.category, eventTypeCode: type?.code ?? null, eventTypeName: type?.name ?? null,
      unitId: c.unitId, unitName: unit?.name ?? null, townshipId: c.townshipId, township: township?.name ?? null, channel: c.channel,
      light: caseLight(c, now), escalationLevel: c.escalationLevel, createdAt: c.createdAt.toISOString(), dueAt: c.dueAt ? c.dueAt.toISOString() : null,
      description: c.description, address: c.address, reporterName: c.reporterName, reporterPhone: phoneFor(actor, c.reporterPhone),
    };
  });
  return { items, total: count, page, pageSize };
}

