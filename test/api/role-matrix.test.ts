import { expect } from 'chai';
import {
  AuditRecords,
  CalendarDays,
  Cases,
  EventTypes,
  GovernanceItems,
  Grids,
  IdempotencyRecords,
  InboxTasks,
  Sessions,
  Units,
  Users,
} from '../support/tables.js';
import { eventually } from '../processes/support/process-harness.js';
import { openApiWorld, type ApiWorld } from './support/api-world.js';

/**
 * The role × endpoint matrix: every endpoint that needs a login, with the roles allowed to call it.
 * Every other role, and no token at all, must be refused (403 / 401) and change nothing. Allowed roles
 * must get past the guard (anything but 401/403), so a matrix row cannot silently refuse everyone.
 */
type RoleUser = 'admin' | 'operator' | 'clerk' | 'dept_leader' | 'gridworker' | 'leader' | 'auditor';
const ROLE_USERS: RoleUser[] = ['admin', 'operator', 'clerk', 'dept_leader', 'gridworker', 'leader', 'auditor'];
const ALL = ROLE_USERS;
const ADMIN: RoleUser[] = ['admin'];
const ADMIN_AUDITOR: RoleUser[] = ['admin', 'auditor'];
const DASHBOARD: RoleUser[] = ['admin', 'operator', 'leader', 'auditor', 'clerk', 'dept_leader'];

/** a plan and a filter that pass validation and match nothing: an allowed role gets past the guard and changes nothing */
const NO_PLAN = { targetProcessDefinitionKey: '2251799813685249999', mappingInstructions: [] };
const NOWHERE = { bpmnProcessId: 'no-such-process' };

interface Row {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  allowed: RoleUser[];
  body?: unknown;
}

const bpmn = (id: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="d" targetNamespace="http://bpmn.io/schema/bpmn" modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.8.0">
  <bpmn:process id="${id}" isExecutable="true"><bpmn:startEvent id="s"/></bpmn:process>
</bpmn:definitions>`;

function matrix(ids: { item: string; camera: string; client: string; caseId: string; attachment: string }): Row[] {
  const crud = (base: string, one: string, create: unknown, patch: unknown, readers: RoleUser[]): Row[] => [
    { method: 'GET', path: base, allowed: readers },
    { method: 'POST', path: base, allowed: ADMIN, body: create },
    { method: 'GET', path: `${base}/${one}`, allowed: readers },
    { method: 'PATCH', path: `${base}/${one}`, allowed: ADMIN, body: patch },
    { method: 'DELETE', path: `${base}/${one}`, allowed: ADMIN },
  ];
  return [
    // registry administration
    ...crud('/admin/units', 'D-ZFW', { code: 'D-MATRIX', name: '矩阵测试局', kind: 'department' }, { name: '改名' }, ALL),
    ...crud('/admin/grids', 'G-XP-01-01', { code: 'G-MATRIX', name: '矩阵网格' }, { name: '改名' }, ALL),
    ...crud('/admin/users', 'clerk', { username: 'matrix', displayName: '矩阵', role: 'operator' }, { displayName: '改名' }, ADMIN_AUDITOR),
    { method: 'POST', path: '/admin/users/clerk/reset-password', allowed: ADMIN },
    ...crud('/admin/event-types', 'SJ-0101', { code: 'SJ-9999', name: '矩阵类型' }, { name: '改名' }, ALL),
    ...crud('/admin/governance-items', ids.item, { code: 'GI-MATRIX', name: '矩阵事项' }, { name: '改名' }, ALL),
    { method: 'GET', path: '/admin/routing-rules', allowed: ALL },
    { method: 'PATCH', path: '/admin/routing-rules/SJ-0101', allowed: ADMIN, body: { routingRule: '属地' } },
    ...crud('/admin/calendar-days', '2026-10-01', { date: '2026-12-31', kind: 'holiday', note: '矩阵' }, { note: '改' }, ALL),
    // cameras and Open311 clients
    ...crud('/admin/cameras', ids.camera, { code: 'CAM-MATRIX', name: '矩阵', gridCode: 'G-XP-01-01', eventTypeCodes: ['SJ-0101'] }, { name: '改名' }, [
      'admin',
      'auditor',
      'operator',
    ]),
    { method: 'POST', path: `/admin/cameras/${ids.camera}/rotate-key`, allowed: ADMIN },
    { method: 'GET', path: '/admin/open311-clients', allowed: ADMIN_AUDITOR },
    { method: 'POST', path: '/admin/open311-clients', allowed: ADMIN, body: { name: '矩阵客户端' } },
    { method: 'POST', path: `/admin/open311-clients/${ids.client}/disable`, allowed: ADMIN },
    // processes and forms
    { method: 'GET', path: '/admin/processes', allowed: ADMIN_AUDITOR },
    { method: 'GET', path: '/admin/processes/case-generic/versions', allowed: ADMIN_AUDITOR },
    { method: 'GET', path: '/admin/processes/case-generic/versions/latest/xml', allowed: ADMIN_AUDITOR },
    { method: 'GET', path: '/admin/processes/case-generic/draft', allowed: ADMIN_AUDITOR },
    { method: 'PUT', path: '/admin/processes/matrix-process/draft', allowed: ADMIN, body: { xml: bpmn('matrix-process') } },
    { method: 'DELETE', path: '/admin/processes/case-generic/draft', allowed: ADMIN },
    { method: 'GET', path: '/admin/processes/case-generic/diff?from=1&to=latest', allowed: ADMIN_AUDITOR },
    { method: 'POST', path: '/admin/lint', allowed: ADMIN_AUDITOR, body: { xml: bpmn('matrix-process') } },
    { method: 'POST', path: '/admin/processes/deploy', allowed: ADMIN, body: { xml: bpmn('matrix-process') } },
    { method: 'GET', path: '/admin/element-templates', allowed: ADMIN_AUDITOR },
    { method: 'GET', path: '/admin/forms', allowed: ADMIN_AUDITOR },
    { method: 'GET', path: '/admin/forms/case-accept/versions', allowed: ADMIN_AUDITOR },
    { method: 'GET', path: '/admin/forms/case-accept/versions/latest', allowed: ADMIN_AUDITOR },
    { method: 'POST', path: '/admin/forms/case-matrix/deploy', allowed: ADMIN, body: { schema: { type: 'default', id: 'case-matrix', components: [] } } },
    // 流程运维: auditors read everything, a migration's preview included (it writes nothing); only admins act
    { method: 'GET', path: '/operations/processes', allowed: ADMIN_AUDITOR },
    { method: 'GET', path: '/operations/instances', allowed: ADMIN_AUDITOR },
    { method: 'GET', path: '/operations/batches', allowed: ADMIN_AUDITOR },
    { method: 'POST', path: '/operations/migrations/preview', allowed: ADMIN_AUDITOR, body: { plan: NO_PLAN, filter: NOWHERE } },
    { method: 'POST', path: '/operations/instances/2251799813685249999/migration/preview', allowed: ADMIN_AUDITOR, body: { plan: NO_PLAN } },
    { method: 'POST', path: '/operations/migrations', allowed: ADMIN, body: { plan: NO_PLAN, filter: NOWHERE, reason: '矩阵' } },
    { method: 'POST', path: '/operations/instances/2251799813685249999/migration', allowed: ADMIN, body: { plan: NO_PLAN, reason: '矩阵' } },
    { method: 'POST', path: '/operations/instances/2251799813685249999/cancel', allowed: ADMIN, body: { reason: '矩阵' } },
    { method: 'POST', path: '/operations/incidents/2251799813685249999/retry', allowed: ADMIN, body: { reason: '矩阵' } },
    { method: 'POST', path: '/operations/batches', allowed: ADMIN, body: { action: 'cancel', reason: '矩阵', filter: NOWHERE } },
    // audit and dashboard
    { method: 'GET', path: '/audit/verify', allowed: ADMIN_AUDITOR },
    { method: 'GET', path: '/audit/log.csv', allowed: ADMIN_AUDITOR },
    ...['summary', 'trends', 'rankings', 'hotspots', 'map'].map((p): Row => ({ method: 'GET', path: `/dashboard/${p}`, allowed: DASHBOARD })),
    // intake by logged-in channels
    {
      method: 'POST',
      path: '/cases',
      allowed: ['admin', 'operator', 'gridworker', 'leader'],
      body: { description: '矩阵测试：路灯不亮', gridCode: 'G-XP-01-01', channel: 'hotline' },
    },
    // reading cases: everyone logged in gets past the guard (scope is checked per case: 404 elsewhere)
    { method: 'GET', path: '/cases', allowed: ALL },
    { method: 'GET', path: `/cases/${ids.caseId}/history`, allowed: ALL },
    // 改派 is the centre's
    { method: 'POST', path: `/cases/${ids.caseId}/redispatch`, allowed: ['admin', 'operator'], body: { unitCode: 'D-CGJ', reason: '矩阵：改派' } },
    { method: 'GET', path: `/cases/${ids.caseId}/attachments`, allowed: ALL },
    { method: 'GET', path: `/attachments/${ids.attachment}`, allowed: ALL },
    { method: 'GET', path: '/tasks', allowed: ALL },
    // the cases stopped on an incident: the centre's inbox
    { method: 'GET', path: '/tasks/incidents', allowed: ['admin', 'operator'] },
  ];
}

/** Everything a refused request must leave alone. */
async function everything(): Promise<string> {
  const [units, grids, users, types, items, days, cases, tasks, idem, sessions, audit] = await Promise.all([
    Units.findAll({ attributes: ['id', 'name', 'updatedAt'], order: [['id', 'ASC']] }),
    Grids.findAll({ attributes: ['id', 'name', 'updatedAt'], order: [['id', 'ASC']] }),
    Users.findAll({ attributes: ['id', 'displayName', 'passwordHash', 'updatedAt'], order: [['id', 'ASC']] }),
    EventTypes.findAll({ attributes: ['id', 'name', 'routingRule', 'updatedAt'], order: [['id', 'ASC']] }),
    GovernanceItems.count(),
    CalendarDays.count(),
    Cases.count(),
    InboxTasks.count(),
    IdempotencyRecords.count(),
    Sessions.count(),
    // only records no background worker writes: admin.*, open311.*, process/form deploys, cameras
    AuditRecords.count({ where: { actorRole: ['admin', 'operator', 'dept_staff', 'dept_leader', 'grid_worker', 'leader', 'auditor'] } }),
  ]);
  return JSON.stringify({ units, grids, users, types, items, days, cases, tasks, idem, sessions, audit });
}

describe('REST API: the role × endpoint matrix', function () {
  this.timeout(300_000);
  let api: ApiWorld;
  const tokens = {} as Record<RoleUser, string>;
  let rows: Row[];

  before(async () => {
    api = await openApiWorld();
    for (const u of ROLE_USERS) tokens[u] = await api.login(u);
    const item = (await GovernanceItems.findOne({ order: [['id', 'ASC']] }))!;
    const camera = await api.call('POST', '/admin/cameras', {
      token: tokens.admin,
      body: { code: 'CAM-M-1', name: '矩阵摄像头', lat: 25.6, lng: 103.8, gridCode: 'G-XP-01-01', eventTypeCodes: ['SJ-0101'] },
    });
    expect(camera.status, JSON.stringify(camera.body)).to.equal(201);
    const client = await api.call<{ id: string }>('POST', '/admin/open311-clients', { token: tokens.admin, body: { name: '矩阵' } });
    expect(client.status, JSON.stringify(client.body)).to.equal(201);
    const filed = await api.call<{ id: string }>('POST', '/cases', { token: tokens.operator, body: { description: '矩阵：井盖缺失', gridCode: 'G-XP-01-01' } });
    expect(filed.status, JSON.stringify(filed.body)).to.equal(201);
    // the workers process the case in the background after the 201: let it come to rest at its first
    // task, or the inbox row appearing later would read as a change made by a refused request
    await eventually("the filed case's first task in the inbox", () => InboxTasks.findOne({ where: { caseId: filed.body.id } }));
    rows = matrix({ item: String(item.id), camera: 'CAM-M-1', client: String(client.body.id), caseId: filed.body.id, attachment: '1' });
  });
  after(() => api.close());

  it('given no token, when any guarded endpoint is called, then 401 unauthenticated and nothing changes', async () => {
    for (const row of rows) {
      const before = await everything();
      const res = await api.call(row.method, row.path, { token: null, ...(row.body !== undefined ? { body: row.body } : {}) });
      expect(res.status, `${row.method} ${row.path}`).to.equal(401);
      expect(await everything(), `${row.method} ${row.path} changed something`).to.equal(before);
    }
  });

  it("given each role outside an endpoint's allowed set, when it calls, then 403 forbidden and nothing changes", async () => {
    let refusals = 0;
    for (const row of rows) {
      for (const role of ROLE_USERS.filter((r) => !row.allowed.includes(r))) {
        const before = await everything();
        const res = await api.call(row.method, row.path, { token: tokens[role], ...(row.body !== undefined ? { body: row.body } : {}) });
        expect(res.status, `${role}: ${row.method} ${row.path} → ${JSON.stringify(res.body)}`).to.equal(403);
        expect((res.body as { code?: string } | null)?.code, `${role}: ${row.method} ${row.path}`).to.equal('forbidden');
        expect(await everything(), `${role}: ${row.method} ${row.path} changed something`).to.equal(before);
        refusals++;
      }
    }
    expect(refusals).to.be.greaterThan(200);
  });

  it('given each allowed role, when it reads, then the guard lets it through (no 401/403)', async () => {
    // a preview is a POST that reads
    for (const row of rows.filter((r) => r.method === 'GET' || r.path.endsWith('/preview'))) {
      for (const role of row.allowed) {
        const res = await api.call(row.method, row.path, { token: tokens[role], ...(row.body !== undefined ? { body: row.body } : {}) });
        expect([401, 403], `${role}: GET ${row.path} → ${res.status} ${JSON.stringify(res.body)}`).not.to.include(res.status);
      }
    }
  });
});
