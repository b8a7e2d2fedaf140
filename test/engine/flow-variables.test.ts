import { expect } from 'chai';
import { activeElements, completedPath, deploy, oneJob, openTestEngine, type TestEngine } from './support/harness.js';

async function elementKey(t: TestEngine, processInstanceKey: string, elementId: string): Promise<string> {
  const found = (await t.engine.listElementInstances(processInstanceKey)).filter((e) => e.elementId === elementId);
  if (found.length !== 1) throw new Error(`expected one active '${elementId}', found ${found.length}`);
  return found[0]!.elementInstanceKey;
}

describe('engine / variables: propagation, output mappings, setVariables, script tasks', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
  });
  afterEach(() => t.close());

  describe('job completion variables', () => {
    beforeEach(() => deploy(t.engine, 'fl-var-propagation.bpmn', 'fl-var-output-mapping.bpmn'));

    it('given a sub-process local variable, when a job inside completes with it and a new one, then the local is updated in place and the new one is created at the process', async () => {
      const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-var-propagation', variables: { caseId: 'c-1' } });
      const subKey = await elementKey(t, processInstanceKey, 'inspection');
      expect(await t.engine.getVariables(subKey)).to.deep.equal({ attempts: 0 });

      const job = await oneJob(t.engine, 'inspect');
      expect(job.variables).to.deep.equal({ caseId: 'c-1', attempts: 0, role: 'inspector' });
      await t.engine.completeJob(job.key, { attempts: 1, finding: 'ok' });

      expect(await t.engine.getVariables(subKey)).to.deep.equal({ attempts: 1 });
      expect(await t.engine.getVariables(processInstanceKey)).to.deep.equal({ caseId: 'c-1', finding: 'ok' });
      const confirm = await oneJob(t.engine, 'confirm');
      expect(confirm.variables).to.deep.equal({ caseId: 'c-1', attempts: 1, finding: 'ok' });
      await t.engine.completeJob(confirm.key);

      // the sub-process completed without output mappings: its local variables are gone with it
      expect(await activeElements(t.engine, processInstanceKey)).to.deep.equal(['archive']);
      const archive = await oneJob(t.engine, 'archive');
      expect(archive.variables).to.deep.equal({ caseId: 'c-1', finding: 'ok' });
      expect(await t.engine.getVariables(processInstanceKey)).to.deep.equal({ caseId: 'c-1', finding: 'ok' });
    });

    it('given a variable that only the task itself has (from its input mapping), when the job completes with it, then the task-local copy is updated and it does not reach the process', async () => {
      const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-var-propagation', variables: { caseId: 'c-1' } });
      const taskKey = await elementKey(t, processInstanceKey, 'inspect');
      expect(await t.engine.getVariables(taskKey)).to.deep.equal({ role: 'inspector' });
      const job = await oneJob(t.engine, 'inspect');
      await t.engine.completeJob(job.key, { role: 'senior inspector', finding: 'ok' });
      expect(await t.engine.getVariables(processInstanceKey)).to.deep.equal({ caseId: 'c-1', finding: 'ok' });
      const confirm = await oneJob(t.engine, 'confirm');
      expect(confirm.variables).to.not.have.property('role');
    });

    it('given a variable that exists at the process, when a job in the sub-process completes with it, then the process variable is updated', async () => {
      const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-var-propagation', variables: { caseId: 'c-1', finding: 'none' } });
      const job = await oneJob(t.engine, 'inspect');
      await t.engine.completeJob(job.key, { finding: 'crack' });
      expect(await t.engine.getVariables(processInstanceKey)).to.deep.equal({ caseId: 'c-1', finding: 'crack' });
    });

    it('given output mappings on the task, when the job completes, then only the mapped variables reach the process', async () => {
      const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-var-output-mapping', variables: { caseId: 'c-2' } });
      const job = await oneJob(t.engine, 'assess');
      await t.engine.completeJob(job.key, { score: 70, debug: 'trace' });

      expect(await t.engine.getVariables(processInstanceKey)).to.deep.equal({ caseId: 'c-2', riskScore: 70, highRisk: true });
      const next = await oneJob(t.engine, 'act-on-risk');
      expect(next.variables).to.deep.equal({ caseId: 'c-2', riskScore: 70, highRisk: true });
    });
  });

  describe('setVariables', () => {
    beforeEach(() => deploy(t.engine, 'fl-var-set-variables.bpmn'));

    it('given a sub-process scope, when variables are set on it without local, then an existing local is updated there and a new one is created at the process', async () => {
      const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-var-set-variables', variables: { caseId: 'c-1' } });
      const subKey = await elementKey(t, processInstanceKey, 'handling');
      await t.engine.setVariables(subKey, { subState: 'paused', note: 'call back' });

      expect(await t.engine.getVariables(subKey)).to.deep.equal({ subState: 'paused' });
      expect(await t.engine.getVariables(processInstanceKey)).to.deep.equal({ caseId: 'c-1', note: 'call back' });
    });

    it('given a sub-process scope, when variables are set on it as local, then they stay in that scope and vanish with it', async () => {
      const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-var-set-variables', variables: { caseId: 'c-1' } });
      const subKey = await elementKey(t, processInstanceKey, 'handling');
      await t.engine.setVariables(subKey, { flag: true, caseId: 'shadow' }, { local: true });

      expect(await t.engine.getVariables(subKey)).to.deep.equal({ subState: 'open', flag: true, caseId: 'shadow' });
      expect(await t.engine.getVariables(processInstanceKey)).to.deep.equal({ caseId: 'c-1' });
      const work = await oneJob(t.engine, 'sv-work');
      expect(work.variables).to.deep.equal({ caseId: 'shadow', subState: 'open', flag: true });
      await t.engine.completeJob(work.key);

      const after = await oneJob(t.engine, 'sv-after');
      expect(after.variables).to.deep.equal({ caseId: 'c-1' });
    });

    it('given the process instance key, when variables are set, then they are created or updated at the process scope', async () => {
      const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-var-set-variables', variables: { caseId: 'c-1' } });
      await t.engine.setVariables(processInstanceKey, { caseId: 'c-2', extra: [1, 2] });
      expect(await t.engine.getVariables(processInstanceKey)).to.deep.equal({ caseId: 'c-2', extra: [1, 2] });
      const work = await oneJob(t.engine, 'sv-work');
      expect(work.variables).to.deep.equal({ caseId: 'c-2', extra: [1, 2], subState: 'open' });
    });
  });

  describe('script task', () => {
    beforeEach(() => deploy(t.engine, 'fl-script.bpmn'));

    it('given a FEEL script with a result variable, when the task is reached, then the result is stored and the task completes without a job', async () => {
      const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-script', variables: { price: 5, quantity: 3, lines: ['x', 'y'] } });
      expect(await completedPath(t.engine, processInstanceKey)).to.deep.equal(['start', 'compute_total', 'summarize']);
      expect((await t.engine.listJobs({ processInstanceKey })).map((j) => j.type)).to.deep.equal(['check-total']);
      expect(await t.engine.getVariables(processInstanceKey)).to.deep.equal({
        price: 5,
        quantity: 3,
        lines: ['x', 'y'],
        total: 15,
        summary: { lines: 2, total: 15, label: 'total 15' },
      });
    });

    it('given the script refers to a missing variable, when the task is reached, then the result is null and the instance goes on (Camunda 8.8: "if something goes wrong, return null")', async () => {
      const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-script', variables: { price: 5, lines: [] } });
      expect(await t.engine.listIncidents({ processInstanceKey })).to.deep.equal([]);
      expect(await completedPath(t.engine, processInstanceKey)).to.deep.equal(['start', 'compute_total', 'summarize']);
      const check = await oneJob(t.engine, 'check-total');
      expect(check.variables).to.include({ total: null });
    });

    it('given the script asserts a missing variable, when the task is reached, then an incident carries the assertion; after setting it and resolving, the instance continues', async () => {
      await deploy(t.engine, 'fl-script-assert.bpmn');
      const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-script-assert', variables: { price: 5, lines: [] } });
      const incidents = await t.engine.listIncidents({ processInstanceKey });
      expect(incidents).to.have.length(1);
      expect(incidents[0]!).to.include({ errorType: 'EXTRACT_VALUE_ERROR', elementId: 'compute_total', state: 'ACTIVE' });
      expect(incidents[0]!.errorMessage).to.contain('quantity is required');
      expect(await t.engine.getVariables(processInstanceKey)).to.deep.equal({ price: 5, lines: [] });
      expect(await activeElements(t.engine, processInstanceKey)).to.deep.equal(['compute_total']);

      await t.engine.setVariables(processInstanceKey, { quantity: 4 });
      await t.engine.resolveIncident(incidents[0]!.incidentKey);

      expect((await t.engine.listIncidents({ processInstanceKey })).map((i) => i.state)).to.deep.equal(['RESOLVED']);
      expect(await completedPath(t.engine, processInstanceKey)).to.deep.equal(['start', 'compute_total', 'summarize']);
      const check = await oneJob(t.engine, 'check-total');
      expect(check.variables).to.include({ total: 20 });
      expect(check.variables['summary']).to.deep.equal({ lines: 0, total: 20, label: 'total 20' });
      await t.engine.completeJob(check.key);
      expect((await t.engine.getInstance(processInstanceKey))!.state).to.equal('COMPLETED');
    });

    it('given an incident that is resolved without fixing the cause, then a new incident is raised and the instance stays put', async () => {
      await deploy(t.engine, 'fl-script-assert.bpmn');
      const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'fl-script-assert', variables: { price: 5, lines: [] } });
      const [first] = await t.engine.listIncidents({ processInstanceKey });
      await t.engine.resolveIncident(first!.incidentKey);
      const all = await t.engine.listIncidents({ processInstanceKey });
      expect(all.map((i) => [i.state, i.errorType])).to.deep.equal([
        ['RESOLVED', 'EXTRACT_VALUE_ERROR'],
        ['ACTIVE', 'EXTRACT_VALUE_ERROR'],
      ]);
      expect(await activeElements(t.engine, processInstanceKey)).to.deep.equal(['compute_total']);
    });
  });
});
