import { expect } from 'chai';
import { completedPath, fixture, oneJob, openTestEngine, type TestEngine } from './support/harness.js';

/** Deployment versions: identical XML is not a new version; a changed one is; running instances keep theirs. */
describe('engine / deployment: versioning', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
  });
  afterEach(() => t.close());

  // the same resource name throughout, as when a modeler file is edited and redeployed
  const v1 = { name: 'jt-versioned.bpmn', xml: fixture('jt-versioned-v1.bpmn').xml };
  const v2 = { name: 'jt-versioned.bpmn', xml: fixture('jt-versioned-v2.bpmn').xml };

  it('given a deployed process, when the identical XML is deployed again, then the same definition key and version come back with isNew false', async () => {
    const [first] = await t.engine.deploy([v1]);
    expect(first).to.include({ bpmnProcessId: 'jt-versioned', version: 1, isNew: true, resourceName: 'jt-versioned.bpmn' });
    const [second] = await t.engine.deploy([v1]);
    expect(second).to.deep.equal({ ...first, isNew: false });
    expect((await t.engine.listDefinitions()).map((d) => [d.bpmnProcessId, d.version, d.processDefinitionKey])).to.deep.equal([
      ['jt-versioned', 1, first!.processDefinitionKey],
    ]);
  });

  it('given a changed XML, when it is deployed, then version 2 is created; new instances use it while a running version 1 instance keeps version 1', async () => {
    const [d1] = await t.engine.deploy([v1]);
    const old = await t.engine.createInstance({ bpmnProcessId: 'jt-versioned' });
    expect(old).to.include({ version: 1, processDefinitionKey: d1!.processDefinitionKey });

    const [d2] = await t.engine.deploy([v2]);
    expect(d2).to.include({ bpmnProcessId: 'jt-versioned', version: 2, isNew: true });
    expect(d2!.processDefinitionKey).to.not.equal(d1!.processDefinitionKey);

    const fresh = await t.engine.createInstance({ bpmnProcessId: 'jt-versioned' });
    expect(fresh).to.include({ version: 2, processDefinitionKey: d2!.processDefinitionKey });
    expect(await t.engine.getInstance(fresh.processInstanceKey)).to.include({ version: 2, processDefinitionKey: d2!.processDefinitionKey });

    const oldJob = await oneJob(t.engine, 'jt-work-v1');
    expect(oldJob).to.include({ processInstanceKey: old.processInstanceKey, processDefinitionKey: d1!.processDefinitionKey });
    await t.engine.completeJob(oldJob.key, {});
    expect((await t.engine.getInstance(old.processInstanceKey))!).to.include({ state: 'COMPLETED', version: 1 });
    expect(await completedPath(t.engine, old.processInstanceKey)).to.deep.equal(['start', 'work', 'end']);

    await t.engine.completeJob((await oneJob(t.engine, 'jt-work-v2')).key, {});
    await t.engine.completeJob((await oneJob(t.engine, 'jt-audit')).key, {});
    expect(await completedPath(t.engine, fresh.processInstanceKey)).to.deep.equal(['start', 'work', 'audit', 'end']);

    const pinned = await t.engine.createInstance({ bpmnProcessId: 'jt-versioned', version: 1 });
    expect(pinned).to.include({ version: 1, processDefinitionKey: d1!.processDefinitionKey });
    expect((await t.engine.listJobs({ processInstanceKey: pinned.processInstanceKey })).map((j) => j.type)).to.deep.equal(['jt-work-v1']);
    expect((await t.engine.listDefinitions()).map((d) => [d.bpmnProcessId, d.version])).to.deep.equal([
      ['jt-versioned', 1],
      ['jt-versioned', 2],
    ]);
  });

  it('given version 2 is the latest, when the version 1 XML is deployed again, then it becomes version 3 (only the latest version counts as a duplicate)', async () => {
    await t.engine.deploy([v1]);
    await t.engine.deploy([v2]);
    const [d3] = await t.engine.deploy([v1]);
    expect(d3).to.include({ version: 3, isNew: true });
    const next = await t.engine.createInstance({ bpmnProcessId: 'jt-versioned' });
    expect(next.version).to.equal(3);
    expect((await t.engine.listJobs({ processInstanceKey: next.processInstanceKey })).map((j) => j.type)).to.deep.equal(['jt-work-v1']);
  });

  it('given versions deployed before a restart, when the engine reopens, then the latest version is still the one new instances use', async () => {
    await t.engine.deploy([v1]);
    const [d2] = await t.engine.deploy([v2]);
    await t.restart();
    const [again] = await t.engine.deploy([v2]);
    expect(again).to.deep.equal({ ...d2, isNew: false });
    expect((await t.engine.createInstance({ bpmnProcessId: 'jt-versioned' })).version).to.equal(2);
  });
});
