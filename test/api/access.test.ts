import { expect } from 'chai';
import { InboxTasks, Units, Users, type Row } from '../support/tables.js';
import { createCase } from '../support/case-fixtures.js';
import { openApiWorld, snapshot, type ApiWorld } from './support/api-world.js';

describe('REST API: login, roles and unit scope', function () {
  this.timeout(60_000);
  let api: ApiWorld;
  let tokens: Record<string, string>;
  let ownCase: Row<'cases'>; // sent to the clerk's unit
  let otherCase: Row<'cases'>; // sent to another unit
  const keys = { own: '9000000000000001', other: '9000000000000002', pool: '9000000000000003' };

  before(async () => {
    api = await openApiWorld();
    tokens = {};
    for (const u of ['admin', 'operator', 'clerk', 'dept_leader', 'gridworker', 'leader', 'auditor']) tokens[u] = await api.login(u);
    const clerk = (await Users.findOne({ where: { username: 'clerk' } }))!;
    const other = (await Units.findOne({ where: { code: 'D-ZFW' } }))!;
    ownCase = await createCase({ unitId: clerk.unitId, status: 'dispatched', reporterPhone: '13812345678' });
    otherCase = await createCase({ unitId: other.id, status: 'dispatched', reporterPhone: '13812345678' });
    // inbox rows as the sync writes them (refusals happen before the engine is asked)
    const row = (userTaskKey: string, caseId: string, unitId: number | null, groups: string[], elementId: string) =>
      InboxTasks.create({
        userTaskKey,
        caseId,
        processInstanceKey: null,
        elementId,
        name: elementId,
        formId: `case-${elementId}`,
        unitId,
        assignee: null,
        candidateGroups: groups,
        state: 'created',
        dueAt: new Date(Date.now() + 3600_000),
        followUpAt: null,
        completedAt: null,
        completedBy: null,
      });
    const clerkUnit = (await Units.findByPk(clerk.unitId!))!;
    await row(keys.own, ownCase.id, clerk.unitId, [clerkUnit.code], 'handle');
    await row(keys.other, otherCase.id, other.id, [other.code], 'handle');
    await row(keys.pool, ownCase.id, null, ['operator'], 'accept');
  });
  after(() => api.close());

  it('given the demo password, when logging in, then a bearer token opens /auth/me; a wrong password is 401 bad_credentials', async () => {
    const me = await api.call<{ user: { username: string; role: string } }>('GET', '/auth/me', { token: tokens['clerk']! });
    expect(me.status).to.equal(200);
    expect(me.body.user).to.include({ username: 'clerk', role: 'dept_staff' });
    for (const body of [
      { username: 'clerk', password: 'wrong-password' },
      { username: 'nobody', password: 'Demo@2026' },
    ]) {
      const before = await snapshot();
      const bad = await api.call('POST', '/auth/login', { body, headers: { 'Accept-Language': 'en' } });
      expect(bad.status).to.equal(401);
      expect(bad.body).to.deep.equal({ code: 'bad_credentials', message: 'Wrong username or password' });
      expect(await snapshot()).to.equal(before);
    }
    const zh = await api.call('POST', '/auth/login', { body: { username: 'clerk', password: 'x' } });
    expect(zh.body['message']).to.equal('用户名或密码错误');
  });

  it('given a logged-out token, when used, then 401', async () => {
    const token = await api.login('auditor', 'Demo@2026');
    const fresh = (await api.call<{ token: string }>('POST', '/auth/login', { body: { username: 'auditor', password: 'Demo@2026' } })).body.token;
    expect((await api.call('POST', '/auth/logout', { token: fresh })).status).to.equal(204);
    expect((await api.call('GET', '/auth/me', { token: fresh })).status).to.equal(401);
    expect((await api.call('GET', '/auth/me', { token })).status).to.equal(200);
  });

  const writeBody = { description: '测试：井盖缺失', address: '沾益区西平街道' };
  const matrix: Array<{ who: string | null; method: string; path: () => string; body?: unknown; status: number; code: string }> = [
    // no or a bad token
    ...(
      [
        'GET /auth/me',
        'POST /cases',
        'GET /cases/1',
        'GET /tasks',
        `GET /tasks/${keys.own}`,
        `POST /tasks/${keys.own}/claim`,
        `POST /tasks/${keys.own}/unclaim`,
        `POST /tasks/${keys.own}/complete`,
      ] as const
    ).flatMap((route) =>
      [null, 'forged'].map((who) => {
        const [method, path] = route.split(' ') as [string, string];
        return { who, method, path: () => path, body: method === 'POST' ? { data: {} } : undefined, status: 401, code: 'unauthenticated' };
      }),
    ),
    // filing is for operators, grid workers, leaders and admins
    { who: 'clerk', method: 'POST', path: () => '/cases', body: writeBody, status: 403, code: 'forbidden' },
    { who: 'dept_leader', method: 'POST', path: () => '/cases', body: writeBody, status: 403, code: 'forbidden' },
    { who: 'auditor', method: 'POST', path: () => '/cases', body: writeBody, status: 403, code: 'forbidden' },
    { who: 'operator', method: 'POST', path: () => '/cases', body: { ...writeBody, priority: 99 }, status: 403, code: 'forbidden' },
    // unit scope: another unit's case and task do not exist for department staff
    { who: 'clerk', method: 'GET', path: () => '/cases/:otherCase', status: 404, code: 'case_not_found' },
    { who: 'dept_leader', method: 'GET', path: () => '/cases/:otherCase', status: 404, code: 'case_not_found' },
    { who: 'clerk', method: 'GET', path: () => `/tasks/${keys.other}`, status: 404, code: 'task_not_found' },
    { who: 'clerk', method: 'POST', path: () => `/tasks/${keys.other}/claim`, status: 404, code: 'task_not_found' },
    {
      who: 'dept_leader',
      method: 'POST',
      path: () => `/tasks/${keys.other}/complete`,
      body: { data: { handleOutcome: 'done', handleResult: 'x' } },
      status: 404,
      code: 'task_not_found',
    },
    { who: 'clerk', method: 'GET', path: () => `/tasks/${keys.pool}`, status: 404, code: 'task_not_found' },
    { who: 'gridworker', method: 'POST', path: () => `/tasks/${keys.pool}/claim`, status: 404, code: 'task_not_found' },
    // operators see a unit's task but do not do the unit's work
    { who: 'operator', method: 'POST', path: () => `/tasks/${keys.own}/claim`, status: 403, code: 'forbidden' },
    // auditors and district leaders read everything and change nothing
    ...['auditor', 'leader'].flatMap((who) => [
      { who, method: 'POST', path: () => `/tasks/${keys.own}/claim`, status: 403, code: 'forbidden' },
      { who, method: 'POST', path: () => `/tasks/${keys.pool}/unclaim`, status: 403, code: 'forbidden' },
      {
        who,
        method: 'POST',
        path: () => `/tasks/${keys.own}/complete`,
        body: { data: { handleOutcome: 'done', handleResult: 'x' } },
        status: 403,
        code: 'forbidden',
      },
    ]),
  ];

  for (const row of matrix) {
    it(`given ${row.who ?? 'no token'}, when ${row.method} ${row.path()}, then ${row.status} ${row.code} and nothing changes`, async () => {
      const before = await snapshot();
      const token = row.who === null ? null : row.who === 'forged' ? 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' : tokens[row.who]!;
      const path = row.path().replace(':otherCase', otherCase.id).replace(':ownCase', ownCase.id);
      const res = await api.call(row.method, path, { token, ...(row.body !== undefined ? { body: row.body } : {}) });
      expect(res.status, JSON.stringify(res.body)).to.equal(row.status);
      expect(res.body['code']).to.equal(row.code);
      expect(res.body['message']).to.be.a('string').and.not.equal('');
      expect(await snapshot()).to.equal(before);
    });
  }

  it("given the unit scope, when department staff list tasks, then only their unit's tasks appear; centre roles see all", async () => {
    const list = async (who: string) =>
      (await api.call<{ tasks: Array<{ userTaskKey: string }> }>('GET', '/tasks', { token: tokens[who]! })).body.tasks.map((t) => t.userTaskKey);
    for (const who of ['clerk', 'dept_leader']) {
      const seen = await list(who);
      expect(seen).to.include(keys.own);
      expect(seen).not.to.include.members([keys.other]);
      expect(seen).not.to.include(keys.pool);
    }
    for (const who of ['operator', 'auditor', 'admin', 'leader']) expect(await list(who)).to.include.members([keys.own, keys.other, keys.pool]);
    const clerkOther = await api.call<{ tasks: unknown[] }>('GET', '/tasks?unit=D-ZFW', { token: tokens['clerk']! });
    expect(clerkOther.body.tasks).to.deep.equal([]);
    const dueSoon = await api.call<{ tasks: Array<{ userTaskKey: string }> }>('GET', '/tasks?dueSoon=true&unit=D-ZFW', { token: tokens['operator']! });
    expect(dueSoon.body.tasks.map((t) => t.userTaskKey)).to.deep.equal([keys.other]);
    const overdue = await api.call<{ tasks: unknown[] }>('GET', '/tasks?overdue=true', { token: tokens['operator']! });
    expect(overdue.body.tasks).to.deep.equal([]);
    const red = await api.call<{ tasks: unknown[] }>('GET', '/tasks?light=red', { token: tokens['operator']! });
    expect(red.body.tasks).to.deep.equal([]);
  });

  it('given a case, when read, then the phone is whole for the centre and masked for units and auditors', async () => {
    const phone = async (who: string, c: Row<'cases'>) =>
      (await api.call<{ reporterPhone: string }>('GET', `/cases/${c.id}`, { token: tokens[who]! })).body.reporterPhone;
    expect(await phone('operator', otherCase)).to.equal('13812345678');
    expect(await phone('admin', otherCase)).to.equal('13812345678');
    expect(await phone('auditor', otherCase)).to.equal('138****5678');
    expect(await phone('leader', otherCase)).to.equal('138****5678');
    expect(await phone('clerk', ownCase)).to.equal('138****5678');
  });

  it('given an inbox row the engine no longer has, when the clerk claims it, then 409 task_finished and the row stays as it was', async () => {
    const before = await snapshot();
    const res = await api.call('POST', `/tasks/${keys.own}/claim`, { token: tokens['clerk']! });
    expect(res.status).to.equal(409);
    expect(res.body['code']).to.equal('task_finished');
    expect(await snapshot()).to.equal(before);
  });

  it('given the docs route, when fetched, then an OpenAPI 3 document lists every route', async () => {
    const res = await api.call<{ openapi: string; paths: Record<string, unknown> }>('GET', '/docs');
    expect(res.status).to.equal(200);
    expect(res.body.openapi).to.match(/^3\./);
    expect(Object.keys(res.body.paths)).to.include.members([
      '/auth/login',
      '/auth/me',
      '/cases',
      '/cases/{id}',
      '/public/reports',
      '/public/reports/{token}',
      '/public/reports/{token}/rating',
      '/tasks',
      '/tasks/{key}',
      '/tasks/{key}/claim',
      '/tasks/{key}/unclaim',
      '/tasks/{key}/complete',
    ]);
    expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
  });
});
