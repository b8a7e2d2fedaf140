import { expect } from 'chai';
import { AuditRecords, CalendarDays, EventTypes, GovernanceItems, Grids, Op, Sessions, UserGrids, Units, Users, type Row } from '../support/tables.js';
import type { ApiWorld } from './support/api-world.js';

/** Every registry row as stored (timestamps included), sessions and the registry's audit records: what a refused request must leave alone. */
export async function registrySnapshot(): Promise<string> {
  return JSON.stringify({
    units: await Units.findAll({ order: [['id', 'ASC']] }),
    grids: await Grids.findAll({ order: [['id', 'ASC']] }),
    users: await Users.findAll({ order: [['id', 'ASC']] }),
    userGrids: await UserGrids.findAll({ order: [['userId', 'ASC']] }),
    eventTypes: await EventTypes.findAll({ order: [['id', 'ASC']] }),
    items: await GovernanceItems.findAll({ order: [['id', 'ASC']] }),
    calendar: await CalendarDays.findAll({ order: [['date', 'ASC']] }),
    sessions: await Sessions.count(),
    // registry changes only: the case processes running beside may append their own records meanwhile
    audit: await AuditRecords.count({ where: { action: { [Op.like]: 'admin.%' } } }),
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
export async function lastAudit(): Promise<Row<'audit_log'>> {
  return (await AuditRecords.findOne({ order: [['id', 'DESC']] }))!;
}
