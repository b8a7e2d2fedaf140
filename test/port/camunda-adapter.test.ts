import { expect } from 'chai';
import { CamundaWorkflowEngine } from '../../port/camunda/camunda-engine.js';
import type { CamundaSettings } from '../../port/camunda/config.js';
import { PortError, type EngineEvent } from '../../port/workflow-engine.js';
import { startCamundaSim, type CamundaSim } from '../support/camunda-sim/sim-server.js';
import { eventually, fixtures } from './support/targets.js';

/**
 * What only the camunda adapter does, checked against the simulation: the deploy-time rewrite reaching
 * the cluster, metadata read back from the cluster, at-least-once delivery of listener jobs, and what a
 * user-task command does while nobody handles task listener jobs.
 */
describe('camunda adapter against the simulation', function () {
  this.timeout(30_000);
  let sim: CamundaSim;
  const open: CamundaWorkflowEngine[] = [];
  const adapter = (extra: Partial<CamundaSettings> = {}) => {
    const a = new CamundaWorkflowEngine({
      restAddress: sim.url,
      authStrategy: 'NONE',
      historyListeners: true,
      longPollMs: 2_000,
      eventualWaitMs: 1_000,
      onError: () => undefined,
      ...extra,
    });
    open.push(a);
    return a;
  };

  beforeEach(async () => {
    sim = await startCamundaSim({ onError: () => undefined, taskListenerWaitMs: 300 });
  });

  afterEach(async () => {
    for (const a of open.splice(0)) await a.close();
    await sim.close();
  });

  it('given a deployment, when the cluster serves the definition back, then it has the listeners while the file on disk has none', async () => {
    const files = fixtures();
    const review = files.find((f) => f.name === 'port-review.bpmn')!;
    const before = review.content;
    const { processes } = await adapter().deploy(files);
    expect(review.content).to.equal(before);
    expect(before).to.not.contain('executionListener');
    const key = processes.find((p) => p.bpmnProcessId === 'port-review')!.processDefinitionKey;
    const served = await (await fetch(`${sim.url}/v2/process-definitions/${key}/xml`)).text();
    expect(served).to.contain('<zeebe:executionListener eventType="start" retries="3" type="ywtg-history" />');
    expect(served).to.contain('<zeebe:taskListener eventType="canceling" retries="3" type="ywtg-user-task" />');
  });

  it('given a process this adapter did not deploy, when its task events arrive, then name and form come from the definition read back from the cluster', async () => {
    await adapter().deploy(fixtures());
    const fresh = adapter();
    const events: EngineEvent[] = [];
    await fresh.subscribe('inbox', async (e) => void events.push(e));
    const { processInstanceKey } = await fresh.createInstance({ bpmnProcessId: 'port-review', variables: { caseId: 'C-9' } });
    const created = await eventually('CREATED', async () =>
      events.find((e) => e.kind === 'userTask' && e.intent === 'CREATED' && e.task.processInstanceKey === processInstanceKey),
    );
    expect(created.kind === 'userTask' && created.task).to.include({ name: 'Review case', formId: 'port-review-form' });
    const review = events.find((e) => e.kind === 'element' && e.elementId === 'Review');
    expect(review && review.kind === 'element' && review.elementType).to.equal('userTask');
    expect(sim.calls.some((c) => c.method === 'GET' && c.path.endsWith('/xml') && c.status === 200)).to.equal(true);
  });

  it('given a subscriber that fails on an event, when the listener job comes back, then the event is delivered again (at least once) and the instance goes on', async () => {
    const a = adapter();
    await a.deploy(fixtures());
    const seen: string[] = [];
    let failedOnce = false;
    await a.subscribe('audit', async (e) => {
      if (e.kind !== 'element') return;
      seen.push(`${e.elementId}:${e.intent}`);
      if (e.elementId === 'AllClear' && !failedOnce) {
        failedOnce = true;
        throw new Error('audit store unavailable');
      }
    });
    const { processInstanceKey } = await a.createInstance({ bpmnProcessId: 'port-signal' });
    await eventually('AllClear twice', async () => (seen.filter((s) => s === 'AllClear:ACTIVATED').length >= 2 ? true : null));
    await eventually('the signal to be caught', async () => {
      await a.broadcastSignal({ name: 'port-all-clear' });
      return seen.includes('port-signal:COMPLETED') ? true : null;
    });
    expect(seen.filter((s) => s === 'AllClear:ACTIVATED')).to.have.length(2);
    const history = (await sim.engine.history(processInstanceKey)).map((h) => h.intent);
    expect(history).to.include('ELEMENT_COMPLETED');
  });

  it('given nobody handles task listener jobs, when a user task is assigned, then the command does not finish (UNAVAILABLE) — listeners block on a cluster', async () => {
    const a = adapter();
    await a.deploy(fixtures());
    const { processInstanceKey } = await a.createInstance({ bpmnProcessId: 'port-review' });
    const task = await eventually('the task', async () => (await sim.engine.listUserTasks({ processInstanceKey }))[0]);
    let caught: unknown;
    try {
      await a.assignUserTask(task.userTaskKey, 'li.lei');
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(PortError);
    expect((caught as PortError).code).to.equal('UNAVAILABLE');
  });

  it("given a gateway that truncates long variable values, when a user task's variables are read, then the truncated ones are read in full one by one", async () => {
    await sim.close();
    sim = await startCamundaSim({ onError: () => undefined, taskListenerWaitMs: 300, honourTruncateValues: false, variableSizeThreshold: 100 });
    const a = adapter({ historyListeners: false });
    await a.deploy(fixtures().filter((f) => f.name === 'port-nested-task.bpmn'));
    const long = '长'.repeat(500);
    const { processInstanceKey } = await a.createInstance({
      bpmnProcessId: 'port-nested-task',
      variables: { caseNo: 'C-T1', long, list: Array.from({ length: 50 }, (_, i) => i) },
    });
    const [task] = await eventually('the user task', async () => {
      const found = await sim.engine.listUserTasks({ processInstanceKey });
      return found.length ? found : null;
    });
    const variables = await a.userTaskVariables(task!.userTaskKey);
    expect(variables).to.deep.equal({
      caseNo: 'C-T1',
      long,
      list: Array.from({ length: 50 }, (_, i) => i),
      level: 'sub-process',
      subOnly: 'C-T1/sub',
      note: 'task-local',
    });
    const fullReads = sim.calls.filter((c) => c.method === 'GET' && c.path.startsWith('/v2/variables/') && c.status === 200);
    expect(fullReads, 'one read per truncated value (long, list)').to.have.length(2);
  });

  it('given listeners switched off, when deployed, then the file reaches the cluster unchanged', async () => {
    const review = fixtures().find((f) => f.name === 'port-review.bpmn')!;
    const { processes } = await adapter({ historyListeners: false }).deploy([review]);
    const served = await (await fetch(`${sim.url}/v2/process-definitions/${processes[0]!.processDefinitionKey}/xml`)).text();
    expect(served).to.equal(review.content);
  });

  it("given a waiting user task, when the adapter migrates the instance, then the cluster's migration runs (the instance is on v2, its task keeps its key); a refused plan is INVALID_STATE and a preview UNAVAILABLE", async () => {
    const a = adapter();
    const files = fixtures();
    await a.deploy(files);
    const { processInstanceKey } = await a.createInstance({ bpmnProcessId: 'port-review', variables: { caseId: 'C-7' } });
    const task = await eventually('the review task', async () => (await sim.engine.listUserTasks({ processInstanceKey, state: 'CREATED' }))[0]);
    const review = files.find((f) => f.name === 'port-review.bpmn')!;
    const { processes } = await a.deploy([{ name: review.name, content: review.content.replace('name="Review case"', 'name="Review case (v2)"') }]);
    const target = processes[0]!.processDefinitionKey;

    const refused = await a.migrateInstance(processInstanceKey, { targetProcessDefinitionKey: target, mappingInstructions: [] }).catch((e: unknown) => e);
    expect(refused).to.be.instanceOf(PortError);
    expect((refused as PortError).code).to.equal('INVALID_STATE');
    expect((await sim.engine.getInstance(processInstanceKey))!.version).to.equal(1);
    const preview = await a.previewMigration(processInstanceKey, { targetProcessDefinitionKey: target, mappingInstructions: [] }).catch((e: unknown) => e);
    expect((preview as PortError).code).to.equal('UNAVAILABLE');

    await a.migrateInstance(processInstanceKey, {
      targetProcessDefinitionKey: target,
      mappingInstructions: [{ sourceElementId: 'Review', targetElementId: 'Review' }],
    });
    expect(sim.calls.some((c) => c.method === 'POST' && c.path === `/v2/process-instances/${processInstanceKey}/migration` && c.status === 204)).to.equal(true);
    expect(await sim.engine.getInstance(processInstanceKey)).to.include({ processDefinitionKey: target, version: 2 });
    expect((await sim.engine.listUserTasks({ processInstanceKey, state: 'CREATED' })).map((t) => t.userTaskKey)).to.deep.equal([task!.userTaskKey]);
  });

  it('given an address where no cluster answers, when the adapter opens, then it stops with UNAVAILABLE', async () => {
    let caught: unknown;
    try {
      await CamundaWorkflowEngine.open({ restAddress: 'http://127.0.0.1:9', authStrategy: 'NONE', historyListeners: true });
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(PortError);
    expect((caught as PortError).code).to.equal('UNAVAILABLE');
  });
});
