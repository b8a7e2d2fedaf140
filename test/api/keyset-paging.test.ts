import { expect } from 'chai';
import { AuditRecords, CameraDevices, CameraEvents, Cases, Grids, InboxTasks, Units, Users, type Row, Op } from '../support/tables.js';
import { appendAudit } from '../../domain/audit/index.js';
import { caseLight } from '../../domain/dashboard/case-light.js';
import { caseScopeBranches } from '../../domain/dashboard/case-scope.js';
import { CASE_SCAN } from '../../domain/dashboard/case-search.js';
import { scopedCaseKeys } from '../../domain/dashboard/scoped-case-keys.js';
import type { Actor } from '../../domain/auth/sessions.js';
import { encodeCursor } from '../../domain/shared/cursor.js';
import { COUNT_CAP } from '../../domain/shared/paging.js';
import { createCase } from '../support/case-fixtures.js';
import { openApiWorld, snapshot, type ApiWorld } from './support/api-world.js';

/**
 * Issue 12, bounded answers: the lists that grow with history page newest first by an opaque `after`
 * cursor. Walking every page must return every row exactly once and in order — for each role's scope
 * (centre, department, grid worker), with filters, across timestamps shared by several rows (MariaDB
 * keeps whole seconds, so ties are the rule there), and when a page comes back short because a scope
 * branch ran out of its scan budget. A malformed cursor is 400 `bad_cursor` and changes nothing.
 */
interface Page<T> {
  items: T[];
  next: string | null;
  total?: number;
  totalCapped?: boolean;
  page?: number;
  pageSize?: number;
}
interface CaseItem {
  id: string;
  light: string;
  createdAt: string;
}
interface TaskItem {
  userTaskKey: string;
  light: string;
  priority: number;
  dueAt: string | null;
  unitId: number | null;
  state: string;
}
interface TaskPage {
  tasks: TaskItem[];
  next: string | null;
  total?: number;
  totalCapped?: boolean;
}

const byNewest = (a: { at: number; id: string }, b: { at: number; id: string }) => b.at - a.at || Number(BigInt(b.id) - BigInt(a.id));

describe('REST API: keyset paging of the history lists', function () {
  this.timeout(240_000);
  let api: ApiWorld;
  let clerkUnit: Row<'units'>;
  let otherUnit: Row<'units'>;
  let gridworkerId: number;
  const base = Math.floor(Date.now() / 1000 - 40 * 86_400) * 1000; // whole seconds: the same ties on SQLite and MariaDB
  const tokens: Record<string, string> = {};

  before(async () => {
    api = await openApiWorld();
    for (const u of ['operator', 'admin', 'auditor', 'clerk', 'dept_leader', 'gridworker']) tokens[u] = await api.login(u);
    const clerk = (await Users.findOne({ where: { username: 'clerk' } }))!;
    gridworkerId = (await Users.findOne({ where: { username: 'gridworker' } }))!.id;
    clerkUnit = (await Units.findByPk(clerk.unitId!))!;
    otherUnit = (await Units.findOne({ where: { code: 'D-ZFW' } }))!;
    const grids = await Grids.findAll({ order: [['id', 'ASC']], limit: 2 });
    // 45 cases, three to a timestamp, ids not in time order; units, statuses, channels, lights and reporters spread over them
    const statuses = ['handling', 'closed', 'verifying', 'dispatched', 'reported'] as const;
    const channels = ['hotline', 'photo', 'grid_worker', 'open311'] as const;
    for (let i = 0; i < 45; i++) {
      const slot = (Math.floor(i / 3) * 7) % 15; // 15 timestamps, visited out of order
      const unitId = [clerkUnit.id, otherUnit.id, null, clerkUnit.id][i % 4]!;
      await createCase({
        status: statuses[i % 5]!,
        channel: channels[i % 4]!,
        unitId,
        gridCode: grids[i % 2]!.code,
        eventTypeCode: i % 3 === 0 ? 'BJ-0101' : null,
        createdAt: new Date(base + slot * 3_600_000),
        fields: {
          reporterUserId: i % 6 === 0 ? gridworkerId : null,
          warningLight: i % 7 === 0 ? 'yellow' : i % 11 === 0 ? 'red' : 'green',
          escalationLevel: i % 13 === 0 ? 1 : 0,
          dueAt: i % 5 === 3 ? new Date(base) : null,
        },
      });
    }
    const cases = await Cases.findAll({ order: [['id', 'ASC']] });
    // tasks: the clerk's unit on every other-unit case (twice on some: rework), a grid-worker 核查 task on verifying cases
    let key = 880000;
    for (const [n, c] of cases.entries()) {
      if (c.unitId === otherUnit.id) {
        for (let k = 0; k < (n % 3 === 0 ? 2 : 1); k++) {
          await InboxTasks.create({
            userTaskKey: String(++key),
            caseId: c.id,
            processInstanceKey: null,
            elementId: 'assist',
            name: '协办',
            formId: null,
            unitId: clerkUnit.id,
            assignee: null,
            candidateGroups: [clerkUnit.code],
            state: key % 3 === 0 ? 'completed' : 'created',
            priority: n % 4 === 0 ? 80 : 50,
            dueAt: n % 5 === 0 ? null : new Date(base + (n % 4) * 86_400_000),
            followUpAt: null,
            completedAt: null,
            completedBy: null,
          });
        }
      }
      if (c.status === 'verifying' && n % 2 === 0) {
        await InboxTasks.create({
          userTaskKey: String(++key),
          caseId: c.id,
          processInstanceKey: null,
          elementId: 'verify',
          name: '核查',
          formId: null,
          unitId: null,
          assignee: null,
          candidateGroups: ['grid_worker'],
          state: 'created',
          priority: 50,
          dueAt: new Date(base + (n % 3) * 86_400_000),
          followUpAt: null,
          completedAt: null,
          completedBy: null,
        });
      }
    }
  });
  after(() => api?.close());

  async function get<T>(user: string, path: string): Promise<T> {
    const res = await api.call<T>('GET', path, { token: tokens[user]! });
    expect(res.status, `${path}: ${JSON.stringify(res.body)}`).to.equal(200);
    return res.body;
  }

  /** Every page of a list by `after`; checks that only the first page carries the total. */
  async function walk<T>(user: string, path: string, itemsOf: (page: Page<T> & TaskPage) => T[]): Promise<{ items: T[]; pages: Array<Page<T> & TaskPage> }> {
    const items: T[] = [];
    const pages: Array<Page<T> & TaskPage> = [];
    let after: string | null = null;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const page: Page<T> & TaskPage = await get(user, after ? `${path}${sep}after=${encodeURIComponent(after)}` : path);
      expect(page.total === undefined, `total on page ${pages.length + 1}`).to.equal(pages.length > 0 || path.includes('after='));
      pages.push(page);
      items.push(...itemsOf(page));
      after = page.next;
      expect(pages.length, 'pages').to.be.below(200);
    } while (after);
    return { items, pages };
  }

  const walkCases = (user: string, query: string) => walk<CaseItem>(user, `/cases?${query}`, (p) => p.items);

  /** The oracle: the cases GET /cases/:id lets the user read, matching `keep`, newest first. */
  async function expectedCases(user: string, keep: (c: Row<'cases'>) => boolean): Promise<string[]> {
    const all = await Cases.findAll();
    const readable: Row<'cases'>[] = [];
    for (const c of all.filter(keep)) if ((await api.call('GET', `/cases/${c.id}`, { token: tokens[user]! })).status === 200) readable.push(c);
    return readable
      .map((c) => ({ at: c.createdAt.getTime(), id: c.id }))
      .sort(byNewest)
      .map((k) => k.id);
  }

  describe('GET /cases', () => {
    const now = () => new Date();
    const scenarios: Array<[string, string, string, (c: Row<'cases'>) => boolean]> = [
      ['the operator (all cases)', 'operator', '', () => true],
      ['the operator, status=handling', 'operator', 'status=handling', (c) => c.status === 'handling'],
      ['the operator, channel=open311', 'operator', 'channel=open311', (c) => c.channel === 'open311'],
      ['the auditor, light=red', 'auditor', 'light=red', (c) => caseLight(c, now()) === 'red'],
      ["a department clerk (the unit's cases and those holding its tasks)", 'clerk', '', () => true],
      ['a department clerk, status=closed', 'clerk', 'status=closed', (c) => c.status === 'closed'],
      ['a department leader, channel=hotline', 'dept_leader', 'channel=hotline', (c) => c.channel === 'hotline'],
      ['a grid worker (own reports and the 核查 pool)', 'gridworker', '', () => true],
    ];
    for (const [name, user, query, keep] of scenarios) {
      it(`given ${name}, when every page is walked by after, then each readable case comes once, newest first`, async () => {
        const expected = await expectedCases(user, keep);
        expect(expected.length, 'the scenario lists something').to.be.greaterThan(2);
        for (const pageSize of [1, 4, 7]) {
          const { items, pages } = await walkCases(user, `${query}${query ? '&' : ''}pageSize=${pageSize}`);
          expect(
            items.map((i) => i.id),
            `pageSize ${pageSize}`,
          ).to.deep.equal(expected);
          expect(pages[0]!.total).to.equal(expected.length);
          expect(pages[0]!.totalCapped).to.equal(false);
          expect(pages.at(-1)!.next).to.equal(null);
          for (const p of pages.slice(0, -1)) expect(p.items.length, 'full pages until the last').to.equal(pageSize);
        }
      });
    }

    it('given a date range, when walked, then the range and the order hold across the ties', async () => {
      const from = new Date(base + 3 * 3_600_000).toISOString();
      const to = new Date(base + 9 * 3_600_000).toISOString();
      const expected = await expectedCases('operator', (c) => c.createdAt.getTime() >= Date.parse(from) && c.createdAt.getTime() < Date.parse(to));
      const { items } = await walkCases('operator', `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&pageSize=2`);
      expect(items.map((i) => i.id)).to.deep.equal(expected);
    });

    it('given page/pageSize (compatibility), when asked, then the same slice as the cursor walk, and `next` continues from it', async () => {
      const all = (await walkCases('clerk', 'pageSize=50')).items.map((i) => i.id);
      const p2 = await get<Page<CaseItem>>('clerk', '/cases?page=2&pageSize=4');
      expect(p2).to.include({ page: 2, pageSize: 4, total: all.length, totalCapped: false });
      expect(p2.items.map((i) => i.id)).to.deep.equal(all.slice(4, 8));
      const rest = await walkCases('clerk', `pageSize=100&after=${encodeURIComponent(p2.next!)}`);
      expect(rest.items.map((i) => i.id)).to.deep.equal(all.slice(8));
    });

    it('given a page past 10,000 rows, when asked, then 400 page_too_deep; the deepest allowed page answers', async () => {
      const deep = await api.call('GET', '/cases?page=501&pageSize=20', { token: tokens['operator']! });
      expect([deep.status, deep.body['code']]).to.deep.equal([400, 'page_too_deep']);
      const last = await get<Page<CaseItem>>('operator', '/cases?page=500&pageSize=20');
      expect(last.items).to.deep.equal([]);
      const both = await api.call('GET', `/cases?page=2&after=${encodeCursor('cases', ['2026-01-01T00:00:00.000Z', '1'])}`, { token: tokens['operator']! });
      expect([both.status, both.body['code']]).to.deep.equal([400, 'invalid_input']);
    });

    it('given a department clerk whose tasks outnumber the scan budget, when walked with a tiny budget, then short pages carry `next` and the walk still lists every case once, in order', async () => {
      const clerk = (await Users.findOne({ where: { username: 'clerk' } }))!;
      const actor: Actor = { userId: clerk.id, username: clerk.username, displayName: clerk.displayName, role: clerk.role, unitId: clerk.unitId };
      const filters = { status: 'verifying' };
      const expected = await expectedCases('clerk', (c) => c.status === 'verifying');
      const got: string[] = [];
      let short = 0;
      let after: { at: Date; id: string } | null = null;
      for (let guard = 0; guard < 200; guard++) {
        const page = await scopedCaseKeys(caseScopeBranches(actor), filters, after, 1, 0, { batch: 2, budget: 1 });
        got.push(...page.keys.map((k) => k.id));
        if (page.next && page.keys.length < 1) short++;
        if (!page.next) break;
        after = page.next;
      }
      expect(got).to.deep.equal(expected);
      expect(short, 'the budget cut some pages short').to.be.greaterThan(0);
    });

    for (const [name, user, query, keep] of [
      ['a text search', 'operator', `q=${encodeURIComponent('窗口标记')}`, (c: Row<'cases'>) => (c.address ?? '').includes('窗口标记')],
      ['a light', 'operator', 'light=yellow', (c: Row<'cases'>) => caseLight(c, new Date()) === 'yellow'],
      ["a department clerk's light", 'clerk', 'light=green', (c: Row<'cases'>) => caseLight(c, new Date()) === 'green'],
    ] as const) {
      it(`given ${name} (no index serves it) and a scan window smaller than the cases, when walked, then pages look at one window each, some come back short, and the walk lists every match once, in order`, async () => {
        const window = CASE_SCAN.window;
        CASE_SCAN.window = 4;
        // every third case carries the searched word in its address
        const marked = (await Cases.findAll({ order: [['id', 'ASC']] })).filter((_, i) => i % 3 === 1).map((c) => c.id);
        await Cases.update({ address: '窗口标记路1号' }, { where: { id: marked } });
        try {
          const expected = await expectedCases(user, keep);
          expect(expected.length).to.be.greaterThan(2);
          const { items, pages } = await walkCases(user, `${query}&pageSize=3`);
          expect(items.map((i) => i.id)).to.deep.equal(expected);
          expect(
            pages.some((p) => p.items.length < 3 && p.next !== null),
            'a short page that goes on',
          ).to.equal(true);
          expect(pages[0]!.totalCapped, 'a first page counts its window only').to.equal(true);
        } finally {
          CASE_SCAN.window = window;
          await Cases.update({ address: null }, { where: { id: marked } });
        }
      });
    }
  });

  describe('GET /tasks', () => {
    const urgency = (a: Row<'inbox_tasks'>, b: Row<'inbox_tasks'>) =>
      b.priority - a.priority ||
      (a.dueAt === null ? (b.dueAt === null ? 0 : -1) : b.dueAt === null ? 1 : a.dueAt.getTime() - b.dueAt.getTime()) ||
      Number(BigInt(a.id) - BigInt(b.id));
    const keysOf = (rows: Row<'inbox_tasks'>[]) => rows.map((r) => r.userTaskKey);
    const walkTasks = (user: string, query: string) => walk<TaskItem>(user, `/tasks?${query}`, (p) => p.tasks);

    it('given open tasks with shared priorities and due times (and none), when the operator walks them, then most urgent first, each once', async () => {
      const expected = keysOf((await InboxTasks.findAll({ where: { state: 'created' } })).sort(urgency));
      expect(expected.length).to.be.greaterThan(8);
      for (const limit of [1, 3]) {
        const { items, pages } = await walkTasks('operator', `limit=${limit}`);
        expect(
          items.map((t) => t.userTaskKey),
          `limit ${limit}`,
        ).to.deep.equal(expected);
        expect(pages[0]!.total).to.equal(expected.length);
      }
    });

    it("given finished tasks, when a clerk walks them, then the unit's newest first, each once", async () => {
      const expected = keysOf(await InboxTasks.findAll({ where: { state: 'completed', unitId: clerkUnit.id }, order: [['id', 'DESC']] }));
      expect(expected.length).to.be.greaterThan(2);
      const { items } = await walkTasks('clerk', 'status=completed&limit=2');
      expect(items.map((t) => t.userTaskKey)).to.deep.equal(expected);
    });

    it("given the grid worker's pool, when walked, then only the tasks offered to grid workers", async () => {
      const expected = keysOf(
        (await InboxTasks.findAll({ where: { state: 'created' } })).filter((t) => (t.candidateGroups ?? []).includes('grid_worker')).sort(urgency),
      );
      expect(expected.length).to.be.greaterThan(1);
      expect((await walkTasks('gridworker', 'limit=2')).items.map((t) => t.userTaskKey)).to.deep.equal(expected);
    });

    it('given the light filter, when each light is walked, then the three lists split the inbox: disjoint, complete, each item its light', async () => {
      const all = (await walkTasks('operator', 'limit=50')).items.map((t) => t.userTaskKey);
      const parts: string[] = [];
      for (const light of ['red', 'yellow', 'green']) {
        const { items } = await walkTasks('operator', `light=${light}&limit=2`);
        for (const t of items) expect(t.light, t.userTaskKey).to.equal(light);
        parts.push(...items.map((t) => t.userTaskKey));
      }
      expect([...parts].sort()).to.deep.equal([...all].sort());
      expect(new Set(parts).size).to.equal(parts.length);
    });

    it('given limit/offset (compatibility), when asked, then the same slice as the walk; offset past 10,000 is page_too_deep', async () => {
      const all = (await walkTasks('operator', 'limit=50')).items.map((t) => t.userTaskKey);
      const res = await get<TaskPage>('operator', '/tasks?limit=3&offset=3');
      expect(res.tasks.map((t) => t.userTaskKey)).to.deep.equal(all.slice(3, 6));
      const deep = await api.call('GET', '/tasks?limit=10&offset=9991', { token: tokens['operator']! });
      expect([deep.status, deep.body['code']]).to.deep.equal([400, 'page_too_deep']);
    });
  });

  describe('GET /audit/records', () => {
    before(async () => {
      const cases = await Cases.findAll({ order: [['id', 'ASC']], limit: 3 });
      for (let i = 0; i < 14; i++) {
        await appendAudit({
          caseId: cases[i % 3]!.id,
          actor: 'keyset-tester',
          actorRole: 'auditor',
          action: i % 2 ? 'keyset_check' : 'keyset_note',
          detail: { i },
          at: new Date(base + (i % 5) * 60_000),
        });
      }
    });

    it('given records sharing timestamps, when walked by action, actor and case, then each comes once, newest first', async () => {
      const oracle = async (where: Record<string, unknown>) =>
        (await AuditRecords.findAll({ where: { actor: 'keyset-tester', ...where } }))
          .map((a) => ({ at: a.createdAt.getTime(), id: a.id }))
          .sort(byNewest)
          .map((k) => k.id);
      const firstCase = (await Cases.findOne({ order: [['id', 'ASC']] }))!.id;
      for (const [query, where] of [
        ['actor=keyset-tester', {}],
        ['action=keyset_check&actor=keyset-tester', { action: 'keyset_check' }],
        [`caseId=${firstCase}&actor=keyset-tester`, { caseId: firstCase }],
      ] as const) {
        const expected = await oracle(where);
        expect(expected.length, query).to.be.greaterThan(2);
        const { items, pages } = await walk<{ id: string }>('auditor', `/audit/records?${query}&pageSize=3`, (p) => p.items);
        expect(
          items.map((i) => i.id),
          query,
        ).to.deep.equal(expected);
        expect(pages[0]!.total).to.equal(expected.length);
      }
    });

    it('given a department clerk, when listing audit records, then 403', async () => {
      const res = await api.call('GET', '/audit/records', { token: tokens['clerk']! });
      expect([res.status, res.body['code']]).to.deep.equal([403, 'forbidden']);
    });
  });

  describe('GET /admin/camera-events', () => {
    let cam: Row<'camera_devices'>;
    before(async () => {
      const grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
      cam = await CameraDevices.create({
        code: 'KS-CAM-1',
        name: '分页测试',
        lat: grid.centroidLat,
        lng: grid.centroidLng,
        address: null,
        gridId: grid.id,
        eventTypeCodes: ['BJ-0101'],
        apiKeyHash: null,
        keyRotatedAt: null,
        lastSeenAt: null,
      });
      const other = await CameraDevices.create({
        code: 'KS-CAM-2',
        name: '分页测试二',
        lat: grid.centroidLat,
        lng: grid.centroidLng,
        address: null,
        gridId: grid.id,
        eventTypeCodes: ['BJ-0101'],
        apiKeyHash: null,
        keyRotatedAt: null,
        lastSeenAt: null,
      });
      const cases = await Cases.findAll({ order: [['id', 'ASC']], limit: 4 });
      for (let i = 0; i < 16; i++) {
        await CameraEvents.create({
          deviceId: i % 4 === 0 ? other.id : cam.id,
          eventId: `ks-${i}`,
          eventTypeId: 1,
          caseId: cases[i % 4]!.id,
          outcome: i % 3 ? 'merged' : 'created',
          confidence: 0.9,
          capturedAt: new Date(base),
          snapshotUrl: null,
          createdAt: new Date(base + (i % 4) * 1000),
        });
      }
    });

    it('given events sharing timestamps, when walked for one camera and for all, then each comes once, newest first', async () => {
      const oracle = async (where: Record<string, unknown>) =>
        (await CameraEvents.findAll({ where }))
          .map((e) => ({ at: e.createdAt.getTime(), id: e.id }))
          .sort(byNewest)
          .map((k) => k.id);
      for (const [query, where] of [
        ['camera=KS-CAM-1', { deviceId: cam.id }],
        ['', {}],
      ] as const) {
        const expected = await oracle(where);
        const { items } = await walk<{ id: string; cameraCode: string }>(
          'operator',
          `/admin/camera-events?pageSize=3${query ? `&${query}` : ''}`,
          (p) => p.items,
        );
        expect(
          items.map((i) => i.id),
          query,
        ).to.deep.equal(expected);
        if (query) for (const i of items) expect(i.cameraCode).to.equal('KS-CAM-1');
      }
      expect((await get<Page<unknown>>('operator', '/admin/camera-events?camera=NOPE')).items).to.deep.equal([]);
    });

    it(`given more than ${COUNT_CAP} events, when the first page is read, then the total stops at the cap and says so; a narrow filter counts exactly`, async () => {
      const caseId = (await Cases.findOne({ order: [['id', 'ASC']] }))!.id;
      const at = new Date(base - 86_400_000);
      const rows = Array.from({ length: COUNT_CAP + 1 }, (_, i) => ({
        deviceId: cam.id,
        eventId: `bulk-${i}`,
        eventTypeId: 1,
        caseId,
        outcome: 'merged',
        confidence: 0.8,
        capturedAt: at,
        snapshotUrl: null,
        createdAt: at,
      }));
      await CameraEvents.insertMany(rows);
      const all = await get<Page<unknown>>('auditor', '/admin/camera-events?pageSize=5');
      expect(all).to.include({ total: COUNT_CAP, totalCapped: true });
      expect(all.items).to.have.length(5);
      const theDay = await get<Page<unknown>>(
        'auditor',
        `/admin/camera-events?to=${encodeURIComponent(new Date(base).toISOString())}&from=${encodeURIComponent(new Date(base - 2 * 86_400_000).toISOString())}&pageSize=1`,
      );
      expect(theDay).to.include({ total: COUNT_CAP, totalCapped: true });
      const few = await get<Page<unknown>>('auditor', '/admin/camera-events?camera=KS-CAM-2');
      expect(few).to.include({ total: 4, totalCapped: false });
      await CameraEvents.destroy({ where: { eventId: { [Op.like]: 'bulk-%' } } });
    });
  });

  describe('malformed cursors', () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const bad = [
      ['not base64url', '!!!'],
      ['base64 of nothing useful', 'AAAA'],
      ['not JSON', Buffer.from('cases,1').toString('base64url')],
      ["another list's cursor", encodeCursor('open311', ['2026-01-01T00:00:00.000Z', '1'])],
      ['a bad timestamp', b64(['cases', '2026-13-01T00:00:00.000Z', '1'])],
      ['a timestamp without milliseconds', b64(['cases', '2026-01-01T00:00:00Z', '1'])],
      ['an id that is not a number', b64(['cases', '2026-01-01T00:00:00.000Z', '1 OR 1=1'])],
      ['a numeric id', b64(['cases', '2026-01-01T00:00:00.000Z', 1])],
      ['too few values', b64(['cases', '2026-01-01T00:00:00.000Z'])],
      ['too long', 'A'.repeat(300)],
      ['empty', ''],
    ] as const;
    const lists = ['/cases', '/tasks', '/tasks?status=completed', '/audit/records', '/admin/camera-events'];

    it('given a malformed after, when any history list is asked, then 400 bad_cursor and nothing changes', async () => {
      const before = await snapshot();
      for (const list of lists) {
        for (const [name, cursor] of bad) {
          const sep = list.includes('?') ? '&' : '?';
          const res = await api.call<{ code: string; message: string }>('GET', `${list}${sep}after=${encodeURIComponent(cursor)}`, { token: tokens['admin']! });
          expect([res.status, res.body.code], `${list} ${name}`).to.deep.equal([400, 'bad_cursor']);
          expect(res.body.message).to.be.a('string').and.not.equal('');
        }
      }
      // the inbox's own cursors with a value out of shape, or the finished list's cursor on the open list
      for (const [query, cursor] of [
        ['', b64(['tasks.open', 'high', null, '1'])],
        ['', b64(['tasks.open', 50, 'tomorrow', '1'])],
        ['status=completed&', b64(['tasks.done', '0'])],
        ['', b64(['tasks.done', '5'])],
      ] as const) {
        const res = await api.call<{ code: string }>('GET', `/tasks?${query}after=${cursor}`, { token: tokens['admin']! });
        expect([res.status, res.body.code], `${query}${cursor}`).to.deep.equal([400, 'bad_cursor']);
      }
      expect(await snapshot()).to.equal(before);
    });

    it('given English, when the cursor is malformed, then the message says to pass `next`', async () => {
      const res = await api.call<{ code: string; message: string }>('GET', '/cases?after=xyz', {
        token: tokens['operator']!,
        headers: { 'Accept-Language': 'en' },
      });
      expect(res.body).to.include({ code: 'bad_cursor' });
      expect(res.body.message).to.contain('next');
    });
  });

  describe('the OpenAPI document', () => {
    it('given the docs, when read, then every history list takes `after` and answers `next`', async () => {
      const doc = (
        await api.call<{
          paths: Record<
            string,
            Record<
              string,
              {
                parameters?: Array<{ name: string }>;
                responses: Record<string, { content?: Record<string, { schema: { properties?: Record<string, unknown> } }> }>;
              }
            >
          >;
        }>('GET', '/docs')
      ).body;
      for (const path of ['/cases', '/tasks', '/audit/records', '/admin/camera-events']) {
        const op = doc.paths[path]!['get']!;
        expect(
          op.parameters!.map((p) => p.name),
          path,
        ).to.include('after');
        expect(Object.keys(op.responses['200']!.content!['application/json']!.schema.properties!), path).to.include.members(['next', 'total', 'totalCapped']);
      }
      expect(doc.paths['/requests.{format}']!['get']!.parameters!.map((p) => p.name)).to.include.members(['after', 'page_size']);
    });
  });
});
