import { expect } from 'chai';
import { CaseInstances, InboxTasks, query } from '../support/tables.js';
import { applyEngineEvent } from '../../domain/inbox/sync.js';
import type { EngineEvent, UserTask } from '../../port/workflow-engine.js';
import { createCase, demoDatabase, type Db } from '../support/case-fixtures.js';

/** The inbox sync maps a called instance (case-handling under a category process) to its case. */
describe('inbox sync: called instances find their case', function () {
  this.timeout(60_000);
  let db: Db;
  before(async () => {
    db = await demoDatabase();
  });
  after(() => db.close());

  type ElementEvent = Extract<EngineEvent, { kind: 'element' }>;
  const rootActivated = (processInstanceKey: string, detail: Record<string, unknown> | null): ElementEvent => ({
    kind: 'element',
    intent: 'ACTIVATED',
    processInstanceKey,
    bpmnProcessId: 'case-handling',
    elementId: 'case-handling',
    elementInstanceKey: processInstanceKey,
    elementType: 'process',
    at: new Date().toISOString(),
    detail,
  });
  const taskCreated = (processInstanceKey: string, userTaskKey: string): EngineEvent => {
    const task: UserTask = {
      userTaskKey,
      state: 'CREATED',
      processInstanceKey,
      bpmnProcessId: 'case-handling',
      elementId: 'handle',
      elementInstanceKey: `${userTaskKey}1`,
      name: '处置',
      assignee: null,
      candidateGroups: [],
      candidateUsers: [],
      dueDate: null,
      followUpDate: null,
      formId: 'case-handle',
      priority: 50,
    };
    return { kind: 'userTask', intent: 'CREATED', task, at: new Date().toISOString() };
  };

  const cases = [
    { adapter: 'embedded (names the parent instance)', detail: (parentKey: string) => ({ parentInstanceKey: parentKey }) },
    { adapter: 'Camunda (listener job carries the caseId variable)', detail: (_parentKey: string, caseId: string) => ({ caseId }) },
  ];
  cases.forEach(({ adapter, detail }, i) => {
    it(`given a called instance from the ${adapter}, when its root activates and then a task is created, then both belong to the case`, async () => {
      const parentKey = `22517998136${i}00001`;
      const childKey = `22517998136${i}00002`;
      const c = await createCase({ fields: { processInstanceKey: parentKey } });
      await applyEngineEvent(rootActivated(childKey, detail(parentKey, c.id)));
      await applyEngineEvent(taskCreated(childKey, `22517998136${i}00003`));
      expect((await CaseInstances.findByPk(childKey))?.caseId).to.equal(c.id);
      expect((await InboxTasks.findOne({ where: { userTaskKey: `22517998136${i}00003` } }))?.caseId).to.equal(c.id);
    });
  });

  it("given the root of the case's own instance, when it activates with its caseId, then no extra mapping is written (the case row already names it)", async () => {
    const ownKey = '2251799813690001';
    const c = await createCase({ fields: { processInstanceKey: ownKey } });
    await applyEngineEvent({ ...rootActivated(ownKey, { caseId: c.id }), bpmnProcessId: 'case-generic', elementId: 'case-generic' });
    expect(await CaseInstances.findByPk(ownKey)).to.equal(null);
  });

  it("given a task of a case's instance, when created and delivered again, then its row carries the case's created_at and the defaults, and the repeat writes nothing", async () => {
    const created = new Date('2026-03-04T05:06:07.000Z'); // whole seconds: MariaDB keeps cases.created_at to the second;
    const c = await createCase({ fields: { processInstanceKey: '2251799813690201' }, createdAt: created });
    const event = taskCreated('2251799813690201', '2251799813690203');
    await applyEngineEvent(event);
    const row = (await InboxTasks.findOne({ where: { userTaskKey: '2251799813690203' } }))!;
    expect(row.caseId).to.equal(c.id);
    expect(row.caseCreatedAt?.toISOString()).to.equal(created.toISOString());
    expect([row.state, row.warningLight, row.priority, row.candidateGroups]).to.deep.equal(['created', 'green', 50, []]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await applyEngineEvent(event);
    expect((await InboxTasks.reload(row)).updatedAt.toISOString()).to.equal(row.updatedAt.toISOString());
  });

  it("given a stored task whose case copy is missing, when the engine updates it, then the change and the case's created_at are written", async () => {
    const created = new Date('2026-03-05T01:02:03.000Z');
    const c = await createCase({ fields: { processInstanceKey: '2251799813690301' }, createdAt: created });
    await applyEngineEvent(taskCreated('2251799813690301', '2251799813690303'));
    await query("UPDATE inbox_tasks SET case_created_at = NULL WHERE user_task_key = '2251799813690303'");
    const assigned = taskCreated('2251799813690301', '2251799813690303') as Extract<EngineEvent, { kind: 'userTask' }>;
    await applyEngineEvent({ ...assigned, intent: 'ASSIGNED', task: { ...assigned.task, assignee: 'clerk' } });
    const row = (await InboxTasks.findOne({ where: { userTaskKey: '2251799813690303' } }))!;
    expect([row.caseId, row.assignee, row.caseCreatedAt?.toISOString()]).to.deep.equal([c.id, 'clerk', created.toISOString()]);
  });

  it('given an element event that is not a process root, when applied, then nothing is mapped', async () => {
    const c = await createCase({ fields: { processInstanceKey: '2251799813690101' } });
    await applyEngineEvent({ ...rootActivated('2251799813690102', { caseId: c.id }), elementType: 'userTask', elementId: 'handle' });
    expect(await CaseInstances.findByPk('2251799813690102')).to.equal(null);
  });
});
