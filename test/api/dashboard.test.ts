import { expect } from 'chai';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../config/load.js';
import { createLogger } from '../../config/logger.js';
import { Evaluations, Grids, Units, Users, type Row, Op } from '../support/tables.js';
import { appendAudit } from '../../domain/audit/index.js';
import { addDays, localDay, monthPeriod, startOfLocalDay } from '../../domain/shared/local-time.js';
import { dashboardRoutes, endDashboardStreams } from '../../api/dashboard/dashboard-routes.js';
import { errorHandler } from '../../api/http/errors.js';
import { createCase } from '../support/case-fixtures.js';
import { openApiWorld, snapshot, type ApiWorld } from './support/api-world.js';

type Json = Record<string, unknown>;
interface Summary {
  totals: Json;
  byStatus: Json;
  byCategory: Json;
  byUnit: Array<Json>;
  byTownship: Array<Json>;
  lights: Json;
}

/** Reads server-sent events from a fetch response until `until` says stop. */
async function readEvents(res: Response, until: (events: Array<{ event: string; data: unknown } | { comment: string }>) => boolean, timeoutMs = 10_000) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: Array<{ event: string; data: unknown } | { comment: string }> = [];
  let buffer = '';
  const deadline = Date.now() + timeoutMs;
  while (!until(events)) {
    if (Date.now() > deadline) throw new Error(`no matching events in time: ${JSON.stringify(events).slice(0, 300)}`);
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      if (block.startsWith(':')) {
        events.push({ comment: block.slice(1).trim() });
        continue;
      }
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = /^data: (.*)$/m.exec(block)?.[1];
      events.push({ event, data: data ? JSON.parse(data) : null });
    }
  }
  return { events, reader };
}

describe('REST API: dashboard', function () {
  this.timeout(60_000);
  let api: ApiWorld;
  let cgj: Row<'units'>;
  let zfw: Row<'units'>;
  let g1: Row<'grids'>;
  let g2: Row<'grids'>;
  let g3: Row<'grids'>;
  const now = new Date();
  const today = localDay(now);
  const todayStart = startOfLocalDay(today);
  const at = (ms: number) => new Date(todayStart.getTime() + ms);
  const H = 3_600_000;

  before(async () => {
    api = await openApiWorld();
    cgj = (await Units.findByPk((await Users.findOne({ where: { username: 'clerk' } }))!.unitId!))!;
    zfw = (await Units.findOne({ where: { code: 'D-ZFW' } }))!;
    g1 = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
    g2 = (await Grids.findOne({ where: { townshipId: { [Op.ne]: g1.townshipId } }, order: [['id', 'ASC']] }))!;
    g3 = (await Grids.findOne({ where: { id: { [Op.notIn]: [g1.id, g2.id] } }, order: [['id', 'DESC']] }))!;
    // the hand-counted district (see the expectations)
    await createCase({
      status: 'handling',
      unitId: cgj.id,
      eventTypeCode: 'BJ-0101',
      gridCode: g1.code,
      createdAt: new Date(now.getTime() - 1000),
      fields: { dueAt: new Date(now.getTime() + 86_400_000) },
    }); // s1
    await createCase({
      status: 'dispatched',
      unitId: cgj.id,
      eventTypeCode: 'BJ-0101',
      gridCode: g1.code,
      createdAt: at(-2 * H),
      fields: { dueAt: new Date(now.getTime() - 1000) },
    }); // s2 overdue
    await createCase({
      status: 'handling',
      unitId: zfw.id,
      eventTypeCode: 'BJ-0107',
      gridCode: g2.code,
      createdAt: at(-26 * H),
      fields: { warningLight: 'yellow' },
    }); // s3
    await createCase({
      status: 'verifying',
      unitId: zfw.id,
      eventTypeCode: 'BJ-0107',
      gridCode: g2.code,
      createdAt: at(-50 * H),
      lat: null,
      lng: null,
      fields: { escalationLevel: 1 },
    }); // s4
    await createCase({
      status: 'closed',
      unitId: cgj.id,
      eventTypeCode: 'BJ-0101',
      gridCode: g1.code,
      createdAt: at(-71 * H),
      fields: { dueAt: at(-2 * H), closedAt: at(-1 * H) },
    }); // s5 closed late
    await createCase({ status: 'reported', createdAt: new Date(now.getTime() - 2000) }); // s6
    await createCase({ status: 'rejected', unitId: zfw.id, eventTypeCode: 'BJ-0107', createdAt: at(-96 * H) }); // s7
  });
  after(() => api.close());

  const get = async <T = Json>(user: string, path: string) => {
    const res = await api.call<T>('GET', path, { token: await api.login(user) });
    expect(res.status, `${path}: ${JSON.stringify(res.body)}`).to.equal(200);
    return res.body;
  };

  describe('GET /dashboard/summary', () => {
    it('given seven cases, when the centre asks, then the totals, counts and lights are the hand-counted ones', async () => {
      for (const user of ['operator', 'admin', 'leader', 'auditor']) {
        const s = await get<Summary>(user, '/dashboard/summary');
        expect(s.totals, user).to.deep.equal({ open: 5, closed: 1, overdue: 1, today: 2, total: 7 });
        expect(s.byStatus).to.deep.equal({ handling: 2, dispatched: 1, verifying: 1, closed: 1, reported: 1, rejected: 1 });
        expect(s.byCategory).to.deep.equal({ 市容环境: 3, 其他: 3, none: 1 });
        expect(s.lights).to.deep.equal({ green: 2, yellow: 1, red: 2 });
        const unit = (id: number | null) => s.byUnit.find((u) => u['unitId'] === id);
        expect(unit(cgj.id)).to.deep.equal({ unitId: cgj.id, unitName: cgj.name, total: 3, open: 2, overdue: 1 });
        expect(unit(zfw.id)).to.deep.include({ total: 3, open: 2, overdue: 0 });
        expect(unit(null)).to.deep.include({ total: 1, open: 1, overdue: 0 });
        const township = (id: number | null) => s.byTownship.find((t) => t['townshipId'] === id);
        expect(township(g1.townshipId)).to.deep.include({ total: 3, open: 2, overdue: 1 });
        expect(township(g2.townshipId)).to.deep.include({ total: 2, open: 2, overdue: 0 });
        expect(township(null)).to.deep.include({ total: 2, open: 1, overdue: 0 });
      }
    });

    it("given a department role, when it asks, then only its unit's cases are counted", async () => {
      for (const user of ['clerk', 'dept_leader']) {
        const s = await get<Summary>(user, '/dashboard/summary');
        expect(s.totals, user).to.deep.equal({ open: 2, closed: 1, overdue: 1, today: 1, total: 3 });
        expect(s.lights).to.deep.equal({ green: 1, yellow: 0, red: 1 });
        expect(s.byUnit.map((u) => u['unitId'])).to.deep.equal([cgj.id]);
      }
    });
  });

  describe('GET /dashboard/trends', () => {
    it('given the cases, when asking for 7 days, then each local day counts reported, closed and missed deadlines', async () => {
      const t = await get<{ days: Json[] }>('operator', '/dashboard/trends?days=7');
      expect(t.days).to.deep.equal([
        { date: addDays(today, -6), created: 0, closed: 0, overdue: 0 },
        { date: addDays(today, -5), created: 0, closed: 0, overdue: 0 },
        { date: addDays(today, -4), created: 1, closed: 0, overdue: 0 },
        { date: addDays(today, -3), created: 2, closed: 0, overdue: 0 },
        { date: addDays(today, -2), created: 1, closed: 0, overdue: 0 },
        { date: addDays(today, -1), created: 1, closed: 1, overdue: 1 },
        { date: today, created: 2, closed: 0, overdue: 1 },
      ]);
      expect((await get<{ days: Json[] }>('operator', '/dashboard/trends')).days, 'default 30 days').to.have.length(30);
      const clerk = await get<{ days: Json[] }>('clerk', '/dashboard/trends?days=2');
      expect(clerk.days).to.deep.equal([
        { date: addDays(today, -1), created: 1, closed: 1, overdue: 1 },
        { date: today, created: 1, closed: 0, overdue: 1 },
      ]);
    });
  });

  describe('GET /dashboard/map', () => {
    it('given the open cases, when the map is asked for, then located open cases with their lights and every grid as GeoJSON come back', async () => {
      const m = await get<{
        cases: Json[];
        grids: { type: string; features: Array<{ id: string; properties: Json; geometry: { type: string; coordinates: unknown[] } }> };
      }>('operator', '/dashboard/map');
      expect(m.cases.map((c) => c['light']).sort()).to.deep.equal(['green', 'red', 'yellow']); // s1, s2, s3; s4 and s6 have no coordinates
      expect(m.cases.find((c) => c['light'] === 'yellow')).to.include({ lat: g2.centroidLat, lng: g2.centroidLng, category: '其他' });
      expect((m as unknown as Json)['tileUrl'], 'no MAP_TILE_URL: offline map').to.equal(null);
      expect(m.grids.type).to.equal('FeatureCollection');
      expect(m.grids.features).to.have.length(await Grids.count());
      const f1 = m.grids.features.find((f) => f.id === g1.code)!;
      expect(f1.properties).to.include({ code: g1.code, name: g1.name, openCases: 2 });
      expect(f1.geometry.type).to.equal('Polygon');
      expect(f1.geometry.coordinates[0]).to.deep.equal(g1.polygon);
      expect(m.grids.features.find((f) => f.id === g2.code)!.properties['openCases'], 's3 and s4 (which has no coordinates)').to.equal(2);
      const clerk = await get<{ cases: Json[]; grids: { features: Array<{ id: string }> } }>('clerk', '/dashboard/map');
      expect(clerk.cases).to.have.length(2);
      expect(clerk.grids.features.map((f) => f.id)).to.deep.equal([g1.code]);
    });
  });

  describe('GET /dashboard/rankings', () => {
    it('given a month with stored evaluations, when ranked, then best score first with 接办率 = accepted / received', async () => {
      const { from, to } = monthPeriod('2026-02');
      await Evaluations.create({
        scope: 'unit',
        caseId: null,
        unitId: cgj.id,
        periodStart: from,
        periodEnd: to,
        score: 85,
        metrics: { dispatched: 10, returned: 2, onTimeCloseRate: 0.8, satisfactionRate: 0.9, responseRate: 0.7 },
      });
      await Evaluations.create({
        scope: 'unit',
        caseId: null,
        unitId: zfw.id,
        periodStart: from,
        periodEnd: to,
        score: 90,
        metrics: { dispatched: 4, returned: 0, onTimeCloseRate: 1, satisfactionRate: null, responseRate: 1 },
      });
      const rows = await get<Json[]>('leader', '/dashboard/rankings?month=2026-02');
      expect(
        rows.map((r) => [r['rank'], r['unitId'], r['score'], r['接办率'], r['按期办结率'], r['满意率'], r['received'], r['accepted'], r['source']]),
      ).to.deep.equal([
        [1, zfw.id, 90, 1, 1, null, 4, 4, 'stored'],
        [2, cgj.id, 85, 0.8, 0.8, 0.9, 10, 8, 'stored'],
      ]);
      expect(rows[1]).to.include({ unitName: cgj.name, unitCode: cgj.code, 响应率: 0.7 });
      const clerk = await get<Json[]>('clerk', '/dashboard/rankings?month=2026-02');
      expect(clerk.map((r) => [r['unitId'], r['rank']])).to.deep.equal([[cgj.id, 2]]);
    });

    it('given a month not evaluated yet, when ranked, then the same formulas run over its cases now', async () => {
      const nov = (d: number) => new Date(Date.UTC(2025, 10, d, 2));
      await createCase({ status: 'handling', unitId: cgj.id, createdAt: nov(10), fields: { acceptedAt: nov(10), dispatchedAt: nov(10), returnCount: 1 } });
      await createCase({
        status: 'closed',
        unitId: cgj.id,
        createdAt: nov(11),
        fields: { acceptedAt: nov(11), dispatchedAt: nov(11), handledAt: nov(12), closedAt: nov(13), satisfaction: 'satisfied' },
      });
      await createCase({ status: 'handling', unitId: zfw.id, createdAt: nov(12), fields: { acceptedAt: nov(12), dispatchedAt: nov(12) } });
      const rows = await get<Json[]>('operator', '/dashboard/rankings?month=2025-11');
      // 城管局: 2 received, 1 returned → 接办率 ½; responded ½, resolved 1/1, satisfied 1/1 → 30·½+35+35 = 85; closed on time ½
      // 执法局 (D-ZFW): 1 received, none returned; responded 1/1, nothing rated → score 100 on the response rate alone
      expect(rows.map((r) => [r['rank'], r['unitId'], r['score'], r['接办率'], r['响应率'], r['满意率'], r['按期办结率'], r['source']])).to.deep.equal([
        [1, zfw.id, 100, 1, 1, null, 0, 'live'],
        [2, cgj.id, 85, 0.5, 0.5, 1, 0.5, 'live'],
      ]);
      expect(await get<Json[]>('operator', '/dashboard/rankings?month=2024-01')).to.deep.equal([]);
    });
  });

  describe('GET /dashboard/hotspots', () => {
    it('given a grid and a type at six times their weekly mean, when asked, then those two come back and the merely busy or small ones do not', async () => {
      const ago = (days: number) => new Date(now.getTime() - days * 86_400_000);
      // grid 1 / BJ-0101: 3 more this week (6 with s1, s2, s5) against 4 in the four weeks before → mean 1, ratio 6
      for (const d of [0.5, 1.5, 2.5]) await createCase({ eventTypeCode: 'BJ-0101', gridCode: g1.code, createdAt: ago(d) });
      for (const d of [8, 15, 22, 29]) await createCase({ eventTypeCode: 'BJ-0101', gridCode: g1.code, createdAt: ago(d) });
      // grid 2: 5 this week (s3, s4 + 3) against 3 a week before → ratio 1.67, busy but not rising enough; BJ-0107 has only 3 this week (s3, s4, s7)
      for (const d of [1, 2, 3]) await createCase({ gridCode: g2.code, createdAt: ago(d) });
      for (let i = 0; i < 12; i++) await createCase({ gridCode: g2.code, createdAt: ago(8 + i * 2) });
      // grid 3: 4 this week from nothing → ratio 4, but below the minimum number of cases
      for (const d of [1, 2, 3, 4]) await createCase({ gridCode: g3.code, createdAt: ago(d) });
      const spots = await get<Json[]>('operator', '/dashboard/hotspots');
      expect(spots).to.deep.equal([
        { kind: 'eventType', code: 'BJ-0101', name: '上水井盖', thisWeek: 6, baseline: 1, ratio: 6 },
        { kind: 'grid', code: g1.code, name: g1.name, thisWeek: 6, baseline: 1, ratio: 6 },
      ]);
      // the clerk's unit has none of the new reports: nothing rises there
      expect(await get<Json[]>('clerk', '/dashboard/hotspots')).to.deep.equal([]);
    });
  });

  describe('refusals and bad input', () => {
    const paths = ['/dashboard/summary', '/dashboard/trends', '/dashboard/rankings', '/dashboard/hotspots', '/dashboard/map', '/dashboard/stream'];
    it('given no token or a grid worker, when any dashboard endpoint is asked, then 401/403 and nothing changes', async () => {
      const token = await api.login('gridworker');
      const before = await snapshot();
      for (const path of paths) {
        expect((await api.call('GET', path)).status, path).to.equal(401);
        const res = await api.call('GET', path, { token });
        expect(res.status, path).to.equal(403);
        expect(res.body['code']).to.equal('forbidden');
      }
      expect(await snapshot()).to.equal(before);
    });

    it('given bad parameters, when asked, then 400 invalid_input; a token in ?access_token= does not authenticate outside the stream', async () => {
      const token = await api.login('operator');
      for (const path of [
        '/dashboard/trends?days=0',
        '/dashboard/trends?days=367',
        '/dashboard/trends?days=abc',
        '/dashboard/rankings?month=2026-13',
        '/dashboard/rankings?month=2026-1',
        '/dashboard/summary?x=1',
        '/dashboard/hotspots?grid=1',
        '/dashboard/map?bbox=1',
        '/dashboard/stream?access_token=%27%3B',
      ]) {
        const res = await api.call('GET', path, { token });
        expect(res.status, path).to.equal(400);
        expect(res.body['code'], path).to.equal('invalid_input');
      }
      expect((await api.call('GET', `/dashboard/summary?access_token=${token}`)).status, 'not a way in elsewhere').to.equal(401);
      expect((await api.call('GET', '/dashboard/stream?access_token=abcdefghijklmnop')).status).to.equal(401);
    });
  });

  describe('GET /dashboard/stream', () => {
    it('given a screen connected with ?access_token=, when a case changes, then it gets the summary first and `changed` with the new summary after', async () => {
      const token = await api.login('operator');
      const controller = new AbortController();
      const res = await fetch(`${api.base}/dashboard/stream?access_token=${token}`, { signal: controller.signal });
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^text\/event-stream/);
      const first = await readEvents(res, (e) => e.some((x) => 'event' in x && x.event === 'summary'));
      const initial = (first.events.find((x) => 'event' in x && x.event === 'summary') as { data: Summary }).data;
      const total = initial.totals['total'] as number;
      const added = await createCase({ status: 'reported' });
      await appendAudit({ caseId: added.id, actor: 'operator', action: 'reported', detail: null });
      let changed: Summary | null = null;
      const deadline = Date.now() + 10_000;
      let buffer = '';
      const decoder = new TextDecoder();
      while (!changed && Date.now() < deadline) {
        const { value, done } = await first.reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        const m = /event: changed\ndata: (.*)\n\n/.exec(buffer);
        if (m) changed = JSON.parse(m[1]!) as Summary;
      }
      controller.abort();
      expect(changed, 'a changed event').to.not.equal(null);
      expect(changed!.totals['total']).to.equal(total + 1);
      expect(changed!.totals['open']).to.equal((initial.totals['open'] as number) + 1);
      // the server is fine after the client went away
      expect((await api.call('GET', '/dashboard/summary', { token })).status).to.equal(200);
    });

    it('given a quiet stream, when the heartbeat interval passes, then comment lines keep it alive; a stopping server ends it', async () => {
      const app = express();
      app.use('/api', dashboardRoutes(loadConfig({}), { heartbeatMs: 50 }));
      app.use(errorHandler(createLogger('silent')));
      const server = app.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      try {
        const controller = new AbortController();
        const token = await api.login('dept_leader');
        const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/dashboard/stream`, {
          headers: { Authorization: `Bearer ${token}` },
          signal: controller.signal,
        });
        const { events, reader } = await readEvents(res, (e) => e.filter((x) => 'comment' in x).length >= 2);
        const summary = events.find((x) => 'event' in x) as { event: string; data: Summary };
        expect(summary.event).to.equal('summary');
        expect(
          summary.data.byUnit.map((u) => u['unitId']),
          'scoped to the unit',
        ).to.deep.equal([cgj.id]);
        expect(events.filter((x) => 'comment' in x).map((x) => (x as { comment: string }).comment)).to.include('heartbeat');
        // the server stopping ends the stream: the client sees its end
        endDashboardStreams();
        for (;;) if ((await reader.read()).done) break;
        controller.abort();
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });
});
