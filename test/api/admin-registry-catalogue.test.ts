import { expect } from 'chai';
import { CalendarDays, CameraDevices, EventTypes, GovernanceItems } from '../support/tables.js';
import { getCaseView } from '../../domain/cases/index.js';
import { findActiveEventType } from '../../domain/classify/index.js';
import { loadBusinessCalendar } from '../../domain/calendar/index.js';
import { routeCase } from '../../domain/routing/index.js';
import { createCase } from '../support/case-fixtures.js';
import { openApiWorld, type ApiWorld } from './support/api-world.js';
import { expectRefused, lastAudit, registrySnapshot, tokensFor } from './admin-registry-support.js';

describe('REST API: registry administration — catalogue, routing rules, calendar', function () {
  this.timeout(120_000);
  let api: ApiWorld;
  let t: Record<string, string>;
  before(async () => {
    api = await openApiWorld();
    t = await tokensFor(api);
  });
  after(() => api.close());

  const eventType = {
    code: 'SJ-9901',
    name: '测试小类',
    kind: '事件',
    major: '市容环境类',
    category: '市容环境',
    filingCondition: '公共区域存在测试问题的。',
    closingCondition: '测试问题已处置。',
    routingRule: '属地',
    ownerUnitCode: 'D-CGJ',
    clock: 'working',
    acceptLimit: '0.5h',
    dispatchLimit: '1h',
    handleLimit: '2d',
    verifyLimit: '4h',
    extraStages: [{ name: '复查', limit: '1d' }],
    emergency: false,
    keywords: ['测试问题', '测试垃圾'],
  };

  describe('event types', () => {
    it('given an admin, when creating an event type, then it is stored as the importer would, audited, and every role can pick it', async () => {
      const res = await api.call<Record<string, unknown>>('POST', '/admin/event-types', { token: t['admin']!, body: eventType });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body).to.deep.include({ ...eventType, enabled: true });
      const row = (await EventTypes.findOne({ where: { code: 'SJ-9901' } }))!;
      expect(row.extraStages).to.deep.equal([{ name: '复查', limit: '1d' }]);
      expect(await lastAudit()).to.include({ action: 'admin.event_type.create', actor: 'admin' });
      for (const who of ['operator', 'clerk', 'gridworker', 'leader', 'auditor']) {
        const list = await api.call<{ items: Array<{ code: string }> }>('GET', '/admin/event-types?q=%E6%B5%8B%E8%AF%95%E5%B0%8F%E7%B1%BB', { token: t[who]! });
        expect(
          list.body.items.map((e) => e.code),
          who,
        ).to.deep.equal(['SJ-9901']);
      }
      const byCategory = await api.call<{ total: number }>('GET', '/admin/event-types?category=%E5%B8%82%E5%AE%B9%E7%8E%AF%E5%A2%83&pageSize=1', {
        token: t['admin']!,
      });
      expect(byCategory.body.total).to.equal(await EventTypes.count({ where: { category: '市容环境' } }));
    });

    it('given limits the importer refuses, when created or patched, then 400 naming the field and nothing written', async () => {
      const bad: Array<[string, Record<string, unknown>, string]> = [
        ['a duration without unit', { acceptLimit: '30' }, '/acceptLimit'],
        ['a negative duration', { handleLimit: '-1d' }, '/handleLimit'],
        ['a week unit', { verifyLimit: '1w' }, '/verifyLimit'],
        ['a stage without a valid limit', { extraStages: [{ name: '停工', limit: 'soon' }] }, '/extraStages'],
        ['a stage name with =', { extraStages: [{ name: 'a=b', limit: '1d' }] }, '/extraStages/0/name'],
        ['a keyword with |', { keywords: ['a|b'] }, '/keywords/0'],
        ['an unknown category', { category: '天气' }, '/category'],
        ['a rule that is neither', { routingRule: '就近' }, '/routingRule'],
        ['a code with spaces', { code: 'SJ 01' }, '/code'],
      ];
      for (const [what, change, path] of bad) {
        const before = await registrySnapshot();
        const res = await api.call<{ code: string; details: { errors: Array<{ path: string }> } }>('POST', '/admin/event-types', {
          token: t['admin']!,
          body: { ...eventType, code: 'SJ-9902', ...change },
        });
        expect(res.status, what).to.equal(400);
        expect(res.body.code, what).to.equal('invalid_input');
        expect(
          res.body.details.errors.map((e) => e.path),
          what,
        ).to.include(path);
        expect(await registrySnapshot(), what).to.equal(before);
      }
      await expectRefused(api, 'PATCH', '/admin/event-types/SJ-9901', { token: t['admin']!, body: { dispatchLimit: '0d' } }, 400, 'invalid_input');
      await expectRefused(
        api,
        'POST',
        '/admin/event-types',
        { token: t['admin']!, body: { ...eventType, code: 'SJ-9902', ownerUnitCode: 'D-NONE' } },
        400,
        'unknown_reference',
      );
      await expectRefused(api, 'POST', '/admin/event-types', { token: t['admin']!, body: eventType }, 409, 'duplicate');
    });

    it('given an event type with cases or governance items, when deleted, then 409 in_use; disabled, the classifier no longer offers it', async () => {
      await expectRefused(api, 'DELETE', '/admin/event-types/SJ-0101', { token: t['admin']! }, 409, 'in_use');
      expect(await findActiveEventType('SJ-9901')).to.deep.equal({ code: 'SJ-9901', category: '市容环境' });
      const off = await api.call('PATCH', '/admin/event-types/SJ-9901', { token: t['admin']!, body: { enabled: false, keywords: null, extraStages: [] } });
      expect(off.body).to.deep.include({ enabled: false, keywords: null, extraStages: null });
      expect((await lastAudit()).detail).to.deep.include({ key: 'SJ-9901' });
      expect(await findActiveEventType('SJ-9901')).to.equal(null);
      expect((await api.call('DELETE', '/admin/event-types/SJ-9901', { token: t['admin']! })).status).to.equal(204);
    });
  });

  describe('camera devices', () => {
    it('given a camera placed in a new grid and detecting a new event type, when either is deleted, then in_use; without the camera both can go', async () => {
      const grid = await api.call<{ id: number }>('POST', '/admin/grids', {
        token: t['admin']!,
        body: { code: 'G-CAM-01', name: '摄像头网格', townshipCode: 'T-XP', communityCode: 'C-XP-01', centroidLng: 103.83, centroidLat: 25.6 },
      });
      const type = await api.call('POST', '/admin/event-types', { token: t['admin']!, body: { ...eventType, code: 'SJ-CAM1' } });
      expect([grid.status, type.status]).to.deep.equal([201, 201]);
      const camera = await CameraDevices.create({
        code: 'CAM-T-01',
        name: '测试摄像头',
        lat: 25.6,
        lng: 103.83,
        address: null,
        gridId: grid.body.id,
        eventTypeCodes: ['SJ-CAM1'],
        apiKeyHash: null,
        keyRotatedAt: null,
        lastSeenAt: null,
      });
      await expectRefused(api, 'DELETE', '/admin/grids/G-CAM-01', { token: t['admin']! }, 409, 'in_use');
      await expectRefused(api, 'DELETE', '/admin/event-types/SJ-CAM1', { token: t['admin']! }, 409, 'in_use');
      await CameraDevices.destroyRow(camera);
      expect((await api.call('DELETE', '/admin/grids/G-CAM-01', { token: t['admin']! })).status).to.equal(204);
      expect((await api.call('DELETE', '/admin/event-types/SJ-CAM1', { token: t['admin']! })).status).to.equal(204);
    });
  });

  describe('governance items', () => {
    it('given an admin, when creating, changing and deleting an item, then the references are checked and every change audited', async () => {
      const body = {
        code: 'SX-T01',
        name: '测试事项的查处',
        category: '市容环境',
        eventTypeCode: 'SJ-0101',
        responsibleUnitCode: 'D-CGJ',
        assistingUnitCodes: ['T-XP'],
        basis: '《测试条例》第一条',
      };
      const res = await api.call('POST', '/admin/governance-items', { token: t['admin']!, body });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body).to.deep.include(body);
      const patched = await api.call('PATCH', '/admin/governance-items/SX-T01', { token: t['admin']!, body: { eventTypeCode: null, assistingUnitCodes: [] } });
      expect(patched.body).to.deep.include({ eventTypeCode: null, assistingUnitCodes: [] });
      expect((await lastAudit()).action).to.equal('admin.governance_item.update');
      await expectRefused(
        api,
        'POST',
        '/admin/governance-items',
        { token: t['admin']!, body: { ...body, code: 'SX-T02', assistingUnitCodes: ['T-XP', 'X-NONE'] } },
        400,
        'unknown_reference',
      );
      await expectRefused(
        api,
        'POST',
        '/admin/governance-items',
        { token: t['admin']!, body: { ...body, code: 'SX-T02', eventTypeCode: 'SJ-NONE' } },
        400,
        'unknown_reference',
      );
      await expectRefused(api, 'POST', '/admin/governance-items', { token: t['admin']!, body }, 409, 'duplicate');
      const list = await api.call<{ total: number }>('GET', '/admin/governance-items?pageSize=1', { token: t['clerk']! });
      expect(list.body.total).to.equal(await GovernanceItems.count());
      expect((await api.call('DELETE', '/admin/governance-items/SX-T01', { token: t['admin']! })).status).to.equal(204);
      expect((await lastAudit()).action).to.equal('admin.governance_item.delete');
    });

    it('given a unit named only as an assisting unit of an item, when deleted, then in_use', async () => {
      await api.call('POST', '/admin/units', { token: t['admin']!, body: { code: 'D-HELPER', name: '配合局', kind: 'department' } });
      await api.call('POST', '/admin/governance-items', {
        token: t['admin']!,
        body: { code: 'SX-T03', name: '测试配合', category: '其他', responsibleUnitCode: 'D-CGJ', assistingUnitCodes: ['D-HELPER'] },
      });
      await expectRefused(api, 'DELETE', '/admin/units/D-HELPER', { token: t['admin']! }, 409, 'in_use');
    });
  });

  describe('routing rules', () => {
    it('given the routing rule of an event type, when an admin switches it from 属地 to 属主 with another owner, then new routing follows it', async () => {
      const rules = await api.call<{ items: Array<{ eventTypeCode: string; routingRule: string; ownerUnitCode: string }>; total: number }>(
        'GET',
        '/admin/routing-rules?q=SJ-0101',
        { token: t['operator']! },
      );
      expect(rules.body.items[0]).to.include({ eventTypeCode: 'SJ-0101', routingRule: '属地', ownerUnitCode: 'D-CGJ' });
      const routed = async () => routeCase(await getCaseView((await createCase({ eventTypeCode: 'SJ-0101', gridCode: 'G-XP-01-01' })).id));
      expect(await routed()).to.deep.include({ unitCode: 'T-XP', routeSure: true });
      const res = await api.call('PATCH', '/admin/routing-rules/SJ-0101', { token: t['admin']!, body: { routingRule: '属主', ownerUnitCode: 'D-ZFW' } });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body).to.include({ routingRule: '属主', ownerUnitCode: 'D-ZFW' });
      const audit = await lastAudit();
      expect(audit.action).to.equal('admin.routing_rule.update');
      expect((audit.detail!['before'] as { routingRule: string }).routingRule).to.equal('属地');
      expect(await routed()).to.deep.include({ unitCode: 'D-ZFW', routeSure: true });
      await api.call('PATCH', '/admin/routing-rules/SJ-0101', { token: t['admin']!, body: { routingRule: '属地', ownerUnitCode: 'D-CGJ' } });
      expect(await routed()).to.deep.include({ unitCode: 'T-XP' });
    });

    it('given a routing rule, when created or deleted on its own, or patched with something else, then refused and nothing changes', async () => {
      await expectRefused(api, 'POST', '/admin/routing-rules', { token: t['admin']!, body: { eventTypeCode: 'SJ-0101' } }, 405, 'method_not_allowed');
      await expectRefused(api, 'DELETE', '/admin/routing-rules/SJ-0101', { token: t['admin']! }, 405, 'method_not_allowed');
      await expectRefused(api, 'PATCH', '/admin/routing-rules/SJ-0101', { token: t['admin']!, body: { handleLimit: '1d' } }, 400, 'invalid_input');
      await expectRefused(api, 'PATCH', '/admin/routing-rules/SJ-0101', { token: t['admin']!, body: { ownerUnitCode: 'D-NONE' } }, 400, 'unknown_reference');
      await expectRefused(api, 'PATCH', '/admin/routing-rules/SJ-0101', { token: t['operator']!, body: { routingRule: '属主' } }, 403, 'forbidden');
    });
  });

  describe('calendar days', () => {
    it("given a loaded calendar (the job workers' one), when an admin declares a day off and then a working Sunday, then new deadlines use them at once", async () => {
      const calendar = await loadBusinessCalendar({ WORKING_HOURS: '08:30-12:00,14:30-18:00', CALENDAR_UTC_OFFSET_MINUTES: 480 });
      const friday = new Date('2026-03-06T17:00:00+08:00');
      expect(calendar.addWorkingHours(friday, 2).toISOString()).to.equal(new Date('2026-03-09T09:30:00+08:00').toISOString());
      const off = await api.call('POST', '/admin/calendar-days', { token: t['admin']!, body: { date: '2026-03-09', working: false, note: '区庆放假' } });
      expect(off.status, JSON.stringify(off.body)).to.equal(201);
      expect(calendar.addWorkingHours(friday, 2).toISOString()).to.equal(new Date('2026-03-10T09:30:00+08:00').toISOString());
      await api.call('POST', '/admin/calendar-days', { token: t['admin']!, body: { date: '2026-03-08', working: true, note: '补班' } });
      expect(calendar.addWorkingHours(friday, 2).toISOString()).to.equal(new Date('2026-03-08T09:30:00+08:00').toISOString());
      expect(await lastAudit()).to.include({ action: 'admin.calendar_day.create', actor: 'admin' });
      const changed = await api.call('PATCH', '/admin/calendar-days/2026-03-08', { token: t['admin']!, body: { working: false } });
      expect(changed.body).to.include({ working: false, note: '补班' });
      expect(calendar.isWorkingDate('2026-03-08')).to.equal(false);
      expect((await api.call('DELETE', '/admin/calendar-days/2026-03-08', { token: t['admin']! })).status).to.equal(204);
      expect((await api.call('DELETE', '/admin/calendar-days/2026-03-09', { token: t['admin']! })).status).to.equal(204);
      expect(calendar.addWorkingHours(friday, 2).toISOString()).to.equal(new Date('2026-03-09T09:30:00+08:00').toISOString());
      expect(await CalendarDays.count()).to.equal(0);
    });

    it('given the national arrangement of 2026 and a district override on one of its days, when any signed-in user asks for the year, then the holidays and 调休 days come in order, the override beside its date; a year out of range is 400', async () => {
      await api.call('POST', '/admin/calendar-days', { token: t['admin']!, body: { date: '2026-10-10', working: false, note: '本区不调休' } });
      const res = await api.call<{ year: number; covered: boolean; days: Array<{ date: string; working: boolean; name: string; local: unknown }> }>(
        'GET',
        '/admin/calendar-days/national?year=2026',
        { token: t['clerk']! },
      );
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body).to.include({ year: 2026, covered: true });
      const dates = res.body.days.map((d) => d.date);
      expect(dates).to.deep.equal([...dates].sort());
      expect(res.body.days.find((d) => d.date === '2026-10-01')).to.deep.include({ working: false, name: '国庆节', local: null });
      expect(res.body.days.find((d) => d.date === '2026-10-10')).to.deep.include({ working: true, local: { working: false, note: '本区不调休' } });
      expect(res.body.days.every((d) => d.date.startsWith('2026-'))).to.equal(true);
      await expectRefused(api, 'GET', '/admin/calendar-days/national?year=1999', { token: t['admin']! }, 400, 'invalid_input');
      await expectRefused(api, 'GET', '/admin/calendar-days/national', { token: t['admin']! }, 400, 'invalid_input');
      expect((await api.call('DELETE', '/admin/calendar-days/2026-10-10', { token: t['admin']! })).status).to.equal(204);
    });

    it('given calendar overrides, when listed by range, then paged; impossible dates and duplicates are refused', async () => {
      await api.call('POST', '/admin/calendar-days', { token: t['admin']!, body: { date: '2026-05-06', working: false, note: '调休' } });
      const list = await api.call<{ items: Array<{ date: string }>; total: number }>('GET', '/admin/calendar-days?from=2026-05-01&to=2026-05-31', {
        token: t['leader']!,
      });
      expect(list.body.items.map((d) => d.date)).to.deep.equal(['2026-05-06']);
      await expectRefused(api, 'POST', '/admin/calendar-days', { token: t['admin']!, body: { date: '2026-05-06', working: true } }, 409, 'duplicate');
      await expectRefused(api, 'POST', '/admin/calendar-days', { token: t['admin']!, body: { date: '2026-02-30', working: false } }, 400, 'invalid_input');
      await expectRefused(api, 'POST', '/admin/calendar-days', { token: t['admin']!, body: { date: '2026-5-6', working: false } }, 400, 'invalid_input');
      await expectRefused(api, 'POST', '/admin/calendar-days', { token: t['admin']!, body: { date: '2026-05-07', working: 'no' } }, 400, 'invalid_input');
      await expectRefused(api, 'POST', '/admin/calendar-days', { token: t['admin']!, body: { date: '2026-05-07' } }, 400, 'invalid_input');
      await expectRefused(api, 'PATCH', '/admin/calendar-days/2026-05-07', { token: t['admin']!, body: { working: true } }, 404, 'not_found');
      await expectRefused(api, 'POST', '/admin/calendar-days', { token: t['auditor']!, body: { date: '2026-05-07', working: false } }, 403, 'forbidden');
    });
  });
});
