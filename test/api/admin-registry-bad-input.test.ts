import { expect } from 'chai';
import { unitCreateBody } from '../../api/admin/registry/unit-routes.js';
import { Units } from '../support/tables.js';
import { openApiWorld, type ApiWorld } from './support/api-world.js';
import { expectRefused, registrySnapshot, tokensFor } from './admin-registry-support.js';

/** Every write endpoint of the registry with a body that would be accepted. */
const WRITES: Array<{ method: string; path: string; body?: Record<string, unknown>; textField?: string }> = [
  { method: 'POST', path: '/admin/units', body: { code: 'D-NEW', name: '新局', kind: 'department' }, textField: 'name' },
  { method: 'PATCH', path: '/admin/units/D-CGJ', body: { name: '沾益区城市管理局' }, textField: 'name' },
  { method: 'DELETE', path: '/admin/units/D-CGJ' },
  {
    method: 'POST',
    path: '/admin/grids',
    body: { code: 'G-NEW', name: '新网格', townshipCode: 'T-XP', communityCode: 'C-XP-01', centroidLng: 103.8, centroidLat: 25.6 },
    textField: 'name',
  },
  { method: 'PATCH', path: '/admin/grids/G-XP-01-01', body: { name: '新名字' }, textField: 'name' },
  { method: 'DELETE', path: '/admin/grids/G-XP-01-01' },
  {
    method: 'POST',
    path: '/admin/users',
    body: { username: 'new.one', displayName: '新人', role: 'operator', password: 'Good#pass1' },
    textField: 'displayName',
  },
  { method: 'PATCH', path: '/admin/users/clerk', body: { displayName: '科员' }, textField: 'displayName' },
  { method: 'DELETE', path: '/admin/users/clerk' },
  { method: 'POST', path: '/admin/users/clerk/reset-password' },
  {
    method: 'POST',
    path: '/admin/event-types',
    textField: 'name',
    body: {
      code: 'SJ-NEW',
      name: '新类',
      kind: '事件',
      major: '市容环境类',
      category: '市容环境',
      filingCondition: '条件',
      closingCondition: '条件',
      routingRule: '属地',
      ownerUnitCode: 'D-CGJ',
      clock: 'working',
      acceptLimit: '1h',
      dispatchLimit: '1h',
      handleLimit: '1d',
      verifyLimit: '4h',
      emergency: false,
    },
  },
  { method: 'PATCH', path: '/admin/event-types/SJ-0101', body: { name: '暴露垃圾' }, textField: 'name' },
  { method: 'DELETE', path: '/admin/event-types/SJ-0101' },
  {
    method: 'POST',
    path: '/admin/governance-items',
    body: { code: 'SX-NEW', name: '新事项', category: '其他', responsibleUnitCode: 'D-CGJ' },
    textField: 'name',
  },
  { method: 'PATCH', path: '/admin/governance-items/SX-001', body: { name: '新事项' }, textField: 'name' },
  { method: 'DELETE', path: '/admin/governance-items/SX-001' },
  { method: 'PATCH', path: '/admin/routing-rules/SJ-0101', body: { routingRule: '属主' } },
  { method: 'POST', path: '/admin/calendar-days', body: { date: '2026-10-10', working: false, note: '测试' }, textField: 'note' },
  { method: 'PATCH', path: '/admin/calendar-days/2026-10-09', body: { note: '测试' }, textField: 'note' },
  { method: 'DELETE', path: '/admin/calendar-days/2026-10-09' },
];

const READS_FOR_EVERYONE = [
  '/admin/units',
  '/admin/units/D-CGJ',
  '/admin/grids',
  '/admin/grids/G-XP-01-01',
  '/admin/event-types',
  '/admin/event-types/SJ-0101',
  '/admin/governance-items',
  '/admin/governance-items/SX-001',
  '/admin/routing-rules',
  '/admin/routing-rules/SJ-0101',
  '/admin/calendar-days',
  '/admin/calendar-days/2026-10-09',
];
const READS_FOR_AUDITORS = ['/admin/users', '/admin/users/clerk'];

describe('REST API: registry administration — roles and bad input', function () {
  this.timeout(300_000);
  let api: ApiWorld;
  let t: Record<string, string>;
  before(async () => {
    api = await openApiWorld();
    t = await tokensFor(api);
    const day = await api.call('POST', '/admin/calendar-days', { token: t['admin']!, body: { date: '2026-10-09', working: true, note: '国庆调休' } });
    expect(day.status).to.equal(201);
  });
  after(() => api.close());

  describe('roles', () => {
    it('given no or a bad token, when any registry endpoint is called, then 401 and nothing changes', async () => {
      for (const w of WRITES) {
        await expectRefused(api, w.method, w.path, { ...(w.body ? { body: w.body } : {}) }, 401, 'unauthenticated');
        await expectRefused(api, w.method, w.path, { token: 'not-a-real-token-at-all', ...(w.body ? { body: w.body } : {}) }, 401, 'unauthenticated');
      }
      for (const p of [...READS_FOR_EVERYONE, ...READS_FOR_AUDITORS]) await expectRefused(api, 'GET', p, {}, 401, 'unauthenticated');
    });

    it('given any role but admin (auditor included), when writing, then 403 and nothing changes', async () => {
      for (const who of ['operator', 'clerk', 'dept_leader', 'gridworker', 'leader', 'auditor']) {
        for (const w of WRITES) await expectRefused(api, w.method, w.path, { token: t[who]!, ...(w.body ? { body: w.body } : {}) }, 403, 'forbidden');
      }
    });

    it('given every signed-in role, when reading the pickers, then 200; users only for admin and auditor', async () => {
      for (const who of ['admin', 'operator', 'clerk', 'dept_leader', 'gridworker', 'leader', 'auditor']) {
        for (const p of READS_FOR_EVERYONE) expect((await api.call('GET', p, { token: t[who]! })).status, `${who} GET ${p}`).to.equal(200);
        for (const p of READS_FOR_AUDITORS) {
          const res = await api.call('GET', p, { token: t[who]! });
          expect(res.status, `${who} GET ${p}`).to.equal(who === 'admin' || who === 'auditor' ? 200 : 403);
          expect(JSON.stringify(res.body)).not.to.match(/passwordHash|scrypt\$/);
        }
      }
    });
  });

  it('given the docs route, when fetched, then every registry path and method is there with the request schema ajv checks', async () => {
    const docs = await api.call<{ paths: Record<string, Record<string, { requestBody?: { content: { 'application/json': { schema: unknown } } } }>> }>(
      'GET',
      '/docs',
    );
    const expected: Record<string, string[]> = {
      '/admin/units': ['get', 'post'],
      '/admin/units/{id}': ['get', 'patch', 'delete'],
      '/admin/grids': ['get', 'post'],
      '/admin/grids/{id}': ['get', 'patch', 'delete'],
      '/admin/users': ['get', 'post'],
      '/admin/users/{id}': ['get', 'patch', 'delete'],
      '/admin/users/{id}/reset-password': ['post'],
      '/admin/event-types': ['get', 'post'],
      '/admin/event-types/{id}': ['get', 'patch', 'delete'],
      '/admin/governance-items': ['get', 'post'],
      '/admin/governance-items/{id}': ['get', 'patch', 'delete'],
      '/admin/routing-rules': ['get'],
      '/admin/routing-rules/{id}': ['get', 'patch'],
      '/admin/calendar-days': ['get', 'post'],
      '/admin/calendar-days/{date}': ['get', 'patch', 'delete'],
    };
    for (const [path, methods] of Object.entries(expected)) {
      expect(Object.keys(docs.body.paths[path] ?? {}).sort(), path).to.deep.equal([...methods].sort());
    }
    expect(docs.body.paths['/admin/units']!['post']!.requestBody!.content['application/json'].schema).to.deep.equal(JSON.parse(JSON.stringify(unitCreateBody)));
  });

  describe('bad input', () => {
    for (const w of WRITES.filter((x) => x.body)) {
      it(`given malformed, mistyped, unknown, missing, oversize or control-character input, when ${w.method} ${w.path}, then 4xx with a code and nothing written`, async () => {
        const token = t['admin']!;
        const body = w.body!;
        await expectRefused(api, w.method, w.path, { token, raw: '{"name": ' }, 400, 'bad_json');
        await expectRefused(
          api,
          w.method,
          w.path,
          { token, raw: JSON.stringify(body), headers: { 'Content-Type': 'text/plain' } } as never,
          415,
          'unsupported_media_type',
        );
        for (const notObject of ['[]', 'null', '"text"', '42']) await expectRefused(api, w.method, w.path, { token, raw: notObject }, 400);
        await expectRefused(api, w.method, w.path, { token, body: { ...body, sneaky: 1 } }, 400, 'invalid_input');
        await expectRefused(api, w.method, w.path, { token, body: { ...body, id: 1 } }, 400, 'invalid_input');
        await expectRefused(api, w.method, w.path, { token, body: {} }, 400, 'invalid_input');
        for (const key of Object.keys(body)) {
          await expectRefused(api, w.method, w.path, { token, body: { ...body, [key]: { $ne: null } } }, 400, 'invalid_input');
          await expectRefused(api, w.method, w.path, { token, body: { ...body, [key]: [body[key]] } }, 400, 'invalid_input');
        }
        if (w.textField) {
          await expectRefused(api, w.method, w.path, { token, body: { ...body, [w.textField]: '长'.repeat(20_000) } }, 400, 'invalid_input');
          await expectRefused(api, w.method, w.path, { token, body: { ...body, [w.textField]: 'a\u0000b' } }, 400, 'invalid_input');
          await expectRefused(api, w.method, w.path, { token, body: { ...body, [w.textField]: 'x'.repeat(300_000) } }, 413, 'payload_too_large');
        }
        if (w.method === 'POST') {
          for (const key of Object.keys(body).filter((k) => k !== 'note' && k !== 'password')) {
            const { [key]: _dropped, ...missing } = body;
            await expectRefused(api, w.method, w.path, { token, body: missing }, 400, 'invalid_input');
          }
        }
      });
    }

    it('given SQL and HTML injection strings, when stored through the registry, then they are kept verbatim as text and come back as JSON strings', async () => {
      const nasty = ["'; DROP TABLE units; --", '<script>alert("x")</script>', '" OR 1=1 --', '<img src=x onerror=alert(1)>', '%_\\'];
      for (const [i, name] of nasty.entries()) {
        const res = await api.call('POST', '/admin/units', {
          token: t['admin']!,
          body: { code: `D-INJ-${i}`, name, kind: 'department', contactPerson: name.slice(0, 50) },
        });
        expect(res.status, JSON.stringify(res.body)).to.equal(201);
        expect(res.headers.get('content-type')).to.match(/^application\/json/);
        expect(res.body).to.include({ name });
        expect((await Units.findOne({ where: { code: `D-INJ-${i}` } }))!.name).to.equal(name);
        const found = await api.call<{ items: Array<{ name: string }> }>('GET', `/admin/units?q=${encodeURIComponent(name)}`, { token: t['operator']! });
        expect(found.body.items.map((u) => u.name)).to.deep.equal([name]);
      }
      // the SQL in a filter is text too
      expect((await api.call<{ total: number }>('GET', `/admin/units?q=${encodeURIComponent("' OR '1'='1")}`, { token: t['admin']! })).body.total).to.equal(0);
      expect(await Units.count()).to.be.greaterThan(90);
      const item = await api.call('POST', '/admin/governance-items', {
        token: t['admin']!,
        body: { code: 'SX-INJ', name: nasty[1], category: '其他', responsibleUnitCode: 'D-CGJ', basis: nasty[0] },
      });
      expect(item.body).to.include({ name: nasty[1], basis: nasty[0] });
    });

    it('given bad paging or filters, when listing, then 400 invalid_input', async () => {
      for (const q of ['page=0', 'pageSize=5000', 'pageSize=abc', 'kind=ministry', 'unknown=1', `q=${'x'.repeat(101)}`]) {
        const res = await api.call('GET', `/admin/units?${q}`, { token: t['admin']! });
        expect(res.status, q).to.equal(400);
        expect(res.body['code'], q).to.equal('invalid_input');
      }
      expect((await api.call('GET', '/admin/units/not%20a%20code', { token: t['admin']! })).status).to.equal(400);
      expect((await api.call('GET', '/admin/calendar-days/tomorrow', { token: t['admin']! })).status).to.equal(400);
    });

    it('given the good bodies the refusals above started from, when an admin sends them, then each is accepted (the refusals were for the bad part only)', async () => {
      for (const w of WRITES.filter((x) => x.method !== 'DELETE')) {
        const res = await api.call(w.method, w.path, { token: t['admin']!, ...(w.body ? { body: w.body } : {}) });
        expect(res.status, `${w.method} ${w.path} ${JSON.stringify(res.body)}`).to.be.oneOf([200, 201]);
      }
    });

    it('given a refused write, when the registry is compared, then not even the audit log moved', async () => {
      const before = await registrySnapshot();
      const res = await api.call('POST', '/admin/grids', {
        token: t['admin']!,
        body: { code: 'G-XX-1', name: '网格', townshipCode: 'T-XP', communityCode: 'C-XP-01', centroidLng: 200, centroidLat: 25.6 },
      });
      expect(res.status).to.equal(400);
      expect(await registrySnapshot()).to.equal(before);
    });
  });
});
