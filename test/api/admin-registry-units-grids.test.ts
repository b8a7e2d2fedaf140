import { expect } from 'chai';
import { Grids, Units } from '../support/tables.js';
import { createCase } from '../support/case-fixtures.js';
import { openApiWorld, type ApiWorld } from './support/api-world.js';
import { expectRefused, lastAudit, registrySnapshot, tokensFor } from './admin-registry-support.js';

describe('REST API: registry administration — units and grids', function () {
  this.timeout(120_000);
  let api: ApiWorld;
  let t: Record<string, string>;
  before(async () => {
    api = await openApiWorld();
    t = await tokensFor(api);
  });
  after(() => api.close());

  describe('units', () => {
    it('given every signed-in role, when listing units with ?q and paging, then {items,total,page,pageSize} of the matching units', async () => {
      for (const who of ['admin', 'operator', 'clerk', 'gridworker', 'leader', 'auditor']) {
        const res = await api.call<{ items: Array<{ code: string; name: string; shortName: string | null }>; total: number; page: number; pageSize: number }>(
          'GET',
          '/admin/units?q=%E5%9F%8E%E7%AE%A1&pageSize=5',
          { token: t[who]! },
        );
        expect(res.status, who).to.equal(200);
        expect(res.body.items.length).to.be.greaterThan(0);
        expect(res.body.items.every((u) => u.name.includes('城管') || (u.shortName ?? '').includes('城管'))).to.equal(true);
        expect(res.body).to.include({ page: 1, pageSize: 5 });
      }
      const all = await api.call<{ total: number; items: unknown[] }>('GET', '/admin/units?pageSize=1000', { token: t['operator']! });
      expect(all.body.total).to.equal(await Units.count());
      expect(all.body.items).to.have.length(all.body.total);
      const page2 = await api.call<{ items: Array<{ code: string }> }>('GET', '/admin/units?pageSize=10&page=2', { token: t['auditor']! });
      const codes = (await Units.findAll({ order: [['code', 'ASC']], limit: 10, offset: 10 })).map((u) => u.code);
      expect(page2.body.items.map((u) => u.code)).to.deep.equal(codes);
      const towns = await api.call<{ items: Array<{ kind: string }>; total: number }>('GET', '/admin/units?kind=township&pageSize=1000', {
        token: t['admin']!,
      });
      expect(towns.body.items.every((u) => u.kind === 'township')).to.equal(true);
      expect(towns.body.total).to.equal(await Units.count({ where: { kind: 'township' } }));
      // a literal %: LIKE wildcards are not wildcards here
      expect((await api.call<{ total: number }>('GET', '/admin/units?q=%25', { token: t['admin']! })).body.total).to.equal(0);
    });

    it('given an admin, when creating, reading, changing and deleting an unused unit, then each step is stored and audited with actor and before/after', async () => {
      const created = await api.call<Record<string, unknown>>('POST', '/admin/units', {
        token: t['admin']!,
        body: { code: 'C-XP-99', name: '西平街道测试社区', kind: 'community', parentCode: 'T-XP', contactPhone: '0874-1234567' },
      });
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      expect(created.body).to.include({
        code: 'C-XP-99',
        name: '西平街道测试社区',
        kind: 'community',
        parentCode: 'T-XP',
        enabled: true,
        contactPhone: '0874-1234567',
      });
      let audit = await lastAudit();
      expect(audit).to.include({ actor: 'admin', actorRole: 'admin', action: 'admin.unit.create', caseId: null });
      expect(audit.detail).to.deep.include({ key: 'C-XP-99', before: null });
      expect((audit.detail!['after'] as Record<string, unknown>)['name']).to.equal('西平街道测试社区');

      const byCode = await api.call('GET', '/admin/units/C-XP-99', { token: t['clerk']! });
      const byId = await api.call('GET', `/admin/units/${String(created.body['id'])}`, { token: t['clerk']! });
      expect(byCode.status).to.equal(200);
      expect(byId.body).to.deep.equal(byCode.body);

      const changed = await api.call('PATCH', '/admin/units/C-XP-99', { token: t['admin']!, body: { shortName: '测试社区', contactPhone: null } });
      expect(changed.status, JSON.stringify(changed.body)).to.equal(200);
      expect(changed.body).to.include({ shortName: '测试社区', contactPhone: null });
      audit = await lastAudit();
      expect(audit.action).to.equal('admin.unit.update');
      expect((audit.detail!['before'] as Record<string, unknown>)['contactPhone']).to.equal('0874-1234567');
      expect((audit.detail!['after'] as Record<string, unknown>)['contactPhone']).to.equal(null);

      const gone = await api.call('DELETE', '/admin/units/C-XP-99', { token: t['admin']! });
      expect(gone.status).to.equal(204);
      expect(await Units.findOne({ where: { code: 'C-XP-99' } })).to.equal(null);
      audit = await lastAudit();
      expect(audit).to.include({ action: 'admin.unit.delete' });
      expect(audit.detail).to.deep.include({ after: null });
      expect((await api.call('GET', '/admin/units/C-XP-99', { token: t['admin']! })).status).to.equal(404);
    });

    it('given a unit with grids, users, event types or cases, when deleted, then 409 in_use naming them, nothing changes, and enabled:false switches it off instead', async () => {
      await expectRefused(api, 'DELETE', '/admin/units/T-XP', { token: t['admin']! }, 409, 'in_use');
      const res = await api.call<{ code: string; message: string; details: { errors: Array<{ message: string }> } }>('DELETE', '/admin/units/D-CGJ', {
        token: t['admin']!,
        headers: { 'Accept-Language': 'en' },
      });
      expect(res.status).to.equal(409);
      expect(res.body).to.include({ code: 'in_use', message: 'Still referred to by other records: it cannot be deleted, disable it instead' });
      expect(res.body.details.errors.map((e) => e.message).join(' ')).to.match(/event types/);
      const off = await api.call('PATCH', '/admin/units/E-DX', { token: t['admin']!, body: { enabled: false } });
      expect(off.status).to.equal(200);
      expect(off.body).to.include({ enabled: false });
      expect((await Units.findOne({ where: { code: 'E-DX' } }))!.active).to.equal(false);
      expect(
        (await api.call<{ items: Array<{ code: string }> }>('GET', '/admin/units?enabled=false', { token: t['admin']! })).body.items.map((u) => u.code),
      ).to.include('E-DX');
      await api.call('PATCH', '/admin/units/E-DX', { token: t['admin']!, body: { enabled: true } });
    });

    it('given a unit with cases only, when deleted, then in_use too', async () => {
      const created = await api.call<{ id: number }>('POST', '/admin/units', {
        token: t['admin']!,
        body: { code: 'D-TEST-CASES', name: '测试局', kind: 'department' },
      });
      await createCase({ unitId: created.body.id, status: 'dispatched' });
      await expectRefused(api, 'DELETE', '/admin/units/D-TEST-CASES', { token: t['admin']! }, 409, 'in_use');
    });

    it('given a kind change or a parent below itself, when patched, then refused and nothing changes', async () => {
      await expectRefused(api, 'PATCH', '/admin/units/T-XP', { token: t['admin']!, body: { kind: 'department' } }, 409, 'in_use');
      await expectRefused(api, 'PATCH', '/admin/units/T-XP', { token: t['admin']!, body: { parentCode: 'C-XP-01' } }, 400, 'invalid_input');
      await expectRefused(api, 'PATCH', '/admin/units/T-XP', { token: t['admin']!, body: { parentCode: 'T-XP' } }, 400, 'invalid_input');
      await expectRefused(api, 'PATCH', '/admin/units/C-XP-01', { token: t['admin']!, body: { parentCode: 'D-CGJ' } }, 400, 'invalid_input');
      await expectRefused(api, 'PATCH', '/admin/units/C-XP-01', { token: t['admin']!, body: { parentCode: 'T-NOWHERE' } }, 400, 'unknown_reference');
      await expectRefused(
        api,
        'POST',
        '/admin/units',
        { token: t['admin']!, body: { code: 'C-ORPHAN', name: '无主社区', kind: 'community' } },
        400,
        'invalid_input',
      );
      await expectRefused(api, 'POST', '/admin/units', { token: t['admin']!, body: { code: 'D-CGJ', name: '重复', kind: 'department' } }, 409, 'duplicate');
      await expectRefused(api, 'PATCH', '/admin/units/NO-SUCH', { token: t['admin']!, body: { name: 'x' } }, 404, 'not_found');
    });
  });

  describe('grids', () => {
    const ring = [
      [103.8, 25.6],
      [103.81, 25.6],
      [103.81, 25.61],
      [103.8, 25.61],
      [103.8, 25.6],
    ];

    it('given an admin, when creating a grid in a township and its community, then it is stored with its outline and audited; picker roles read it', async () => {
      const res = await api.call<Record<string, unknown>>('POST', '/admin/grids', {
        token: t['admin']!,
        body: {
          code: 'G-XP-01-99',
          name: '测试网格',
          townshipCode: 'T-XP',
          communityCode: 'C-XP-01',
          centroidLng: 103.805,
          centroidLat: 25.605,
          polygon: ring,
        },
      });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body).to.deep.include({ code: 'G-XP-01-99', townshipCode: 'T-XP', communityCode: 'C-XP-01', gridKind: '综合', enabled: true, polygon: ring });
      expect((await lastAudit()).action).to.equal('admin.grid.create');
      const list = await api.call<{ items: Array<{ code: string }>; total: number }>('GET', '/admin/grids?q=g-xp-01-99', { token: t['gridworker']! });
      expect(list.body.items.map((g) => g.code)).to.deep.equal(['G-XP-01-99']);
      const byTownship = await api.call<{ total: number }>('GET', '/admin/grids?townshipCode=T-XP&pageSize=1', { token: t['leader']! });
      expect(byTownship.body.total).to.equal(await Grids.count({ where: { townshipId: (await Units.findOne({ where: { code: 'T-XP' } }))!.id } }));
      const moved = await api.call('PATCH', '/admin/grids/G-XP-01-99', { token: t['admin']!, body: { polygon: null, gridKind: '专属' } });
      expect(moved.body).to.include({ polygon: null, gridKind: '专属' });
      expect((await api.call('DELETE', '/admin/grids/G-XP-01-99', { token: t['admin']! })).status).to.equal(204);
    });

    it('given a grid with cases or grid workers, when deleted, then 409 in_use; disabled, intake places no new case in it', async () => {
      await expectRefused(api, 'DELETE', '/admin/grids/G-XP-01-01', { token: t['admin']! }, 409, 'in_use');
      const off = await api.call('PATCH', '/admin/grids/G-XP-01-02', { token: t['admin']!, body: { enabled: false } });
      expect(off.body).to.include({ enabled: false });
      const filed = await api.call('POST', '/cases', { token: t['operator']!, body: { description: '测试：暴露垃圾', gridCode: 'G-XP-01-02' } });
      expect(filed.status).to.equal(400);
      expect(filed.body['code']).to.equal('unknown_grid');
      await api.call('PATCH', '/admin/grids/G-XP-01-02', { token: t['admin']!, body: { enabled: true } });
      const again = await api.call('POST', '/cases', { token: t['operator']!, body: { description: '测试：暴露垃圾', gridCode: 'G-XP-01-02' } });
      expect(again.status, JSON.stringify(again.body)).to.equal(201);
    });

    it('given impossible places, when creating a grid, then 400 with the field named and nothing written', async () => {
      const base = { code: 'G-BAD-01', name: '坏网格', townshipCode: 'T-XP', communityCode: 'C-XP-01', centroidLng: 103.8, centroidLat: 25.6 };
      const cases: Array<[string, Record<string, unknown>, string, string]> = [
        ['a centroid outside China', { centroidLng: 10 }, 'invalid_input', '/centroidLng'],
        ['a latitude beyond the pole', { centroidLat: 95 }, 'invalid_input', '/centroidLat'],
        ['an open ring', { polygon: ring.slice(0, 4) }, 'invalid_input', '/polygon'],
        ['a ring of three points', { polygon: [ring[0], ring[1], ring[0]] }, 'invalid_input', '/polygon'],
        [
          'a ring with a point in the ocean',
          {
            polygon: [
              [103.8, 25.6],
              [150, 25.6],
              [103.81, 25.61],
              [103.8, 25.6],
            ],
          },
          'invalid_input',
          '/polygon',
        ],
        [
          'a ring on one line',
          {
            polygon: [
              [103.8, 25.6],
              [103.81, 25.6],
              [103.82, 25.6],
              [103.8, 25.6],
            ],
          },
          'invalid_input',
          '/polygon',
        ],
        ['a point that is not a pair', { polygon: [[103.8], [103.81, 25.6], [103.82, 25.61], [103.8]] }, 'invalid_input', '/polygon/0'],
        ['a community of another township', { communityCode: 'C-LH-01' }, 'unknown_reference', '/communityCode'],
        ['a department as township', { townshipCode: 'D-CGJ' }, 'unknown_reference', '/townshipCode'],
        ['an unknown community', { communityCode: 'C-NONE-01' }, 'unknown_reference', '/communityCode'],
      ];
      for (const [what, change, code, path] of cases) {
        const before = await registrySnapshot();
        const res = await api.call<{ code: string; details: { errors: Array<{ path: string }> } }>('POST', '/admin/grids', {
          token: t['admin']!,
          body: { ...base, ...change },
        });
        expect(res.status, what).to.equal(400);
        expect(res.body.code, what).to.equal(code);
        expect(
          res.body.details.errors.map((e) => e.path),
          what,
        ).to.include(path);
        expect(await registrySnapshot(), what).to.equal(before);
      }
      await expectRefused(api, 'POST', '/admin/grids', { token: t['admin']!, body: { ...base, code: 'G-XP-01-01' } }, 409, 'duplicate');
    });
  });
});
