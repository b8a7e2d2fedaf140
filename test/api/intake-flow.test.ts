import { expect } from 'chai';
import { Cases, EventTypes, Grids, InboxTasks, Units, Users } from '../support/tables.js';
import { caseAuditTrail } from '../../domain/audit/index.js';
import { hashPassword } from '../../domain/auth/password.js';
import { eventually } from '../processes/support/process-harness.js';
import { openApiWorld, PASSWORD, type ApiWorld } from './support/api-world.js';

interface TaskRow {
  userTaskKey: string;
  elementId: string;
  caseId: string | null;
  caseNo: string | null;
  unitCode: string | null;
  formId: string | null;
  assignee: string | null;
}

describe("REST API: from a public report to the unit's handling, followed by the reporter", function () {
  this.timeout(90_000);
  let api: ApiWorld;
  before(async () => {
    api = await openApiWorld();
  });
  after(() => api.close());

  const openTaskOf = (token: string, caseId: string, elementIds: string[]) =>
    eventually(
      `a ${elementIds.join('/')} task of case ${caseId}`,
      async () => {
        const res = await api.call<{ tasks: TaskRow[] }>('GET', '/tasks', { token });
        return res.body.tasks.find((t) => t.caseId === caseId && elementIds.includes(t.elementId)) ?? null;
      },
      20_000,
    );

  it('given a day past case number 9999 (…-9999 sorts after …-10012 as text), when a filing collides and reads the day again, then it takes the number after the highest', async () => {
    const grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
    const report = (key: string) =>
      api.call<{ caseNo: string }>('POST', '/public/reports', {
        body: { description: '编号测试：路边垃圾', lat: grid.centroidLat, lng: grid.centroidLng },
        headers: { 'Idempotency-Key': key },
      });
    const first = await report('numbering-1');
    expect(first.status, JSON.stringify(first.body)).to.equal(201);
    const [, prefix, n] = /^(.*-)(\d+)$/.exec(first.body.caseNo)!;
    // another process filed the next number and the day went past 9999: this one's next number collides
    for (const no of [String(Number(n) + 1).padStart(4, '0'), '9999', '10012']) {
      await Cases.create({
        caseNo: `${prefix}${no}`,
        channel: 'hotline',
        trackingToken: `numbering-${no}`,
        description: '编号测试',
        status: 'closed',
        reporterName: null,
        reporterPhone: null,
        reporterUserId: null,
        eventTypeId: null,
        category: null,
        lng: null,
        lat: null,
        address: null,
        gridId: null,
        townshipId: null,
        unitId: null,
        acceptDueAt: null,
        dispatchDueAt: null,
        handleDueAt: null,
        verifyDueAt: null,
        dueAt: null,
        processInstanceKey: null,
        processId: null,
        mergedIntoId: null,
        satisfaction: null,
        acceptedAt: null,
        dispatchedAt: null,
        handledAt: null,
        closedAt: null,
      });
    }
    const filed = await report('numbering-2');
    expect(filed.status, JSON.stringify(filed.body)).to.equal(201);
    expect(filed.body.caseNo).to.equal(`${prefix}10013`);
  });

  it('given a 随手拍 report, when the centre accepts it and the unit handles it through /api/tasks, then the reporter follows the progress by token', async () => {
    const grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
    const report = {
      description: '小区门口垃圾堆放多日无人清运，气味很大',
      lat: grid.centroidLat,
      lng: grid.centroidLng,
      reporterPhone: '13812345678',
      reporterName: '李女士',
    };
    const filed = await api.call<{ caseNo: string; trackingToken: string; status: string }>('POST', '/public/reports', {
      body: report,
      headers: { 'Idempotency-Key': 'flow-report-1' },
    });
    expect(filed.status).to.equal(201);
    expect(filed.body.trackingToken).to.be.a('string').with.length.greaterThan(16);
    const caseRow = (await Cases.findOne({ where: { caseNo: filed.body.caseNo } }))!;
    expect(caseRow.channel).to.equal('photo');
    expect(caseRow.gridId).to.equal(grid.id);

    // 受理 by the operator
    const operator = await api.login('operator');
    const accept = await openTaskOf(operator, caseRow.id, ['accept']);
    const detail = await api.call<{ task: TaskRow; form: { id: string }; case: { caseNo: string; reporterPhone: string } }>(
      'GET',
      `/tasks/${accept.userTaskKey}`,
      { token: operator },
    );
    expect(detail.status).to.equal(200);
    expect(detail.body.form.id).to.equal('case-accept');
    expect(detail.body.case.caseNo).to.equal(caseRow.caseNo);
    expect(detail.body.case.reporterPhone).to.equal('13812345678'); // the operator calls reporters back
    expect((await api.call('POST', `/tasks/${accept.userTaskKey}/claim`, { token: operator })).status).to.equal(200);
    const eventType = (await EventTypes.findOne({ order: [['id', 'ASC']] }))!;
    const sneaky = await api.call('POST', `/tasks/${accept.userTaskKey}/complete`, {
      token: operator,
      body: { data: { filed: true, eventTypeCode: eventType.code, isAdmin: true } },
    });
    expect(sneaky.status).to.equal(400);
    expect(sneaky.body['code']).to.equal('form_invalid');
    expect((await InboxTasks.findOne({ where: { userTaskKey: accept.userTaskKey } }))!.state).to.equal('created');
    const accepted = await api.call('POST', `/tasks/${accept.userTaskKey}/complete`, {
      token: operator,
      body: { data: { filed: true, eventTypeCode: eventType.code } },
    });
    expect(accepted.status, JSON.stringify(accepted.body)).to.equal(200);

    // 派遣: either the router was sure, or the operator dispatches to the city-management bureau
    const clerkUser = (await Users.findOne({ where: { username: 'clerk' } }))!;
    const clerkUnit = (await Units.findByPk(clerkUser.unitId!))!;
    const next = await eventually(
      'a dispatch or handle task',
      async () => {
        const d = await api.call<{ tasks: TaskRow[] }>('GET', '/tasks', { token: operator });
        return d.body.tasks.find((t) => t.caseId === caseRow.id && (t.elementId === 'dispatch' || t.elementId === 'handle')) ?? null;
      },
      20_000,
    );
    if (next.elementId === 'dispatch') {
      const dispatched = await api.call('POST', `/tasks/${next.userTaskKey}/complete`, {
        token: operator,
        body: { data: { unitCode: clerkUnit.code, dispatchNote: '请尽快清运' } },
      });
      expect(dispatched.status, JSON.stringify(dispatched.body)).to.equal(200);
    }
    const handleRow = await eventually(
      'the handle task in the inbox',
      async () => InboxTasks.findOne({ where: { caseId: caseRow.id, elementId: 'handle', state: 'created' } }),
      20_000,
    );
    expect(handleRow.unitId, 'the unit comes from the candidate group').to.be.a('number');

    // the unit's clerk (a new clerk if the router sent it elsewhere) sees it; nobody else's clerk does
    let staff = 'clerk';
    if (handleRow.unitId !== clerkUnit.id) {
      staff = `clerk-${handleRow.unitId}`;
      await Users.create({
        username: staff,
        displayName: '办事员',
        role: 'dept_staff',
        unitId: handleRow.unitId,
        phone: null,
        passwordHash: await hashPassword(PASSWORD),
      });
    } else {
      await Users.create({
        username: 'other-clerk',
        displayName: '他单位办事员',
        role: 'dept_staff',
        unitId: (await Units.findOne({ where: { code: 'D-ZFW' } }))!.id,
        phone: null,
        passwordHash: await hashPassword(PASSWORD),
      });
      const other = await api.login('other-clerk');
      expect((await api.call<{ tasks: TaskRow[] }>('GET', '/tasks', { token: other })).body.tasks.map((t) => t.userTaskKey)).not.to.include(
        handleRow.userTaskKey,
      );
      expect((await api.call('GET', `/tasks/${handleRow.userTaskKey}`, { token: other })).status).to.equal(404);
    }
    const clerk = await api.login(staff);
    const handle = await openTaskOf(clerk, caseRow.id, ['handle']);
    const seen = await api.call<{ form: { id: string }; case: { reporterPhone: string } }>('GET', `/tasks/${handle.userTaskKey}`, { token: clerk });
    expect(seen.body.form.id).to.equal('case-handle');
    expect(seen.body.case.reporterPhone).to.equal('138****5678');
    expect((await api.call('POST', `/tasks/${handle.userTaskKey}/claim`, { token: clerk })).status).to.equal(200);
    await Users.create({
      username: `${staff}-2`,
      displayName: '同单位办事员',
      role: 'dept_staff',
      unitId: handleRow.unitId,
      phone: null,
      passwordHash: await hashPassword(PASSWORD),
    });
    const colleague = await api.login(`${staff}-2`);
    for (const action of ['claim', 'complete']) {
      const taken = await api.call('POST', `/tasks/${handle.userTaskKey}/${action}`, {
        token: colleague,
        body: { data: { handleOutcome: 'done', handleResult: '抢着办' } },
      });
      expect(taken.status).to.equal(409);
      expect(taken.body['code']).to.equal('task_claimed');
    }
    const wrong = await api.call('POST', `/tasks/${handle.userTaskKey}/complete`, { token: clerk, body: { data: { handleOutcome: 'done' } } });
    expect(wrong.status).to.equal(400); // handleResult is required when done
    const released = await api.call<{ assignee: string | null }>('POST', `/tasks/${handle.userTaskKey}/unclaim`, { token: clerk });
    expect(released.status).to.equal(200);
    expect(released.body.assignee).to.equal(null);
    expect((await api.call<{ assignee: string }>('POST', `/tasks/${handle.userTaskKey}/claim`, { token: clerk })).body.assignee).to.equal(staff);
    const submission = { data: { handleOutcome: 'done', handleResult: '已清运并消杀' } };
    const done = await api.call('POST', `/tasks/${handle.userTaskKey}/complete`, {
      token: clerk,
      body: submission,
      headers: { 'Idempotency-Key': 'handle-done-1' },
    });
    expect(done.status, JSON.stringify(done.body)).to.equal(200);
    const retried = await api.call('POST', `/tasks/${handle.userTaskKey}/complete`, {
      token: clerk,
      body: submission,
      headers: { 'Idempotency-Key': 'handle-done-1' },
    });
    expect(retried.status).to.equal(200);
    expect(retried.headers.get('idempotent-replayed')).to.equal('true');
    const again = await api.call('POST', `/tasks/${handle.userTaskKey}/complete`, {
      token: clerk,
      body: { data: { handleOutcome: 'done', handleResult: '再来一次' } },
    });
    expect(again.status).to.equal(409);

    // 核查 by the centre, then the reporter follows it: no personal data, progress visible
    const verify = await openTaskOf(operator, caseRow.id, ['verify']);
    const verified = await api.call('POST', `/tasks/${verify.userTaskKey}/complete`, { token: operator, body: { data: { verified: true } } });
    expect(verified.status, JSON.stringify(verified.body)).to.equal(200);
    const followed = await eventually(
      'the case closed',
      async () => {
        const f = await api.call<{ status: string; caseNo: string }>('GET', `/public/reports/${filed.body.trackingToken}`);
        return f.body.status === 'closed' ? f : null;
      },
      20_000,
    );
    expect(followed.body.caseNo).to.equal(filed.body.caseNo);
    expect(JSON.stringify(followed.body)).not.to.contain('1381234');
    const rated = await api.call('POST', `/public/reports/${filed.body.trackingToken}/rating`, { body: { satisfied: true, rating: 5, comment: '很及时' } });
    expect(rated.status, JSON.stringify(rated.body)).to.equal(202);
    const completions = (await caseAuditTrail(caseRow.id)).filter((a) => a.action === 'task_completed');
    expect(completions.map((a) => a.actor)).to.include.members(['operator', staff]);
    await eventually('the rating recorded by the process', async () => (await Cases.findByPk(caseRow.id))!.satisfaction === 'satisfied', 20_000);
    const twice = await api.call('POST', `/public/reports/${filed.body.trackingToken}/rating`, { body: { satisfied: false, rating: 1 } });
    expect(twice.status).to.equal(409);
    expect(twice.body['code']).to.equal('already_rated');
  });

  it('given an Idempotency-Key, when a submission is retried, then the first answer comes back and one case exists; another body under the key is 409', async () => {
    const operator = await api.login('operator');
    const body = { description: '热线：路灯不亮已三天', address: '沾益区西平街道龙华路 12 号', reporterPhone: '13900001111' };
    const before = await Cases.count();
    const first = await api.call<{ id: string; caseNo: string }>('POST', '/cases', { token: operator, body, headers: { 'Idempotency-Key': 'hotline-42' } });
    expect(first.status).to.equal(201);
    const second = await api.call('POST', '/cases', { token: operator, body, headers: { 'Idempotency-Key': 'hotline-42' } });
    expect(second.status).to.equal(201);
    expect(second.body).to.deep.equal(first.body);
    expect(second.headers.get('idempotent-replayed')).to.equal('true');
    expect(await Cases.count()).to.equal(before + 1);
    const other = await api.call('POST', '/cases', {
      token: operator,
      body: { ...body, description: '另一件事' },
      headers: { 'Idempotency-Key': 'hotline-42' },
    });
    expect(other.status).to.equal(409);
    expect(other.body['code']).to.equal('idempotency_mismatch');
    expect(await Cases.count()).to.equal(before + 1);
    expect((await Cases.findByPk(first.body.id))!.channel).to.equal('hotline');
    const trail = await caseAuditTrail(first.body.id);
    expect(trail.filter((a) => a.action === 'reported').map((a) => [a.actor, a.actorRole])).to.deep.equal([['operator', 'operator']]);
  });

  it("given a grid worker, when a report with event type and grid is filed, then it is a grid-worker case of its category's process", async () => {
    const gridworker = await api.login('gridworker');
    const grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
    const eventType = (await EventTypes.findOne({ where: { category: '其他' } })) ?? (await EventTypes.findOne({ order: [['id', 'ASC']] }))!;
    const res = await api.call<{ id: string }>('POST', '/cases', {
      token: gridworker,
      body: { description: '巡查发现：井盖缺失', gridCode: grid.code, eventTypeCode: eventType.code },
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const c = (await Cases.findByPk(res.body.id))!;
    expect(c).to.include({ channel: 'grid_worker', gridId: grid.id, eventTypeId: eventType.id });
    expect(c.processInstanceKey).to.be.a('string');
    expect(c.processId).to.match(/^case-/);
    // the reporter reads their own case
    expect((await api.call('GET', `/cases/${c.id}`, { token: gridworker })).status).to.equal(200);
  });

  it('given an admin, when filing without a channel, then 400; with one, then the case has it', async () => {
    const admin = await api.login('admin');
    const body = { description: '管理员补录：AI 摄像头发现占道', address: '沾益区' };
    const missing = await api.call('POST', '/cases', { token: admin, body });
    expect(missing.status).to.equal(400);
    const filed = await api.call<{ id: string }>('POST', '/cases', { token: admin, body: { ...body, channel: 'ai_camera' } });
    expect(filed.status).to.equal(201);
    expect((await Cases.findByPk(filed.body.id))!.channel).to.equal('ai_camera');
  });

  it('given a leader, when a 交办 is filed, then it is a leader-channel case with high priority', async () => {
    const leader = await api.login('leader');
    const res = await api.call<{ id: string }>('POST', '/cases', { token: leader, body: { description: '交办：尽快整治占道经营', address: '沾益区西平街道' } });
    expect(res.status).to.equal(201);
    const c = (await Cases.findByPk(res.body.id))!;
    expect(c.channel).to.equal('leader');
    expect(c.priority).to.be.greaterThanOrEqual(90);
  });
});
