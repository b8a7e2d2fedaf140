import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import {
  bpmnError,
  complete,
  fail,
  PortError,
  type DecisionEvaluation,
  type DeployResult,
  type EngineEvent,
  type Job,
  type JobHandlerSpec,
  type RunningWorkers,
  type UserTask,
} from '../../port/workflow-engine.js';
import { eventually, fixtures, portTargets, type OpenTarget } from './support/targets.js';

/**
 * One scenario suite, run through the WorkflowEngine port on every adapter: the embedded engine, the
 * camunda adapter against the test-only simulation (listeners on and off), and a real Camunda 8.8
 * cluster when CAMUNDA_TEST_ADDRESS is set. Only what a target can show is asserted (see Capabilities).
 */

type TaskEvent = Extract<EngineEvent, { kind: 'userTask' }>;

async function rejectsWith(work: Promise<unknown>, codes: Array<PortError['code']>): Promise<PortError> {
  let caught: unknown;
  try {
    await work;
  } catch (err) {
    caught = err;
  }
  expect(caught, 'a PortError').to.be.instanceOf(PortError);
  expect(codes, (caught as Error).message).to.include((caught as PortError).code);
  return caught as PortError;
}

/** A handler that records every job it sees and answers with the next outcome in the list (the last one repeats). */
function recorder(type: string, ...outcomes: Array<(job: Job) => ReturnType<JobHandlerSpec['handler']>>) {
  const seen: Job[] = [];
  const spec: JobHandlerSpec = {
    type,
    timeoutMs: 20_000,
    handler: async (job) => {
      seen.push(job);
      return outcomes[Math.min(seen.length, outcomes.length) - 1]!(job);
    },
  };
  return {
    spec,
    seen,
    waitFor: (n: number, pik?: string) =>
      eventually(
        `${n} '${type}' job(s)`,
        async () => {
          const mine = seen.filter((j) => !pik || j.processInstanceKey === pik);
          return mine.length >= n ? mine : null;
        },
        30_000,
      ),
  };
}

for (const target of portTargets()) {
  const cap = target.capabilities;

  describe(`WorkflowEngine port: ${target.name}`, function () {
    this.timeout(60_000);
    let t: OpenTarget;
    let deployed: DeployResult;
    let workers: RunningWorkers | null = null;
    const run = Date.now().toString(36);

    const startWorkers = async (...specs: JobHandlerSpec[]) => {
      workers = await t.engine.startWorkers(specs);
    };
    const mine = (pik: string) => t.events.filter((e) => (e.kind === 'element' ? e.processInstanceKey : e.task.processInstanceKey) === pik);
    const processEnded = async (pik: string) => {
      // without element events, ask the engine behind the port (a real cluster cannot be asked: nothing to wait on)
      if (cap.elementEvents === 'workers') {
        await eventually(`process ${pik} to end`, async () => ((await t.instanceEnded(pik)) ?? true) || null, 30_000);
        return;
      }
      await t.waitForEvent(
        (e) => e.kind === 'element' && e.processInstanceKey === pik && e.elementType === 'process' && e.intent === 'COMPLETED',
        `process ${pik} to complete`,
      );
    };
    const taskEvent = (pik: string, intent: TaskEvent['intent']) =>
      t.waitForEvent(
        (e) => e.kind === 'userTask' && e.intent === intent && e.task.processInstanceKey === pik,
        `user task ${intent} in ${pik}`,
      ) as Promise<TaskEvent>;

    before(async () => {
      t = await target.open();
      deployed = await t.engine.deploy(fixtures());
    });

    afterEach(async () => {
      await workers?.close();
      workers = null;
    });

    after(async () => {
      await t?.close();
    });

    it('given BPMN files and a form, when deployed, then each process and the form come back with key, id and version, and the same files again give the same versions', async () => {
      const ids = deployed.processes.map((p) => p.bpmnProcessId).sort();
      expect(ids).to.deep.equal([
        'port-call-task',
        'port-error-boundary',
        'port-flaky',
        'port-incident',
        'port-message',
        'port-nested-task',
        'port-review',
        'port-service-chain',
        'port-shapes',
        'port-signal',
      ]);
      for (const p of deployed.processes) {
        expect(p.processDefinitionKey).to.match(/^\d+$/);
        expect(p.version).to.be.a('number').and.to.be.at.least(1);
        expect(p.resourceName).to.equal(`${p.bpmnProcessId}.bpmn`);
      }
      expect(deployed.forms).to.have.length(1);
      expect(deployed.forms[0]).to.include({ formId: 'port-review-form', resourceName: 'port-review-form.form' });
      expect(deployed.forms[0]!.formKey).to.match(/^\d+$/);

      const again = await t.engine.deploy(fixtures());
      expect(again.processes.map((p) => [p.bpmnProcessId, p.version, p.processDefinitionKey]).sort()).to.deep.equal(
        deployed.processes.map((p) => [p.bpmnProcessId, p.version, p.processDefinitionKey]).sort(),
      );
    });

    it('given a BPMN file that is not valid, when deployed, then it is rejected with DEPLOY_REJECTED', async () => {
      const broken = fixtures()
        .find((f) => f.name === 'port-flaky.bpmn')!
        .content.replace('<bpmn:endEvent id="End"', '<bpmn:endEvent id="End" bad');
      await rejectsWith(t.engine.deploy([{ name: 'broken.bpmn', content: broken }]), ['DEPLOY_REJECTED']);
      const noTarget = fixtures()
        .find((f) => f.name === 'port-flaky.bpmn')!
        .content.replace('targetRef="End"', 'targetRef="Nowhere"');
      await rejectsWith(t.engine.deploy([{ name: 'no-target.bpmn', content: noTarget }]), ['DEPLOY_REJECTED']);
    });

    it('given a worker that completes explicitly, when an instance runs, then the next job sees its variables, headers arrive and keys are decimal strings', async () => {
      const add = recorder('port-add', async (job) => complete({ sum: (job.variables['a'] as number) + (job.variables['b'] as number) }));
      const check = recorder('port-check', async () => complete({ checked: true }));
      await startWorkers(add.spec, check.spec);
      const {
        processInstanceKey: pik,
        processDefinitionKey,
        version,
      } = await t.engine.createInstance({ bpmnProcessId: 'port-service-chain', variables: { a: 2, b: 40, run } });
      expect(pik).to.match(/^\d+$/);
      expect(processDefinitionKey).to.equal(deployed.processes.find((p) => p.bpmnProcessId === 'port-service-chain')!.processDefinitionKey);
      expect(version).to.be.at.least(1);

      const [addJob] = await add.waitFor(1, pik);
      expect(addJob).to.include({
        type: 'port-add',
        bpmnProcessId: 'port-service-chain',
        elementId: 'Add',
        processInstanceKey: pik,
        processDefinitionKey,
        retries: 3,
      });
      expect(addJob!.customHeaders).to.deep.equal({ unit: 'D-CGJ' });
      for (const k of [addJob!.key, addJob!.elementInstanceKey]) expect(k).to.match(/^\d+$/);
      const [checkJob] = await check.waitFor(1, pik);
      expect(checkJob!.variables).to.include({ a: 2, b: 40, sum: 42 });
      await processEnded(pik);
      const path = await t.completedElements(pik);
      if (path) expect(path).to.deep.equal(['Start', 'Add', 'Check', 'End']);
    });

    it('given a subscriber that takes batches, when an instance runs, then it gets the same events in the same order as one that takes them singly', async () => {
      const batches: EngineEvent[][] = [];
      const batched = await t.engine.subscribeBatches(`port-batches-${run}`, async (events) => {
        batches.push(events);
      });
      try {
        const add = recorder('port-add', async (job) => complete({ sum: (job.variables['a'] as number) + (job.variables['b'] as number) }));
        const check = recorder('port-check', async () => complete({ checked: true }));
        await startWorkers(add.spec, check.spec);
        const { processInstanceKey: pik } = await t.engine.createInstance({ bpmnProcessId: 'port-service-chain', variables: { a: 1, b: 1, run } });
        await check.waitFor(1, pik);
        await processEnded(pik);
        const key = (e: EngineEvent) => JSON.stringify(e);
        const ofPik = (e: EngineEvent) => (e.kind === 'element' ? e.processInstanceKey : e.task.processInstanceKey) === pik;
        const single = await eventually('the single-event subscriber to have them all', async () => {
          const got = mine(pik);
          const inBatches = batches.flat().filter(ofPik);
          return got.length && inBatches.length === got.length ? got : null;
        });
        expect(
          batches.every((b) => b.length > 0),
          'no empty batch',
        ).to.equal(true);
        expect(batches.flat().filter(ofPik).map(key)).to.deep.equal(single.map(key));
      } finally {
        await batched.close();
      }
    });

    it('given a worker that fails once, when the job comes back, then it has one retry fewer and completing it ends the instance', async () => {
      const flaky = recorder(
        'port-flaky',
        async () => fail('directory unavailable', { retries: 2, retryBackOffMs: 100 }),
        async () => complete({ reached: true }),
      );
      await startWorkers(flaky.spec);
      const { processInstanceKey: pik } = await t.engine.createInstance({ bpmnProcessId: 'port-flaky', variables: { run } });
      const jobs = await flaky.waitFor(2, pik);
      expect(jobs.map((j) => j.retries)).to.deep.equal([3, 2]);
      expect(jobs[0]!.key).to.equal(jobs[1]!.key);
      await processEnded(pik);
      const path = await t.completedElements(pik);
      if (path) expect(path).to.deep.equal(['Start', 'Work', 'End']);
    });

    it('given a worker that throws a BPMN error, when a boundary event catches its code, then the instance leaves through the boundary', async () => {
      const risky = recorder('port-risky', async () => bpmnError('NOT_MINE', 'the case belongs to D-ZJJ', { returnedBy: 'D-CGJ' }));
      await startWorkers(risky.spec);
      const { processInstanceKey: pik } = await t.engine.createInstance({ bpmnProcessId: 'port-error-boundary', variables: { run } });
      await risky.waitFor(1, pik);
      if (cap.elementEvents !== 'workers') {
        await t.waitForEvent(
          (e) => e.kind === 'element' && e.processInstanceKey === pik && e.elementId === 'Returned' && e.intent === 'COMPLETED',
          'the Returned end event',
        );
        await processEnded(pik);
        expect(mine(pik).some((e) => e.kind === 'element' && e.elementId === 'Handled')).to.equal(false);
      }
      const path = await eventually('the instance to finish', async () => {
        const p = await t.completedElements(pik);
        return p === null || p.includes('Returned') ? (p ?? []) : null;
      });
      if (path.length) expect(path).to.deep.equal(['Start', 'NotMine', 'Returned']);
    });

    it('given gateways, a sub-process and an error end event, when an instance takes the error path, then it ends at the boundary; listener targets show only the events Zeebe allows', async () => {
      const { processInstanceKey: pik } = await t.engine.createInstance({ bpmnProcessId: 'port-shapes', variables: { invalid: true } });
      const path = await eventually('the instance to finish', async () => {
        const p = await t.completedElements(pik);
        return p === null || p.includes('RejectedEnd') ? (p ?? []) : null;
      });
      if (path.length) expect(path).to.include.members(['Start', 'Split', 'CheckStart', 'Rejected', 'RejectedEnd']);
      // without element events, ask the engine behind the port (a real cluster cannot be asked: nothing to wait on)
      if (cap.elementEvents === 'workers') {
        await eventually(`process ${pik} to end`, async () => ((await t.instanceEnded(pik)) ?? true) || null, 30_000);
        return;
      }
      await processEnded(pik);
      const seen = new Set(
        mine(pik)
          .filter((e) => e.kind === 'element')
          .map((e) => (e.kind === 'element' ? `${e.elementId}:${e.intent}` : '')),
      );
      for (const e of [
        'Split:ACTIVATED',
        'Check:ACTIVATED',
        'Valid:ACTIVATED',
        'CheckFailed:ACTIVATED',
        'Rejected:COMPLETED',
        'RejectedEnd:COMPLETED',
        'Start:COMPLETED',
      ])
        expect(seen, e).to.include(e);
      if (cap.elementEvents === 'listeners') {
        // no end listener on gateways and error end events, no start listener on start and boundary events (Zeebe 8.8)
        for (const e of ['Split:COMPLETED', 'Valid:COMPLETED', 'CheckFailed:COMPLETED', 'Start:ACTIVATED', 'Rejected:ACTIVATED'])
          expect(seen, e).to.not.include(e);
      }
    });

    it('given a message published with a TTL before its instance waits, when the instance opens the subscription, then it correlates; a duplicate message id is ALREADY_EXISTS', async () => {
      const record = recorder('port-after-message', async () => complete());
      await startWorkers(record.spec);
      const caseId = `C-${run}-1`;
      const { messageKey } = await t.engine.publishMessage({
        name: 'port-feedback',
        correlationKey: caseId,
        timeToLiveMs: 60_000,
        messageId: `fb-${run}-1`,
        variables: { rating: 5 },
      });
      expect(messageKey).to.match(/^\d+$/);
      await rejectsWith(t.engine.publishMessage({ name: 'port-feedback', correlationKey: caseId, timeToLiveMs: 60_000, messageId: `fb-${run}-1` }), [
        'ALREADY_EXISTS',
      ]);
      const { processInstanceKey: pik } = await t.engine.createInstance({ bpmnProcessId: 'port-message', variables: { caseId } });
      const [job] = await record.waitFor(1, pik);
      expect(job!.variables).to.include({ caseId, rating: 5 });
      await processEnded(pik);
    });

    it('given an instance waiting for a message, when variables are set on it and the message arrives, then the next job sees both', async () => {
      const record = recorder('port-after-message', async () => complete());
      await startWorkers(record.spec);
      const caseId = `C-${run}-2`;
      const { processInstanceKey: pik } = await t.engine.createInstance({ bpmnProcessId: 'port-message', variables: { caseId } });
      if (cap.elementEvents !== 'workers') {
        await t.waitForEvent(
          (e) => e.kind === 'element' && e.processInstanceKey === pik && e.elementId === 'WaitForFeedback' && e.intent === 'ACTIVATED',
          'the message catch event',
        );
      }
      await t.engine.setVariables(pik, { note: 'reporter called back' });
      // a TTL, because on a cluster the subscription opens asynchronously after the instance is created
      await t.engine.publishMessage({ name: 'port-feedback', correlationKey: caseId, timeToLiveMs: 30_000, variables: { rating: 4 } });
      const [job] = await record.waitFor(1, pik);
      expect(job!.variables).to.include({ caseId, rating: 4, note: 'reporter called back' });
      await processEnded(pik);
    });

    it('given an instance waiting for a signal, when the signal is broadcast, then it moves on', async () => {
      const { processInstanceKey: pik } = await t.engine.createInstance({ bpmnProcessId: 'port-signal', variables: { run } });
      if (cap.elementEvents !== 'workers') {
        await t.waitForEvent(
          (e) => e.kind === 'element' && e.processInstanceKey === pik && e.elementId === 'AllClear' && e.intent === 'ACTIVATED',
          'the signal catch event',
        );
      }
      // a signal has no TTL: broadcast until the instance has moved (on a cluster the subscription opens asynchronously)
      await eventually('the signal to be caught', async () => {
        await t.engine.broadcastSignal({ name: 'port-all-clear', variables: { clearedBy: run } });
        if (cap.elementEvents !== 'workers') return mine(pik).some((e) => e.kind === 'element' && e.elementId === 'End') ? true : null;
        const path = await t.completedElements(pik);
        return path === null || path.includes('End') ? true : null;
      });
      await processEnded(pik);
    });

    it('given a user task, when it is created, assigned, updated and completed with variables, then the task events arrive in order with the task data and the next job sees the variables', async () => {
      const archive = recorder('port-after-review', async () => complete());
      await startWorkers(archive.spec);
      const { processInstanceKey: pik } = await t.engine.createInstance({ bpmnProcessId: 'port-review', variables: { caseId: `C-${run}-3` } });

      const created = await taskEvent(pik, 'CREATED');
      const task: UserTask = created.task;
      expect(task.userTaskKey).to.match(/^\d+$/);
      expect(task).to.include({
        state: 'CREATED',
        bpmnProcessId: 'port-review',
        elementId: 'Review',
        name: 'Review case',
        formId: 'port-review-form',
        priority: 60,
        assignee: null,
      });
      expect(task.candidateGroups).to.deep.equal(['unit-a']);
      expect(task.elementInstanceKey).to.match(/^\d+$/);

      await t.engine.assignUserTask(task.userTaskKey, 'li.lei');
      expect((await taskEvent(pik, 'ASSIGNED')).task.assignee).to.equal('li.lei');

      await t.engine.updateUserTask(task.userTaskKey, { dueDate: '2026-12-01T08:00:00.000Z', priority: 80 });
      const updated = await taskEvent(pik, 'UPDATED');
      expect(updated.task.dueDate).to.equal('2026-12-01T08:00:00.000Z');
      expect(updated.task.priority).to.equal(80);

      await t.engine.completeUserTask(task.userTaskKey, { approved: true, comment: '处置到位' });
      const completed = await taskEvent(pik, 'COMPLETED');
      expect(completed.task).to.include({ userTaskKey: task.userTaskKey, state: 'COMPLETED', assignee: 'li.lei' });

      const [job] = await archive.waitFor(1, pik);
      expect(job!.variables).to.include({ approved: true, comment: '处置到位' });
      await processEnded(pik);

      const order = mine(pik).map((e) => (e.kind === 'userTask' ? `task:${e.intent}` : `${e.elementId}:${e.intent}`));
      const expected = {
        // Zeebe runs the element's start listener before it creates the task
        listeners: [
          'port-review:ACTIVATED',
          'Review:ACTIVATED',
          'task:CREATED',
          'task:ASSIGNED',
          'task:UPDATED',
          'task:COMPLETED',
          'Review:COMPLETED',
          'Archive:ACTIVATED',
          'Archive:COMPLETED',
          'End:ACTIVATED',
          'End:COMPLETED',
          'port-review:COMPLETED',
        ],
        // the embedded engine records the task's creation just before the element's activation (same transaction)
        history: [
          'port-review:ACTIVATED',
          'task:CREATED',
          'Review:ACTIVATED',
          'task:ASSIGNED',
          'task:UPDATED',
          'task:COMPLETED',
          'Review:COMPLETED',
          'Archive:ACTIVATED',
          'Archive:COMPLETED',
          'End:ACTIVATED',
          'End:COMPLETED',
          'port-review:COMPLETED',
        ],
        workers: ['task:CREATED', 'task:ASSIGNED', 'task:UPDATED', 'task:COMPLETED'],
      }[cap.elementEvents];
      expect(order.filter((o) => expected.includes(o))).to.deep.equal(expected);

      // a finished task takes no more commands
      await rejectsWith(t.engine.completeUserTask(task.userTaskKey, {}), cap.eventualReads ? ['INVALID_STATE', 'NOT_FOUND'] : ['INVALID_STATE']);
    });

    it('given an instance with an open user task, when the instance is cancelled, then the task is CANCELED and the instance takes no more commands', async () => {
      const { processInstanceKey: pik } = await t.engine.createInstance({ bpmnProcessId: 'port-review', variables: { caseId: `C-${run}-4` } });
      const created = await taskEvent(pik, 'CREATED');
      await t.engine.cancelInstance(pik);
      const canceled = await taskEvent(pik, 'CANCELED');
      expect(canceled.task).to.include({ userTaskKey: created.task.userTaskKey, state: 'CANCELED' });
      if (cap.elementEvents === 'history') {
        await t.waitForEvent(
          (e) => e.kind === 'element' && e.processInstanceKey === pik && e.elementType === 'process' && e.intent === 'TERMINATED',
          'process TERMINATED',
        );
      }
      const codes: Array<PortError['code']> = cap.eventualReads ? ['INVALID_STATE', 'NOT_FOUND'] : ['INVALID_STATE'];
      await rejectsWith(t.engine.cancelInstance(pik), codes);
      await rejectsWith(t.engine.assignUserTask(created.task.userTaskKey, 'li.lei'), codes);
    });

    it('given a job that runs out of retries, when its incident is resolved through the port, then the job runs again and the instance completes', async () => {
      const broken = recorder(
        'port-broken',
        async () => fail('registry down', { retries: 0 }),
        async () => complete({ repaired: true }),
      );
      await startWorkers(broken.spec);
      const { processInstanceKey: pik } = await t.engine.createInstance({ bpmnProcessId: 'port-incident', variables: { run } });
      await broken.waitFor(1, pik);
      const incidentKey = await t.findIncident(pik);
      expect(incidentKey).to.match(/^\d+$/);
      if (cap.elementEvents === 'history') {
        const e = await t.waitForEvent((x) => x.kind === 'element' && x.processInstanceKey === pik && x.intent === 'INCIDENT_CREATED', 'INCIDENT_CREATED');
        expect((e as Extract<EngineEvent, { kind: 'element' }>).detail).to.include({ incidentKey });
      }
      await t.engine.resolveIncident(incidentKey);
      const jobs = await broken.waitFor(2, pik);
      expect(jobs[1]!.retries).to.equal(1);
      await processEnded(pik);
      await rejectsWith(t.engine.resolveIncident(incidentKey), cap.eventualReads ? ['INVALID_STATE', 'NOT_FOUND'] : ['INVALID_STATE']);
    });

    it("given a user task inside a sub-process, when its variables are read, then it sees the instance's variables and the inner scopes win", async () => {
      const caseNo = `C-${run}-5`;
      const { processInstanceKey: pik } = await t.engine.createInstance({
        bpmnProcessId: 'port-nested-task',
        variables: { caseNo, level: 'process', note: 'process', big: 'x'.repeat(10_000) },
      });
      const { task } = await taskEvent(pik, 'CREATED');
      // a cluster exports the task before or after its variables: read until the innermost one is there
      const seen = await eventually('the task variables', async () => {
        const v = await t.engine.userTaskVariables(task.userTaskKey);
        return v['note'] === 'task-local' && v['level'] === 'sub-process' ? v : null;
      });
      expect(seen).to.deep.equal({ caseNo, level: 'sub-process', note: 'task-local', subOnly: `${caseNo}/sub`, big: 'x'.repeat(10_000) });
      await t.engine.completeUserTask(task.userTaskKey, {});
      await processEnded(pik);
    });

    it("given a user task in a called process, when its variables are read, then it sees what the parent passed down, the call's own input over the parent's", async () => {
      const caseNo = `C-${run}-6`;
      const { processInstanceKey: parent } = await t.engine.createInstance({
        bpmnProcessId: 'port-call-task',
        variables: { caseNo, level: 'process', via: 'parent' },
      });
      // the called instance's key is not known here: its task is the nested-process task that sees this case
      const { key, seen } = await eventually(
        "the called process's task and its variables",
        async () => {
          for (const e of t.events) {
            if (e.kind !== 'userTask' || e.intent !== 'CREATED' || e.task.bpmnProcessId !== 'port-nested-task') continue;
            const v = await t.engine.userTaskVariables(e.task.userTaskKey);
            if (v['caseNo'] === caseNo && v['note'] === 'task-local') return { key: e.task.userTaskKey, seen: v };
          }
          return null;
        },
        30_000,
      );
      expect(seen).to.deep.equal({ caseNo, level: 'sub-process', via: 'call', note: 'task-local', subOnly: `${caseNo}/sub` });
      await t.engine.completeUserTask(key, {});
      await processEnded(parent);
    });

    it('given a business-rule task calling a DMN decision, when an instance runs, then a DECISION_EVALUATED event names the decision, its inputs, the matched rules and the result before the task completes', async function () {
      // with listeners off the cluster tells us only what our own workers did: no element events at all
      if (cap.elementEvents === 'workers') this.skip();
      const dir = new URL('../port/dmn/', import.meta.url);
      const files = ['port-priority.dmn', 'port-priority.bpmn'].map((name) => ({ name, content: readFileSync(new URL(name, dir), 'utf8') }));
      await t.engine.deploy(files);
      const use = recorder('port-use-priority', async () => complete());
      await startWorkers(use.spec);
      const { processInstanceKey: pik } = await t.engine.createInstance({ bpmnProcessId: 'port-priority', variables: { category: '市容', reports: 4, run } });
      const [job] = await use.waitFor(1, pik);
      expect(job!.variables['priority']).to.equal(70);

      const evaluated = await t.waitForEvent(
        (e) => e.kind === 'element' && e.processInstanceKey === pik && e.intent === 'DECISION_EVALUATED',
        `the decision evaluated in ${pik}`,
      );
      if (evaluated.kind !== 'element') throw new Error('not an element event');
      expect(evaluated.elementId).to.equal('Decide');
      expect(evaluated.elementType).to.equal('businessRuleTask');
      const d = evaluated.detail as unknown as DecisionEvaluation;
      expect(d).to.include({ decisionId: 'port-priority', decisionName: 'Case priority', resultVariable: 'priority', result: 70 });
      expect(d.decisionVersion).to.be.at.least(1);
      expect(d.evaluatedDecisions.map((x) => x.decisionId)).to.deep.equal(['port-urgent', 'port-priority']);
      const table = d.evaluatedDecisions[1]!;
      expect(table.inputs.map((i) => [i.inputName, i.value])).to.deep.equal([
        ['Category', '市容'],
        ['Urgent', true],
      ]);
      // FIRST: the urgent rule (the second) wins over the catch-all
      expect(table.matchedRules).to.deep.equal([{ ruleId: 'rule_urgent', ruleIndex: 2, outputs: { priority: 70 } }]);
      expect(d.evaluatedDecisions[0]!.result).to.equal(true);

      const completed = await t.waitForEvent(
        (e) => e.kind === 'element' && e.processInstanceKey === pik && e.elementId === 'Decide' && e.intent === 'COMPLETED',
        'the business-rule task completed',
      );
      expect(mine(pik).indexOf(evaluated)).to.be.lessThan(mine(pik).indexOf(completed));
      await processEnded(pik);
    });

    it('given requests the engine cannot serve, when made, then they fail with the same port error codes', async () => {
      await rejectsWith(t.engine.createInstance({ bpmnProcessId: `no-such-process-${run}` }), ['NOT_FOUND']);
      await rejectsWith(t.engine.assignUserTask('2251799813999999', 'li.lei'), ['NOT_FOUND']);
      await rejectsWith(t.engine.completeUserTask('2251799813999999', {}), ['NOT_FOUND']);
      await rejectsWith(t.engine.userTaskVariables('2251799813999999'), ['NOT_FOUND']);
      await rejectsWith(t.engine.resolveIncident('2251799813999998'), ['NOT_FOUND']);
      await rejectsWith(t.engine.publishMessage({ name: '', correlationKey: 'x' }), ['INVALID_ARGUMENT']);
    });
  });
}
