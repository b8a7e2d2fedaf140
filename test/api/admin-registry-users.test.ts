import { expect } from 'chai';
import { Sessions, UserGrids, Users } from '../support/tables.js';
import { verifyPassword } from '../../domain/auth/password.js';
import { openApiWorld, PASSWORD, type ApiWorld } from './support/api-world.js';
import { expectRefused, lastAudit, tokensFor } from './admin-registry-support.js';

describe('REST API: registry administration — users', function () {
  this.timeout(120_000);
  let api: ApiWorld;
  let t: Record<string, string>;
  before(async () => {
    api = await openApiWorld();
    t = await tokensFor(api);
  });
  after(() => api.close());

  const noHashes = (body: unknown) => expect(JSON.stringify(body)).not.to.match(/passwordHash|scrypt\$/);

  it('given admin and auditor, when listing and reading users, then they see accounts without any password hash; other roles get 403', async () => {
    for (const who of ['admin', 'auditor']) {
      const list = await api.call<{ items: Array<{ username: string; gridCodes: string[] }>; total: number }>('GET', '/admin/users?pageSize=100', {
        token: t[who]!,
      });
      expect(list.status).to.equal(200);
      expect(list.body.total).to.equal(await Users.count());
      noHashes(list.body);
      expect(list.body.items.find((u) => u.username === 'gridworker')!.gridCodes.length).to.be.greaterThan(0);
      const one = await api.call('GET', '/admin/users/clerk', { token: t[who]! });
      expect(one.body).to.include({ username: 'clerk', role: 'dept_staff', enabled: true });
      noHashes(one.body);
    }
    const graders = await api.call<{ items: Array<{ role: string }> }>('GET', '/admin/users?role=grid_worker', { token: t['admin']! });
    expect(graders.body.items.every((u) => u.role === 'grid_worker')).to.equal(true);
    for (const who of ['operator', 'clerk', 'dept_leader', 'gridworker', 'leader']) {
      await expectRefused(api, 'GET', '/admin/users', { token: t[who]! }, 403, 'forbidden');
      await expectRefused(api, 'GET', '/admin/users/admin', { token: t[who]! }, 403, 'forbidden');
    }
    await expectRefused(api, 'GET', '/admin/users', {}, 401, 'unauthenticated');
  });

  it('given an admin, when creating a grid worker with grids and a password, then the password is stored hashed (scrypt), never returned, and the account can log in', async () => {
    const res = await api.call<{ user: Record<string, unknown>; password?: string }>('POST', '/admin/users', {
      token: t['admin']!,
      body: {
        username: 'gw.test',
        displayName: '网格员 测试',
        role: 'grid_worker',
        unitCode: 'T-XP',
        gridCodes: ['G-XP-01-01', 'G-XP-01-02'],
        password: 'Str0ng#pass',
        phone: '13900000000',
      },
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body.password).to.equal(undefined);
    expect(res.body.user).to.deep.include({ username: 'gw.test', role: 'grid_worker', unitCode: 'T-XP', gridCodes: ['G-XP-01-01', 'G-XP-01-02'] });
    noHashes(res.body);
    const row = (await Users.findOne({ where: { username: 'gw.test' } }))!;
    expect(row.passwordHash).to.match(/^scrypt\$/);
    expect(await verifyPassword('Str0ng#pass', row.passwordHash)).to.equal(true);
    const audit = await lastAudit();
    expect(audit).to.include({ action: 'admin.user.create', actor: 'admin' });
    noHashes(audit.detail);
    expect(JSON.stringify(audit.detail)).not.to.contain('Str0ng#pass');
    expect(await api.login('gw.test', 'Str0ng#pass')).to.be.a('string');
  });

  it('given no password, when creating a user, then a generated one is returned once and works', async () => {
    const res = await api.call<{ user: { username: string }; password: string }>('POST', '/admin/users', {
      token: t['admin']!,
      body: { username: 'clerk2', displayName: '科员二', role: 'dept_staff', unitCode: 'D-CGJ' },
    });
    expect(res.status).to.equal(201);
    expect(res.body.password).to.match(/^.{16}$/);
    expect(await api.login('clerk2', res.body.password)).to.be.a('string');
    expect(JSON.stringify((await api.call('GET', '/admin/users/clerk2', { token: t['admin']! })).body)).not.to.contain(res.body.password);
  });

  it('given a reset, when done, then the new password is returned once, the old one and every session stop working, and the audit names no secret', async () => {
    const res0 = await api.call<{ user: { id: number } }>('POST', '/admin/users', {
      token: t['admin']!,
      body: { username: 'reset.me', displayName: '待重置', role: 'operator', password: 'Old#pass123' },
    });
    const session = await api.login('reset.me', 'Old#pass123');
    expect((await api.call('GET', '/auth/me', { token: session })).status).to.equal(200);
    const res = await api.call<{ password: string }>('POST', `/admin/users/${res0.body.user.id}/reset-password`, { token: t['admin']! });
    expect(res.status).to.equal(200);
    expect(Object.keys(res.body)).to.deep.equal(['password']);
    expect((await api.call('GET', '/auth/me', { token: session })).status).to.equal(401);
    expect((await api.call('POST', '/auth/login', { body: { username: 'reset.me', password: 'Old#pass123' } })).status).to.equal(401);
    expect(await api.login('reset.me', res.body.password)).to.be.a('string');
    const audit = await lastAudit();
    expect(audit.action).to.equal('admin.user.reset_password');
    expect(JSON.stringify(audit.detail)).not.to.contain(res.body.password);
    await expectRefused(api, 'POST', '/admin/users/reset.me/reset-password', { token: t['auditor']! }, 403, 'forbidden');
  });

  it('given a user disabled by PATCH, when their token is used, then 401 at once and they cannot log in; enabled again, they can', async () => {
    await api.call('POST', '/admin/users', {
      token: t['admin']!,
      body: { username: 'leaver', displayName: '离职人员', role: 'leader', password: 'Leaver#123' },
    });
    const token = await api.login('leaver', 'Leaver#123');
    const off = await api.call('PATCH', '/admin/users/leaver', { token: t['admin']!, body: { enabled: false } });
    expect(off.status).to.equal(200);
    expect(off.body).to.include({ enabled: false });
    expect(await Sessions.count({ where: { userId: (await Users.findOne({ where: { username: 'leaver' } }))!.id } })).to.equal(0);
    expect((await api.call('GET', '/auth/me', { token })).status).to.equal(401);
    expect((await api.call('POST', '/auth/login', { body: { username: 'leaver', password: 'Leaver#123' } })).status).to.equal(401);
    const audit = await lastAudit();
    expect(audit.action).to.equal('admin.user.update');
    expect(audit.detail).to.deep.include({ key: 'leaver' });
    expect((audit.detail!['before'] as { enabled: boolean }).enabled).to.equal(true);
    expect((audit.detail!['after'] as { enabled: boolean }).enabled).to.equal(false);
    await api.call('PATCH', '/admin/users/leaver', { token: t['admin']!, body: { enabled: true } });
    expect(await api.login('leaver', 'Leaver#123')).to.be.a('string');
  });

  it('given a token in use (its caller remembered for a moment), when logged out, given a new role or disabled, then the very next request sees it', async () => {
    await api.call('POST', '/admin/users', {
      token: t['admin']!,
      body: { username: 'busy.user', displayName: '忙碌用户', role: 'leader', password: 'Busy#1234' },
    });
    const token = await api.login('busy.user', 'Busy#1234');
    const me = () => api.call<{ user: { role: string } }>('GET', '/auth/me', { token });
    expect((await me()).body.user.role).to.equal('leader');
    expect((await api.call('PATCH', '/admin/users/busy.user', { token: t['admin']!, body: { role: 'auditor' } })).status).to.equal(200);
    expect((await me()).body.user.role, 'the new role at once').to.equal('auditor');
    expect((await api.call('PATCH', '/admin/users/busy.user', { token: t['admin']!, body: { enabled: false } })).status).to.equal(200);
    expect((await me()).status, 'disabled: refused at once').to.equal(401);
    await api.call('PATCH', '/admin/users/busy.user', { token: t['admin']!, body: { enabled: true } });
    const again = await api.login('busy.user', 'Busy#1234');
    expect((await api.call('GET', '/auth/me', { token: again })).status).to.equal(200);
    expect((await api.call('POST', '/auth/logout', { token: again })).status).to.equal(204);
    expect((await api.call('GET', '/auth/me', { token: again })).status, 'logged out: refused at once').to.equal(401);
  });

  it('given a role change away from grid worker, when patched, then the grids go with it; department roles need a unit', async () => {
    const res = await api.call('PATCH', '/admin/users/gw.test', { token: t['admin']!, body: { role: 'operator' } });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.deep.include({ role: 'operator', gridCodes: [] });
    expect(await UserGrids.count({ where: { userId: (await Users.findOne({ where: { username: 'gw.test' } }))!.id } })).to.equal(0);
    await expectRefused(api, 'PATCH', '/admin/users/gw.test', { token: t['admin']!, body: { role: 'dept_staff', unitCode: null } }, 400, 'invalid_input');
    await expectRefused(api, 'PATCH', '/admin/users/gw.test', { token: t['admin']!, body: { role: 'grid_worker' } }, 400, 'invalid_input');
    await expectRefused(api, 'PATCH', '/admin/users/gw.test', { token: t['admin']!, body: { gridCodes: ['G-XP-01-01'] } }, 400, 'invalid_input');
  });

  it('given the admin themself, when disabling, demoting or deleting their own account, then 409 self_lockout', async () => {
    await expectRefused(api, 'PATCH', '/admin/users/admin', { token: t['admin']!, body: { enabled: false } }, 409, 'self_lockout');
    await expectRefused(api, 'PATCH', '/admin/users/admin', { token: t['admin']!, body: { role: 'auditor' } }, 409, 'self_lockout');
    await expectRefused(api, 'DELETE', '/admin/users/admin', { token: t['admin']! }, 409, 'self_lockout');
  });

  it('given accounts that acted (audit log, cases, tasks), when deleted, then 409 in_use; an account that never acted can go', async () => {
    const filed = await api.call('POST', '/cases', { token: t['operator']!, body: { description: '测试：井盖缺失', address: '沾益区西平街道' } });
    expect(filed.status).to.equal(201);
    await expectRefused(api, 'DELETE', '/admin/users/operator', { token: t['admin']! }, 409, 'in_use');
    await api.call('POST', '/admin/users', {
      token: t['admin']!,
      body: { username: 'mistake', displayName: '建错了', role: 'auditor', password: 'Mistake#123' },
    });
    expect((await api.call('DELETE', '/admin/users/mistake', { token: t['admin']! })).status).to.equal(204);
    expect(await Users.findOne({ where: { username: 'mistake' } })).to.equal(null);
    expect((await lastAudit()).action).to.equal('admin.user.delete');
  });

  it('given bad user input, when posted, then 4xx with a code and nothing written', async () => {
    const ok = { username: 'new.user', displayName: '新用户', role: 'operator', password: 'Good#pass1' };
    const bad: Array<[string, unknown, number, string]> = [
      ['a taken username', { ...ok, username: 'clerk' }, 409, 'duplicate'],
      ['an unknown role', { ...ok, role: 'root' }, 400, 'invalid_input'],
      ['a short password', { ...ok, password: 'short' }, 400, 'invalid_input'],
      ['a password hash smuggled in', { ...ok, passwordHash: 'scrypt$1$1$1$a$b' }, 400, 'invalid_input'],
      ['an unknown unit', { ...ok, role: 'dept_staff', unitCode: 'D-NOWHERE' }, 400, 'unknown_reference'],
      ['an unknown grid', { ...ok, role: 'grid_worker', gridCodes: ['G-NOWHERE'] }, 400, 'unknown_reference'],
      ['a department role without unit', { ...ok, role: 'dept_leader' }, 400, 'invalid_input'],
      ['grids for an operator', { ...ok, gridCodes: ['G-XP-01-01'] }, 400, 'invalid_input'],
      ['a username with spaces', { ...ok, username: 'a b' }, 400, 'invalid_input'],
      ['a number as display name', { ...ok, displayName: 42 }, 400, 'invalid_input'],
      ['no display name', { username: 'x.y.z', role: 'operator' }, 400, 'invalid_input'],
    ];
    for (const [what, body, status, code] of bad) {
      await expectRefused(api, 'POST', '/admin/users', { token: t['admin']!, body }, status, code).catch((e: Error) => {
        throw new Error(`${what}: ${e.message}`);
      });
    }
    await expectRefused(api, 'PATCH', '/admin/users/clerk', { token: t['admin']!, body: { password: 'NewPass#123' } }, 400, 'invalid_input');
    await expectRefused(api, 'PATCH', '/admin/users/clerk', { token: t['admin']!, body: { username: 'clerk3' } }, 400, 'invalid_input');
    await expectRefused(api, 'PATCH', '/admin/users/clerk', { token: t['admin']!, body: {} }, 400, 'invalid_input');
    expect(await api.login('clerk', PASSWORD)).to.be.a('string');
  });
});
