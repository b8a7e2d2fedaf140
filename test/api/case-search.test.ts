import { expect } from 'chai';
import { Cases, Grids, InboxTasks, Units, Users, type Row, Op } from '../support/tables.js';
import { createCase } from '../support/case-fixtures.js';
import { openApiWorld, snapshot, type ApiWorld } from './support/api-world.js';

interface Item {
  id: string;
  caseNo: string;
  status: string;
  light: string;
  reporterPhone: string | null;
  unitId: number | null;
  unitName: string | null;
  township: string | null;
  eventTypeCode: string | null;
  eventTypeName: string | null;
  category: string | null;
}
interface Page {
  items: Item[];
  total: number;
  page: number;
  pageSize: number;
}

describe('REST API: case search GET /cases', function () {
  this.timeout(60_000);
  let api: ApiWorld;
  const c: Record<string, string> = {};
  const no: Record<string, string> = {};
  let cgj: Row<'units'>;
  let grid1: Row<'grids'>;
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);

  before(async () => {
    api = await openApiWorld();
    const clerk = (await Users.findOne({ where: { username: 'clerk' } }))!;
    const gridworker = (await Users.findOne({ where: { username: 'gridworker' } }))!;
    cgj = (await Units.findByPk(clerk.unitId!))!;
    const other = (await Units.findOne({ where: { code: 'D-ZFW' } }))!;
    grid1 = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
    const grid2 = (await Grids.findOne({ where: { townshipId: { [Op.ne]: grid1.townshipId } }, order: [['id', 'ASC']] }))!;
    const made = {
      c1: await createCase({
        status: 'handling',
        unitId: cgj.id,
        eventTypeCode: 'BJ-0101',
        gridCode: grid1.code,
        description: '垃圾桶满溢无人清理',
        reporterPhone: '13812345678',
        createdAt: hoursAgo(7),
        fields: { dueAt: new Date(Date.now() + 2 * 86_400_000) },
      }),
      c2: await createCase({ status: 'dispatched', unitId: cgj.id, createdAt: hoursAgo(6), fields: { dueAt: hoursAgo(1) } }),
      c3: await createCase({
        status: 'handling',
        unitId: other.id,
        eventTypeCode: 'BJ-0107',
        gridCode: grid2.code,
        createdAt: hoursAgo(5),
        fields: { warningLight: 'yellow' },
      }),
      // in a grid the demo grid worker patrols (a grid worker's 核查 pool is their grids' cases), township left unset
      c4: await createCase({ status: 'verifying', unitId: other.id, createdAt: hoursAgo(4), fields: { escalationLevel: 1, gridId: grid1.id } }),
      c5: await createCase({ status: 'reported', channel: 'grid_worker', createdAt: hoursAgo(3), fields: { reporterUserId: gridworker.id } }),
      c6: await createCase({
        status: 'closed',
        unitId: cgj.id,
        createdAt: new Date('2026-01-01T02:00:00Z'),
        fields: { dueAt: new Date('2026-01-02T02:00:00Z'), closedAt: new Date('2026-01-01T08:00:00Z') },
      }),
      c7: await createCase({ status: 'closed', unitId: other.id, createdAt: hoursAgo(1), fields: { warningLight: 'red', closedAt: hoursAgo(0.5) } }),
    };
    for (const [k, row] of Object.entries(made)) {
      c[k] = row.id;
      no[k] = row.caseNo;
    }
    // a task of the clerk's unit on another unit's case: the clerk may read that case (as GET /cases/:id allows)
    await InboxTasks.create({
      userTaskKey: '990001',
      caseId: c['c4']!,
      processInstanceKey: null,
      elementId: 'verify',
      name: '核查',
      formId: null,
      unitId: cgj.id,
      assignee: null,
      candidateGroups: ['grid_worker', cgj.code],
      state: 'created',
      dueAt: null,
      followUpAt: null,
      completedAt: null,
      completedBy: null,
    });
  });
  after(() => api.close());

  const search = async (user: string, query = '') => {
    const res = await api.call<Page>('GET', `/cases${query}`, { token: await api.login(user) });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body;
  };
  const keysOf = (p: Page) => p.items.map((i) => Object.entries(c).find(([, id]) => id === i.id)?.[0]).sort();

  it('given the centre roles, when they search without filters, then they see every case, newest first', async () => {
    for (const user of ['operator', 'admin', 'leader', 'auditor']) {
      const p = await search(user);
      expect(p.total, user).to.equal(7);
      expect(
        p.items.map((i) => i.id),
        user,
      ).to.deep.equal(['c7', 'c5', 'c4', 'c3', 'c2', 'c1', 'c6'].map((k) => c[k]));
    }
  });

  it("given a department clerk, when searching, then only the unit's cases and the case holding its task come back — each readable by GET /cases/:id", async () => {
    const p = await search('clerk');
    expect(keysOf(p)).to.deep.equal(['c1', 'c2', 'c4', 'c6']);
    expect(p.total).to.equal(4);
    const token = await api.login('clerk');
    for (const item of p.items) expect((await api.call('GET', `/cases/${item.id}`, { token })).status).to.equal(200);
    expect((await api.call('GET', `/cases/${c['c3']}`, { token })).status).to.equal(404);
    expect(keysOf(await search('dept_leader'))).to.deep.equal(['c1', 'c2', 'c4', 'c6']);
  });

  it('given a grid worker, when searching, then the cases they reported and the 核查 pool of their grids come back', async () => {
    expect(keysOf(await search('gridworker'))).to.deep.equal(['c4', 'c5']);
    await Cases.update({ gridId: null }, { where: { id: c['c4']! } });
    expect(keysOf(await search('gridworker')), 'a case in no grid they patrol').to.deep.equal(['c5']);
    await Cases.update({ gridId: grid1.id }, { where: { id: c['c4']! } });
  });

  it('given the light filter, when searching, then red = escalated, overdue or finished red; yellow = reminded; green = the rest', async () => {
    const red = await search('operator', '?light=red');
    expect(keysOf(red)).to.deep.equal(['c2', 'c4', 'c7']);
    expect(keysOf(await search('operator', '?light=yellow'))).to.deep.equal(['c3']);
    expect(keysOf(await search('operator', '?light=green'))).to.deep.equal(['c1', 'c5', 'c6']);
    // the filter and the light shown are the same rule
    for (const light of ['red', 'yellow', 'green']) {
      for (const item of (await search('operator', `?light=${light}`)).items) expect(item.light, item.caseNo).to.equal(light);
    }
  });

  it('given the other filters, when searching, then each narrows as it says', async () => {
    expect(keysOf(await search('operator', '?status=handling'))).to.deep.equal(['c1', 'c3']);
    expect(keysOf(await search('operator', `?category=${encodeURIComponent('其他')}`))).to.deep.equal(['c3']);
    expect(keysOf(await search('operator', `?unitId=${cgj.id}`))).to.deep.equal(['c1', 'c2', 'c6']);
    expect(keysOf(await search('operator', `?township=${grid1.townshipId}`))).to.deep.equal(['c1']);
    const township = (await Units.findByPk(grid1.townshipId))!;
    expect(keysOf(await search('operator', `?township=${township.code}`))).to.deep.equal(['c1']);
    expect((await search('operator', '?township=NOPE')).total).to.equal(0);
    expect(keysOf(await search('operator', '?channel=grid_worker'))).to.deep.equal(['c5']);
    expect(keysOf(await search('operator', '?from=2026-01-01&to=2026-01-01'))).to.deep.equal(['c6']);
    expect(keysOf(await search('operator', '?to=2026-01-01T02:00:00Z'))).to.deep.equal([]);
    expect(keysOf(await search('operator', `?q=${encodeURIComponent('满溢')}`))).to.deep.equal(['c1']);
    expect(keysOf(await search('operator', `?q=${no['c3']}`))).to.deep.equal(['c3']);
    expect((await search('operator', `?q=${encodeURIComponent('%')}`)).total, 'a % is a literal').to.equal(0);
    expect(keysOf(await search('operator', '?status=handling&unitId=' + cgj.id))).to.deep.equal(['c1']);
    const item = (await search('operator', `?q=${no['c1']}`)).items[0]!;
    expect(item).to.include({
      eventTypeCode: 'BJ-0101',
      eventTypeName: '上水井盖',
      category: '市容环境',
      unitId: cgj.id,
      unitName: cgj.name,
      status: 'handling',
      light: 'green',
    });
    expect(item.township).to.equal(township.name);
  });

  it('given paging, when asking for page 2 of 2, then the right slice and the full total come back', async () => {
    const p = await search('operator', '?page=2&pageSize=2');
    expect(p).to.include({ total: 7, page: 2, pageSize: 2 });
    expect(p.items.map((i) => i.id)).to.deep.equal([c['c4'], c['c3']]);
    expect((await search('operator', '?page=9&pageSize=2')).items).to.deep.equal([]);
  });

  it("given the reporter's phone, when searched and listed, then the operator sees and finds it, other roles see it masked and cannot search by it", async () => {
    const byOperator = await search('operator', '?q=13812345678');
    expect(keysOf(byOperator)).to.deep.equal(['c1']);
    expect(byOperator.items[0]!.reporterPhone).to.equal('13812345678');
    expect((await search('leader', '?q=13812345678')).total).to.equal(0);
    const leaderView = (await search('leader', `?q=${no['c1']}`)).items[0]!;
    expect(leaderView.reporterPhone).to.equal('138****5678');
    expect((await search('clerk', `?q=${no['c1']}`)).items[0]!.reporterPhone).to.equal('138****5678');
  });

  it('given bad filters, when searching, then 400 invalid_input and nothing is written', async () => {
    const token = await api.login('operator');
    const before = await snapshot();
    for (const query of [
      '?page=0',
      '?pageSize=201',
      '?light=blue',
      '?status=done',
      '?from=2026-13-01',
      '?unitId=abc',
      '?foo=1',
      '?q=',
      `?q=${'x'.repeat(101)}`,
      '?township=%27%20OR%201%3D1',
    ]) {
      const res = await api.call('GET', `/cases${query}`, { token });
      expect(res.status, query).to.equal(400);
      expect(res.body['code'], query).to.equal('invalid_input');
    }
    expect(await snapshot()).to.equal(before);
  });

  it('given no token, when searching, then 401', async () => {
    const res = await api.call('GET', '/cases');
    expect(res.status).to.equal(401);
    expect(res.body['code']).to.equal('unauthenticated');
  });
});
