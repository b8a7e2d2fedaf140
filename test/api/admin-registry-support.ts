import { expect } from 'chai';
import { Op } from 'sequelize';
import { AuditRecord, CalendarDay, EventType, GovernanceItem, Grid, Session, Unit, User, UserGrid } from '../../db/models/index.js';
import type { ApiWorld } from './support/api-world.js';

/** Every registry row as stored (timestamps included), sessions and the registry's audit records: what a refused request must leave alone. */
export async function registrySnapshot(): Promise<string> {
  const rows = async (model: { findAll(o: object): Promise<Array<{ toJSON(): object }>> }, order: string) =>
    (await model.findAll({ order: [[order, 'ASC']] })).map((r) => r.toJSON());
  return JSON.stringify({
    units: await rows(Unit as never, 'id'),
    grids: await rows(Grid as never, 'id'),
    users: await rows(User as never, 'id'),
    userGrids: await rows(UserGrid as never, 'userId'),
    eventTypes: await rows(EventType as never, 'id'),
    items: await rows(GovernanceItem as never, 'id'),
    calendar: await rows(CalendarDay as never, 'date'),
    sessions: await Session.count(),
    // registry changes only: the case processes running beside may append their own records meanwhile
    audit: await AuditRecord.count({ where: { action: { [Op.like]: 'admin.%' } } }),
  });
}

export const ROLE_USERS = ['admin', 'operator', 'clerk', 'dept_leader', 'gridworker', 'leader', 'auditor'] as const;

export async function tokensFor(api: ApiWorld): Promise<Record<string, string>> {
  const tokens: Record<string, string> = {};
  for (const u of ROLE_USERS) tokens[u] = await api.login(u);
  return tokens;
}

/** The request is refused with this status and code and changes nothing in the registry. */
export async function expectRefused(
  api: ApiWorld,
  method: string,
  path: string,
  options: { token?: string | null; body?: unknown; raw?: string },
  status: number,
  code?: string,
): Promise<void> {
  const before = await registrySnapshot();
  const res = await api.call(method, path, options);
  expect(res.status, `${method} ${path} ${JSON.stringify(res.body)}`).to.equal(status);
  if (code) expect(res.body['code'], `${method} ${path} ${JSON.stringify(res.body)}`).to.equal(code);
  expect(res.body['message'], 'an error message').to.be.a('string');
  expect(await registrySnapshot(), `${method} ${path} changed the registry`).to.equal(before);
}

/** The newest audit record. */
export async function lastAudit(): Promise<AuditRecord> {
  return (await AuditRecord.findOne({ order: [['id', 'DESC']] }))!;
}
