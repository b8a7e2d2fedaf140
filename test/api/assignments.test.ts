import { expect } from 'chai';
import { AuditRecords, Cases, Grids, InboxTasks, Units, query, type Row } from '../support/tables.js';
import { eventually } from '../processes/support/process-harness.js';
import { openApiWorld, snapshot, type ApiWorld } from './support/api-world.js';

interface Filed {
  id: string;
  caseNo: string;
  status: string;
  unitCode: string;
  dueAt: string;
}

/** A district leader's 交办 (issue #14 item 4): priority, the unit named, a deadline, the instruction. */
describe("REST API: a leader's 交办 (/api/assignments)", function () {
  this.timeout(120_000);
  let api: ApiWorld;
  let leader: string;
  let grid: Row<'grids'>;
  const inThreeDays = () => new Date(Date.now() + 3 * 86_400_000);

  before(async () => {
    api = await openApiWorld();
    leader = await api.login('leader');
    // a grid of its own: no other test's open case of the same type nearby
    grid = (await Grids.findAll({ order: [['id', 'DESC']], limit: 1 }))[0]!;
  });
  after(() => api.close());

  it("given a leader's 交办 naming 住建局 for a 属地 type, when the centre files it (受理), then it goes to 住建局 with the leader's deadline, priority and instruction", async () => {
    const dueAt = inThreeDays();
    const res = await api.call<Filed>('POST', '/assignments', {
      token: leader,
      body: {
        description: '文昌路人行道长期占道经营，群众反映强烈',
        instruction: '三日内清理到位，结果报区政府办',
        unitCode: 'D-ZJJ',
        dueAt: dueAt.toISOString(),
        priority: 95,
        eventTypeCode: 'SJ-0106',
        gridCode: grid.code,
      },
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body).to.include({ unitCode: 'D-ZJJ', status: 'reported' });
    const c = (await Cases.findByPk(res.body.id))!;
    expect(c.channel).to.equal('leader');
    expect(c.priority).to.equal(95);
    expect(c.description).to.contain('三日内清理到位');

    // when: the operator files it in 受理 (the inbox shows it with its priority)
    const operator = await api.login('operator');
    const accept = await eventually(
      'the 受理 task',
      async () => InboxTasks.findOne({ where: { caseId: c.id, elementId: 'accept', state: 'created' } }),
      20_000,
    );
    expect((await api.call('POST', `/tasks/${accept!.userTaskKey}/claim`, { token: operator })).status).to.equal(200);
    const done = await api.call('POST', `/tasks/${accept!.userTaskKey}/complete`, {
      token: operator,
      body: { data: { filed: true, eventTypeCode: 'SJ-0106' } },
    });
    expect(done.status, JSON.stringify(done.body)).to.equal(200);

    // then: routed to the named unit for sure (属地 would have been the township), due when the leader said
    const zjj = (await Units.findOne({ where: { code: 'D-ZJJ' } }))!;
    const handled = await eventually(
      'dispatched with its 处置 deadline',
      async () => {
        const now = (await Cases.findByPk(c.id))!;
        return now.unitId === zjj.id && now.handleDueAt ? now : null;
      },
      30_000,
    );
    expect(Math.abs(handled!.handleDueAt!.getTime() - dueAt.getTime())).to.be.below(61_000);
    const routed = await AuditRecords.findOne({ where: { caseId: c.id, action: 'routed' } });
    expect(routed!.detail as { routeReason: string; routeSure: boolean }).to.include({ routeSure: true });
    expect((routed!.detail as { routeReason: string }).routeReason).to.contain('领导交办');

    // and the leader sees it among their 交办
    const mine = await api.call<{ items: Array<{ caseNo: string; unitCode: string; instruction: string; dueAt: string }> }>('GET', '/assignments', {
      token: leader,
    });
    expect(mine.status).to.equal(200);
    expect(mine.body.items[0]).to.include({ caseNo: res.body.caseNo, unitCode: 'D-ZJJ', instruction: '三日内清理到位，结果报区政府办' });
  });

  it('given bad 交办, when they are posted, then each is refused with its code and nothing changes', async () => {
    for (const who of ['gridworker', 'operator', 'clerk']) await api.login(who); // sessions first: the snapshot counts them
    const before = await snapshot();
    const rows = async () => (await query<{ n: unknown }>('SELECT COUNT(*) AS n FROM case_assignments'))[0]!.n;
    const assignments = await rows();
    const good = { description: '河道垃圾漂浮', instruction: '尽快清理', unitCode: 'D-CGJ', dueAt: inThreeDays().toISOString(), gridCode: grid.code };
    const cases: Array<[string, Record<string, unknown>, number, string, string?]> = [
      ['no instruction', { ...good, instruction: undefined }, 400, 'invalid_input'],
      ['unknown unit', { ...good, unitCode: 'D-NONE' }, 400, 'unknown_unit'],
      ['deadline passed', { ...good, dueAt: new Date(Date.now() - 60_000).toISOString() }, 400, 'due_in_past'],
      ['deadline not a date', { ...good, dueAt: '明天' }, 400, 'invalid_input'],
      ['priority above 100', { ...good, priority: 101 }, 400, 'invalid_input'],
      ['no place', { ...good, gridCode: undefined }, 400, 'location_required'],
      ['a grid worker', good, 403, 'forbidden', 'gridworker'],
      ['an operator', good, 403, 'forbidden', 'operator'],
    ];
    for (const [what, body, status, code, who] of cases) {
      const res = await api.call<{ code: string; message: string }>('POST', '/assignments', { token: await api.login(who ?? 'leader'), body });
      expect(res.status, `${what}: ${JSON.stringify(res.body)}`).to.equal(status);
      expect(res.body.code, what).to.equal(code);
      expect(res.body.message, what).to.be.a('string').and.not.equal('');
    }
    expect(await snapshot()).to.equal(before);
    expect(await rows()).to.equal(assignments);
    expect((await api.call('GET', '/assignments', { token: await api.login('clerk') })).status).to.equal(403);
    expect((await api.call('GET', '/assignments', {})).status).to.equal(401);
  });
});
