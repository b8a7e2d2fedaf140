import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { AuditRecords } from '../support/tables.js';
import { verifyAuditChain } from '../../domain/audit/index.js';
import { migrateInstance } from '../../domain/operations/index.js';
import { parseBpmn } from '../../engine/index.js';
import {
  ADAPTERS,
  at,
  completedElements,
  completeTask,
  eventually,
  instanceTree,
  iso,
  openProcessWorld,
  reload,
  reportCase,
  thrownEscalations,
  type ProcessWorld,
} from './support/process-harness.js';

const V1 = readFileSync(new URL('../../processes/case-handling.bpmn', import.meta.url), 'utf8');
/**
 * Version 2 of 处置 as an administrator would deploy it: the 督办 mark on the task becomes 红牌督办 (an element of
 * its own, `handleDueRed`) and reports to the centre through its own throw event (`superviseRed`, the same
 * `supervise` escalation for the caller). Everything else keeps its id.
 */
const V2 = V1.replace('id="handleDue" name="督办"', 'id="handleDueRed" name="红牌督办"')
  .replace('sourceRef="handleDue"', 'sourceRef="handleDueRed"')
  .replace('bpmnElement="handleDue"', 'bpmnElement="handleDueRed"')
  .replace('id="supervise" name="督办：上报中心"', 'id="superviseRed" name="红牌督办：上报中心"')
  .replace('targetRef="supervise"', 'targetRef="superviseRed"')
  .replace('sourceRef="supervise"', 'sourceRef="superviseRed"')
  .replace('bpmnElement="supervise"', 'bpmnElement="superviseRed"');
const RENAMED: Record<string, string> = { handleDue: 'handleDueRed', supervise: 'superviseRed' };

/**
 * The product's migration scenario (issue 18), on the test clock: 暴露垃圾 reported before the 2026 National Day
 * week is in 处置 at the township, due 10:30 on 8 October. On the morning it is due, the administrator deploys a
 * `case-handling` version whose 督办 mark is a new element and moves the running case to it with a reason.
 * The task, its due date and each deadline timer keep their keys and times (Camunda 8 migrates a mapped catch
 * event's subscription: nothing is re-evaluated), and when 10:30 passes it is the new version's 红牌督办 that
 * fires and hands 督办 up to the centre.
 */
for (const { adapter, name } of ADAPTERS)
  describe(`process / case-handling migrated on ${name}: a running case moves to a new 督办 mark and keeps its deadline`, function () {
    this.timeout(60_000);
    let world: ProcessWorld;
    beforeEach(async () => {
      world = await openProcessWorld(at('2026-09-30T16:00:00'), adapter);
    });
    afterEach(() => world.close());

    it('given a case in 处置 due at 10:30, when it is migrated at 09:00 to a case-handling version whose 督办 is 红牌督办, then its task and timers keep their keys and times, nothing fires early, and at 10:31 红牌督办 escalates it', async () => {
      const { caseRow, instanceKey } = await reportCase(world, { eventTypeCode: 'SJ-0101', gridCode: 'G-XP-01-01', description: '文昌社区路边有暴露垃圾' });
      const tree = () => instanceTree(world, instanceKey);
      await completeTask(world, tree, 'accept', { filed: true, eventTypeCode: 'SJ-0101' });
      await completeTask(world, tree, 'dispatch', { unitCode: 'T-XP' });
      const task = await eventually('the handle task', async () => (await world.engine.listUserTasks({ state: 'CREATED', elementId: 'handle' }))[0]);
      expect(task.dueDate).to.equal(iso('2026-10-08T10:30:00'));
      const handling = task.processInstanceKey;
      expect(handling).to.not.equal(instanceKey);
      const v1 = await world.port.getInstance(handling);
      expect(v1).to.include({ bpmnProcessId: 'case-handling', version: 1 });
      const timers = await eventually('the three deadline timers', async () => {
        const t = await world.engine.listTimers({ processInstanceKey: handling });
        return t.length === 3 ? t : null;
      });
      expect(timers.map((t) => t.elementId).sort()).to.deep.equal(['handleDue', 'handleSupervise', 'handleWarn']);
      const dueBefore = (await reload(caseRow)).handleDueAt;

      // the morning it is due: the new version is deployed and the running case moved to it
      await world.clock.set(at('2026-10-08T09:00:00'));
      const deployed = await world.port.deploy([{ name: 'case-handling.bpmn', content: V2 }]);
      const v2 = deployed.processes.find((p) => p.bpmnProcessId === 'case-handling')!;
      expect(v2.version).to.equal(2);
      const ids = Object.keys((await parseBpmn('case-handling.bpmn', V1)).processes[0]!.nodes).filter((id) => id !== 'case-handling');
      const plan = {
        targetProcessDefinitionKey: v2.processDefinitionKey,
        mappingInstructions: ids.map((id) => ({ sourceElementId: id, targetElementId: RENAMED[id] ?? id })),
      };
      const done = await migrateInstance(world.port, handling, plan, { username: 'admin', role: 'admin', reason: '督办改为红牌督办' });
      expect(done.version).to.equal(2);

      // the same task, due date and timers (keys and due times), now on version 2
      expect(await world.port.getInstance(handling)).to.include({ version: 2, processDefinitionKey: v2.processDefinitionKey });
      const [moved] = await world.engine.listUserTasks({ state: 'CREATED', elementId: 'handle' });
      expect(moved).to.deep.include({ userTaskKey: task.userTaskKey, dueDate: task.dueDate, candidateGroups: ['T-XP'] });
      const after = new Map((await world.engine.listTimers({ processInstanceKey: handling })).map((t) => [t.timerKey, t]));
      expect(after.size).to.equal(3);
      for (const before of timers) {
        expect(after.get(before.timerKey), before.elementId).to.deep.include({ dueAt: before.dueAt, elementId: RENAMED[before.elementId] ?? before.elementId });
      }
      const c = await reload(caseRow);
      expect(c.handleDueAt).to.deep.equal(dueBefore);
      expect(c.processId, 'the case runs case-generic; its called 处置 moved').to.equal('case-generic');
      const record = (await AuditRecords.findOne({ where: { action: 'ops_instance_migrated', caseId: caseRow.id } }))!;
      expect(record.actor).to.equal('admin');
      expect(record.detail).to.deep.include({ reason: '督办改为红牌督办', processInstanceKey: handling, fromVersion: 1, toVersion: 2, caseNo: caseRow.caseNo });

      // 10:29: not due yet, nothing escalated
      await world.clock.set(at('2026-10-08T10:29:00'));
      await eventually('the yellow light (80 % passed at 09:45)', async () => (await reload(caseRow)).warningLight === 'yellow');
      expect((await reload(caseRow)).escalationLevel).to.equal(0);
      expect(await thrownEscalations(world, instanceKey)).to.deep.equal([]);

      // 10:31: the new version's 红牌督办 fires at the kept due time and hands 督办 up
      await world.clock.set(at('2026-10-08T10:31:00'));
      await eventually('督办', async () => (await reload(caseRow)).escalationLevel >= 1);
      await eventually('红牌督办 reported', async () => (await completedElements(world, handling)).includes('superviseRed'));
      const path = await completedElements(world, handling);
      expect(path).to.include.members(['handleDueRed', 'superviseRed']).and.not.include.members(['handleDue', 'supervise']);
      expect(await thrownEscalations(world, instanceKey)).to.deep.equal([{ code: 'supervise', caughtBy: 'handlingSupervise' }]);
      expect((await reload(caseRow)).warningLight).to.equal('red');

      // and the case goes on on version 2: handled, then verified
      await completeTask(world, tree, 'handle', { handleOutcome: 'done', handleResult: '已清运' });
      await completeTask(world, tree, 'verify', { verified: true });
      await eventually('结案', async () => (await reload(caseRow)).status === 'closed');
      expect((await verifyAuditChain()).ok).to.equal(true);
    });
  });
