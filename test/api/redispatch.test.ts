import { expect } from 'chai';
import { AuditRecords, Cases, Grids, InboxTasks, Units } from '../support/tables.js';
import { createCase } from '../support/case-fixtures.js';
import { eventually } from '../processes/support/process-harness.js';
import { caseToEnd } from './support/case-to-end.js';
import { openApiWorld, snapshot, type ApiWorld } from './support/api-world.js';

interface TaskDetail {
  task: { userTaskKey: string; elementId: string; unitCode: string | null };
  variables: Record<string, unknown>;
}

/**
 * Issue #14 item 2 over HTTP: a 属地 case stops at the operator's 派遣 with the township proposed (the demo's
 * `township` account then has it), and POST /api/cases/:id/redispatch moves a case a unit is handling to another
 * unit — refused, changing nothing, for the wrong role, a bad or unknown unit, an unknown case, the same unit,
 * a closed case and a process without 改派.
 */
describe('REST API: 派遣 of a 属地 case and 改派 (POST /api/cases/:id/redispatch)', function () {
  this.timeout(180_000);
  let api: ApiWorld;
  let operator: string;
  let caseId: string;
  let townshipCode: string;

  const openTask = (elementId: string) =>
    eventually(`the ${elementId} task`, async () => InboxTasks.findOne({ where: { caseId, elementId, state: 'created' } }), 30_000);
  const redispatch = (id: string, body: unknown, token: string | null = operator) =>
    api.call<{ code?: string; unitCode?: string; previousUnitCode?: string }>('POST', `/cases/${id}/redispatch`, { token, body });

  before(async () => {
    api = await openApiWorld();
    operator = await api.login('operator');
    const grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
    townshipCode = (await Units.findByPk(grid.townshipId))!.code;
    const filed = await api.call<{ id: string }>('POST', '/cases', {
      token: operator,
      body: { description: '小区门口暴露垃圾无人清运', lat: grid.centroidLat, lng: grid.centroidLng, reporterPhone: '13900004444' },
    });
    expect(filed.status, JSON.stringify(filed.body)).to.equal(201);
    caseId = filed.body.id;
    const accept = await openTask('accept');
    expect(
      (await api.call('POST', `/tasks/${accept.userTaskKey}/complete`, { token: operator, body: { data: { filed: true, eventTypeCode: 'SJ-0101' } } })).status,
    ).to.equal(200);
  });
  after(() => api.close());

  it("given a 属地 case filed, when the operator opens 派遣, then the township is proposed and confirming it gives the case to the township's staff", async () => {
    const dispatch = await openTask('dispatch');
    const read = await api.call<TaskDetail>('GET', `/tasks/${dispatch.userTaskKey}`, { token: operator });
    expect(read.status).to.equal(200);
    expect(read.body.variables).to.deep.include({ unitCode: townshipCode, routeBasis: 'territory', routeSure: true });
    const done = await api.call('POST', `/tasks/${dispatch.userTaskKey}/complete`, {
      token: operator,
      body: { data: { unitCode: townshipCode, dispatchNote: '' } },
    });
    expect(done.status, JSON.stringify(done.body)).to.equal(200);
    const handle = await openTask('handle');
    const township = await api.login('township');
    const inbox = await api.call<{ tasks: Array<{ userTaskKey: string }> }>('GET', '/tasks', { token: township });
    expect(inbox.body.tasks.map((t) => t.userTaskKey)).to.include(handle.userTaskKey);
  });

  it('given the township handling it, when someone other than the centre, a bad or unknown unit, an unknown case or the same unit is sent, then each is refused with its code and nothing changes', async () => {
    await openTask('handle');
    const clerk = await api.login('clerk');
    const township = await api.login('township');
    const before = await snapshot();
    const refusals: Array<[string, number, string]> = [];
    const tried = async (label: string, res: Promise<{ status: number; body: { code?: string } }>) => {
      const r = await res;
      refusals.push([label, r.status, String(r.body.code)]);
    };
    await tried('clerk', redispatch(caseId, { unitCode: 'D-CGJ', reason: '改派' }, clerk));
    await tried('township staff', redispatch(caseId, { unitCode: 'D-CGJ', reason: '改派' }, township));
    await tried('no login', redispatch(caseId, { unitCode: 'D-CGJ', reason: '改派' }, null));
    await tried('unknown unit', redispatch(caseId, { unitCode: 'D-NOPE', reason: '改派' }));
    await tried('a name, not a code', redispatch(caseId, { unitCode: '城管局', reason: '改派' }));
    await tried('no reason', redispatch(caseId, { unitCode: 'D-CGJ' }));
    await tried('unknown case', redispatch('987654321987', { unitCode: 'D-CGJ', reason: '改派' }));
    await tried('same unit', redispatch(caseId, { unitCode: townshipCode, reason: '改派' }));
    expect(refusals).to.deep.equal([
      ['clerk', 403, 'forbidden'],
      ['township staff', 403, 'forbidden'],
      ['no login', 401, 'unauthenticated'],
      ['unknown unit', 400, 'unknown_unit'],
      ['a name, not a code', 400, 'invalid_input'],
      ['no reason', 400, 'invalid_input'],
      ['unknown case', 404, 'case_not_found'],
      ['same unit', 409, 'same_unit'],
    ]);
    expect(await snapshot()).to.equal(before);
  });

  it("given the township handling it, when the operator re-dispatches it to 城管局 with a reason, then the township's task ends, 城管局 has it and the audit says who and why", async () => {
    const first = await openTask('handle');
    const res = await redispatch(caseId, { unitCode: 'D-CGJ', reason: '属建筑垃圾，城管局负责' });
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    expect(res.body).to.deep.include({ unitCode: 'D-CGJ', previousUnitCode: townshipCode });
    const cgj = (await Units.findOne({ where: { code: 'D-CGJ' } }))!;
    const second = await eventually(
      "城管局's 处置 task",
      async () => InboxTasks.findOne({ where: { caseId, elementId: 'handle', state: 'created', unitId: cgj.id } }),
      30_000,
    );
    expect(second.userTaskKey).to.not.equal(first.userTaskKey);
    expect((await InboxTasks.findOne({ where: { userTaskKey: first.userTaskKey } }))!.state).to.equal('cancelled');
    const c = await eventually('the case at 城管局', async () => {
      const r = (await Cases.findByPk(caseId))!;
      return r.unitId === cgj.id ? r : null;
    });
    expect([c.status, c.returnCount]).to.deep.equal(['dispatched', 0]);
    const ordered = (await AuditRecords.findOne({ where: { caseId, action: 'redispatch_ordered' } }))!;
    expect([ordered.actor, ordered.actorRole]).to.deep.equal(['operator', 'operator']);
    expect(ordered.detail).to.deep.include({ unitCode: 'D-CGJ', previousUnitCode: townshipCode, reason: '属建筑垃圾，城管局负责' });
    const recorded = await eventually('the 改派 record', async () => AuditRecords.findOne({ where: { caseId, action: 'redispatched' } }), 30_000);
    expect(recorded.detail).to.deep.include({ unitCode: 'D-CGJ', reason: '属建筑垃圾，城管局负责', orderedBy: 'operator' });
  });

  it('given a closed case, a case in a process without 改派 and a case not yet dispatched, when re-dispatched, then 409 with the code and nothing changes', async () => {
    const { caseId: closedId } = await caseToEnd(api, '井盖缺失已修复');
    const dispute = await createCase({
      eventTypeCode: 'SJ-0301',
      gridCode: 'G-XP-01-01',
      status: 'dispatched',
      unitId: (await Units.findOne({ where: { code: 'T-XP' } }))!.id,
      fields: { processId: 'case-dispute' },
    });
    const fresh = await createCase({ eventTypeCode: 'SJ-0101', gridCode: 'G-XP-01-01', status: 'accepted', fields: { processId: 'case-generic' } });
    const before = await snapshot();
    const codes = [];
    for (const id of [closedId, dispute.id, fresh.id]) {
      const res = await redispatch(id, { unitCode: 'D-CGJ', reason: '改派' });
      codes.push([res.status, res.body.code]);
    }
    expect(codes).to.deep.equal([
      [409, 'not_redispatchable'],
      [409, 'redispatch_unsupported'],
      [409, 'not_redispatchable'],
    ]);
    expect(await snapshot()).to.equal(before);
  });
});
