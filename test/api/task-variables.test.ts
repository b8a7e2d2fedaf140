import { expect } from 'chai';
import { Cases, EventTypes, Grids, InboxTasks, Units, Users, type Row, Op } from '../support/tables.js';
import { hashPassword } from '../../domain/auth/password.js';
import type { Actor } from '../../domain/auth/sessions.js';
import { taskForm, type FormDefinition } from '../../domain/forms/index.js';
import { formVariables, namesInExpression, referencedNames } from '../../domain/inbox/task-variables.js';
import { eventually } from '../processes/support/process-harness.js';
import { openApiWorld, PASSWORD, snapshot, type ApiWorld } from './support/api-world.js';

interface TaskRow {
  userTaskKey: string;
  elementId: string;
  caseId: string | null;
  caseNo: string | null;
  category: string | null;
}
interface TaskDetail {
  task: TaskRow;
  form: FormDefinition;
  case: { caseNo: string; reporterPhone: string | null };
  variables: Record<string, unknown>;
}

describe("REST API: a task's form variables and the category filter", function () {
  this.timeout(120_000);
  let api: ApiWorld;
  let caseRow: Row<'cases'>;
  let handle: Row<'inbox_tasks'>;
  let staff = 'clerk';
  let operator: string;
  let clerk: string;

  /** A public report taken through 受理 (and 派遣 when the router was unsure) to the unit's 处置 task, as in intake-flow. */
  before(async () => {
    api = await openApiWorld();
    const grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
    const filed = await api.call<{ caseNo: string }>('POST', '/public/reports', {
      body: { description: '人行道井盖松动，踩上去晃动', lat: grid.centroidLat, lng: grid.centroidLng, reporterPhone: '13812345678', reporterName: '王先生' },
      headers: { 'Idempotency-Key': 'task-variables-report-1' },
    });
    expect(filed.status, JSON.stringify(filed.body)).to.equal(201);
    caseRow = (await Cases.findOne({ where: { caseNo: filed.body.caseNo } }))!;
    operator = await api.login('operator');
    const accept = await eventually(
      'the accept task',
      async () => InboxTasks.findOne({ where: { caseId: caseRow.id, elementId: 'accept', state: 'created' } }),
      20_000,
    );
    await api.call('POST', `/tasks/${accept.userTaskKey}/claim`, { token: operator });
    const eventType = (await EventTypes.findOne({ order: [['id', 'ASC']] }))!;
    const accepted = await api.call('POST', `/tasks/${accept.userTaskKey}/complete`, {
      token: operator,
      body: { data: { filed: true, eventTypeCode: eventType.code } },
    });
    expect(accepted.status, JSON.stringify(accepted.body)).to.equal(200);
    const clerkUser = (await Users.findOne({ where: { username: 'clerk' } }))!;
    const clerkUnit = (await Units.findByPk(clerkUser.unitId!))!;
    const next = await eventually(
      'a dispatch or handle task',
      async () => InboxTasks.findOne({ where: { caseId: caseRow.id, elementId: ['dispatch', 'handle'], state: 'created' } }),
      20_000,
    );
    if (next.elementId === 'dispatch') {
      const dispatched = await api.call('POST', `/tasks/${next.userTaskKey}/complete`, {
        token: operator,
        body: { data: { unitCode: clerkUnit.code, dispatchNote: '请今日内处理' } },
      });
      expect(dispatched.status, JSON.stringify(dispatched.body)).to.equal(200);
    }
    handle = await eventually(
      'the handle task',
      async () => InboxTasks.findOne({ where: { caseId: caseRow.id, elementId: 'handle', state: 'created' } }),
      20_000,
    );
    if (handle.unitId !== clerkUnit.id) {
      staff = `clerk-${handle.unitId}`;
      await Users.create({
        username: staff,
        displayName: '办事员',
        role: 'dept_staff',
        unitId: handle.unitId,
        phone: null,
        passwordHash: await hashPassword(PASSWORD),
      });
    }
    clerk = await api.login(staff);
    caseRow = (await Cases.findByPk(caseRow.id))!;
  });
  after(() => api.close());

  it("given the unit's 处置 task, when the clerk opens it, then the variables its form reads come along and nothing else of the instance", async () => {
    const seen = await api.call<TaskDetail>('GET', `/tasks/${handle.userTaskKey}`, { token: clerk });
    expect(seen.status, JSON.stringify(seen.body)).to.equal(200);
    expect(seen.body.form.id).to.equal('case-handle');
    const v = seen.body.variables;
    expect(v).to.include({ caseNo: caseRow.caseNo, description: '人行道井盖松动，踩上去晃动' });
    expect(v['unitCode'])
      .to.be.a('string')
      .and.equal((await Units.findByPk(handle.unitId!))!.code);
    expect(v['handleDueAt'], 'the form shows the handling deadline').to.be.a('string').and.not.equal('');
    // the instance holds more than the form reads (channel, the router's reasons …): not sent
    const all = await api.world.port.userTaskVariables(handle.userTaskKey);
    expect(all).to.have.property('channel');
    expect(v).to.not.have.property('channel');
    for (const name of Object.keys(v)) expect(all, name).to.have.property(name);
    expect(v).to.not.have.property('reporterPhone');
    expect(seen.body.case.reporterPhone).to.equal('138****5678');
    expect(seen.body.task.category).to.equal(caseRow.category);
  });

  it("given the reporter's phone in the instance and a form that shows it, when read, then the clerk gets it masked and the operator in full", async () => {
    await api.world.port.setVariables(handle.processInstanceKey!, { reporterPhone: '13812345678', internalNote: '只给中心看' });
    const base = (await taskForm('case-handle'))!.definition;
    const form: FormDefinition = { ...base, components: [...base.components, { type: 'text', id: 'Text_phone', text: '联系电话：{{reporterPhone}}' }] };
    const actorOf = async (username: string): Promise<Actor> => {
      const u = (await Users.findOne({ where: { username } }))!;
      return { userId: u.id, username: u.username, displayName: u.displayName, role: u.role, unitId: u.unitId };
    };
    const forClerk = await formVariables(api.world.port, await actorOf(staff), handle.userTaskKey, form);
    expect(forClerk['reporterPhone']).to.equal('138****5678');
    expect(forClerk).to.not.have.property('internalNote');
    const forOperator = await formVariables(api.world.port, await actorOf('operator'), handle.userTaskKey, form);
    expect(forOperator['reporterPhone']).to.equal('13812345678');
    // the product form does not show it: the API leaves it out for everyone
    for (const token of [clerk, operator]) {
      const res = await api.call<TaskDetail>('GET', `/tasks/${handle.userTaskKey}`, { token });
      expect(res.body.variables).to.not.have.property('reporterPhone');
      expect(res.body.variables).to.not.have.property('internalNote');
    }
  });

  it('given form-js texts and FEEL expressions, when their names are read, then keys, valuesKey and the leading names of expressions count, quoted text and functions do not', () => {
    expect(namesInExpression('if gridCode = null then "未定位 caseNo" else string(priority) + routeReason.text')).to.deep.equal([
      'gridCode',
      'priority',
      'routeReason',
    ]);
    const names = referencedNames({
      type: 'default',
      id: 'f',
      components: [
        { type: 'text', id: 'T', text: '#### {{caseNo}} {{if dispatchNote = null then "无" else dispatchNote}}' },
        { type: 'select', id: 'S', key: 'unitCode', valuesKey: 'unitOptions', label: '=labelOf' },
        { type: 'group', id: 'G', components: [{ type: 'textarea', id: 'A', key: 'handleResult', conditional: { hide: '=handleOutcome != "done"' } }] },
      ],
    } as FormDefinition);
    expect([...names].sort()).to.deep.equal(['caseNo', 'dispatchNote', 'handleOutcome', 'handleResult', 'labelOf', 'unitCode', 'unitOptions']);
  });

  it('given tasks of several categories, when the list is filtered by ?category=, then only tasks of cases of that category come back, each with its category', async () => {
    expect(caseRow.category, 'the classified case has a category').to.be.a('string');
    const mine = await api.call<{ tasks: TaskRow[]; total: number }>('GET', `/tasks?category=${encodeURIComponent(caseRow.category!)}`, { token: operator });
    expect(mine.status).to.equal(200);
    expect(mine.body.tasks.map((t) => t.userTaskKey)).to.include(handle.userTaskKey);
    expect(mine.body.tasks.every((t) => t.category === caseRow.category)).to.equal(true);
    // a case of another category, filed by the operator with its event type: its 受理 task is in that category only
    const other = (await EventTypes.findOne({ where: { category: { [Op.ne]: caseRow.category } } }))!;
    const grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
    const filed = await api.call<{ id: string }>('POST', '/cases', {
      token: operator,
      body: { description: '热线：另一类事件', gridCode: grid.code, eventTypeCode: other.code },
    });
    expect(filed.status, JSON.stringify(filed.body)).to.equal(201);
    const otherTask = await eventually(
      'a task of the other case',
      async () => InboxTasks.findOne({ where: { caseId: filed.body.id, state: 'created' } }),
      20_000,
    );
    expect((await Cases.findByPk(filed.body.id))!.category).to.equal(other.category);
    const elsewhere = await api.call<{ tasks: TaskRow[]; total: number }>('GET', `/tasks?category=${encodeURIComponent(other.category)}`, { token: operator });
    expect(elsewhere.status).to.equal(200);
    expect(elsewhere.body.tasks.map((t) => t.userTaskKey))
      .to.include(otherTask.userTaskKey)
      .and.not.include(handle.userTaskKey);
    const again = await api.call<{ tasks: TaskRow[] }>('GET', `/tasks?category=${encodeURIComponent(caseRow.category!)}`, { token: operator });
    expect(again.body.tasks.map((t) => t.userTaskKey))
      .to.include(handle.userTaskKey)
      .and.not.include(otherTask.userTaskKey);
    expect(elsewhere.body.tasks.every((t) => t.category === other.category)).to.equal(true);
    // quotes are data, not SQL
    const odd = await api.call<{ tasks: TaskRow[]; total: number }>('GET', `/tasks?category=${encodeURIComponent("x' OR '1'='1")}`, { token: operator });
    expect(odd.status).to.equal(200);
    expect(odd.body.total).to.equal(0);
    const unfiltered = await api.call<{ tasks: TaskRow[] }>('GET', '/tasks', { token: clerk });
    expect(unfiltered.body.tasks.find((t) => t.userTaskKey === handle.userTaskKey)?.category).to.equal(caseRow.category);
  });

  it('given the handle task of a case in a township, when the list is filtered by ?township=, then that township shows it and another does not; an unknown code matches nothing', async () => {
    const c = (await Cases.findByPk(caseRow.id))!;
    expect(c.townshipId, 'the case lies in a township').to.be.a('number');
    const own = (await Units.findByPk(c.townshipId!))!;
    const other = (await Units.findOne({ where: { kind: 'township', id: { [Op.ne]: own.id } } }))!;
    const inOwn = await api.call<{ tasks: TaskRow[] }>('GET', `/tasks?township=${own.code}`, { token: operator });
    expect(inOwn.body.tasks.map((t) => t.userTaskKey)).to.include(handle.userTaskKey);
    const inOther = await api.call<{ tasks: TaskRow[] }>('GET', `/tasks?township=${other.code}`, { token: operator });
    expect(inOther.body.tasks.map((t) => t.userTaskKey)).not.to.include(handle.userTaskKey);
    const unknown = await api.call<{ total: number }>('GET', '/tasks?township=T-NOPE', { token: operator });
    expect([unknown.status, unknown.body.total]).to.deep.equal([200, 0]);
    expect((await api.call('GET', `/tasks?township=${encodeURIComponent("x' OR 1=1")}`, { token: operator })).status).to.equal(400);
  });

  it('given bad or missing credentials and bad input, when the task or the list is asked for, then 401 / 404 / 400 with a code and nothing changes', async () => {
    const otherUnit = (await Units.findOne({ where: { code: 'D-ZFW' } }))!;
    const outsider = otherUnit.id === handle.unitId ? (await Units.findOne({ where: { code: 'D-CGJ' } }))! : otherUnit;
    await Users.create({
      username: 'tv-outsider',
      displayName: '他单位办事员',
      role: 'dept_staff',
      unitId: outsider.id,
      phone: null,
      passwordHash: await hashPassword(PASSWORD),
    });
    const stranger = await api.login('tv-outsider');
    const before = await snapshot();
    const anonymous = await api.call('GET', `/tasks/${handle.userTaskKey}`);
    expect(anonymous.status).to.equal(401);
    expect(JSON.stringify(anonymous.body)).to.not.contain(caseRow.caseNo);
    const hidden = await api.call('GET', `/tasks/${handle.userTaskKey}`, { token: stranger });
    expect(hidden.status).to.equal(404);
    expect(hidden.body['code']).to.equal('task_not_found');
    expect(JSON.stringify(hidden.body)).to.not.contain(caseRow.description);
    for (const query of ['category=', `category=${'类'.repeat(17)}`]) {
      const bad = await api.call('GET', `/tasks?${query}`, { token: operator });
      expect(bad.status, query).to.equal(400);
      expect(bad.body['code']).to.be.a('string');
    }
    expect(await snapshot()).to.equal(before);
  });
});
