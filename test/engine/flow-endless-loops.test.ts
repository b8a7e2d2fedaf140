import { expect } from 'chai';
import { openTestEngine, refusal, type TestEngine } from './support/harness.js';
import { link, process, straight } from './support/bpmn-xml.js';

/**
 * Loops without a wait state (issue 15). Zeebe runs such a loop batch after batch, bounding the work of each
 * command batch; here a command runs to its next wait state in one transaction, so it is bounded instead by the
 * element activations one command may make (`maxActivationsPerCommand`): beyond that it is refused whole with
 * EngineError('INVALID_STATE'), quickly, and the engine takes the next command as before.
 */

/** start → merge (exclusive, two ways in) → fork (parallel, both ways back to merge): the tokens double each round. */
const forkLoop = {
  name: 'loop-fork.bpmn',
  xml: process(
    'loop-fork',
    [
      link('<bpmn:startEvent id="start" />', [], ['f_start']),
      link('<bpmn:exclusiveGateway id="merge" />', ['f_start', 'back_a', 'back_b'], ['f_merge']),
      link('<bpmn:parallelGateway id="fork" />', ['f_merge'], ['back_a', 'back_b']),
      '<bpmn:sequenceFlow id="f_start" sourceRef="start" targetRef="merge" />',
      '<bpmn:sequenceFlow id="f_merge" sourceRef="merge" targetRef="fork" />',
      '<bpmn:sequenceFlow id="back_a" sourceRef="fork" targetRef="merge" />',
      '<bpmn:sequenceFlow id="back_b" sourceRef="fork" targetRef="merge" />',
    ].join(''),
  ),
};

/** a process that calls itself twice in parallel: the called instances double at every level */
const fanOut = {
  name: 'loop-fan-out.bpmn',
  xml: process(
    'loop-fan-out',
    [
      link('<bpmn:startEvent id="start" />', [], ['f_start']),
      link('<bpmn:parallelGateway id="fork" />', ['f_start'], ['f_a', 'f_b']),
      link(
        '<bpmn:callActivity id="a"><bpmn:extensionElements><zeebe:calledElement processId="loop-fan-out" /></bpmn:extensionElements></bpmn:callActivity>',
        ['f_a'],
        ['f_a_end'],
      ),
      link(
        '<bpmn:callActivity id="b"><bpmn:extensionElements><zeebe:calledElement processId="loop-fan-out" /></bpmn:extensionElements></bpmn:callActivity>',
        ['f_b'],
        ['f_b_end'],
      ),
      link('<bpmn:endEvent id="end_a" />', ['f_a_end'], []),
      link('<bpmn:endEvent id="end_b" />', ['f_b_end'], []),
      '<bpmn:sequenceFlow id="f_start" sourceRef="start" targetRef="fork" />',
      '<bpmn:sequenceFlow id="f_a" sourceRef="fork" targetRef="a" />',
      '<bpmn:sequenceFlow id="f_b" sourceRef="fork" targetRef="b" />',
      '<bpmn:sequenceFlow id="f_a_end" sourceRef="a" targetRef="end_a" />',
      '<bpmn:sequenceFlow id="f_b_end" sourceRef="b" targetRef="end_b" />',
    ].join(''),
  ),
};

const plain = { name: 'loop-plain.bpmn', xml: straight('loop-plain', ['<bpmn:manualTask id="work" />']) };

describe('engine / loops without a wait state: bounded per command', function () {
  this.timeout(120_000);
  let t: TestEngine;
  afterEach(() => t.close());

  it('given a cycle of gateways that forks without end, when an instance is created, then createInstance is refused with INVALID_STATE within seconds, nothing of it is kept and the engine runs the next instance', async () => {
    t = await openTestEngine();
    await t.engine.deploy([forkLoop, plain]);
    const started = Date.now();
    const err = await refusal(t.engine.createInstance({ bpmnProcessId: 'loop-fork' }));
    const took = Date.now() - started;
    expect(err.code).to.equal('INVALID_STATE');
    expect(err.message).to.match(/activated more than 10000 elements without one/);
    expect(err.details).to.include({ maxActivationsPerCommand: 10_000 });
    // before the bound the command ran until its reserved keys ran out: minutes on a loaded machine
    expect(took, `refused after ${took} ms`).to.be.lessThan(30_000);
    expect(await t.engine.listInstances({ bpmnProcessId: 'loop-fork', limit: 10 })).to.deep.equal([]);
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'loop-plain' });
    expect((await t.engine.getInstance(processInstanceKey))?.state).to.equal('COMPLETED');
  });

  it('given a process that calls itself twice in parallel, when an instance is created, then the bound refuses it long before the depth limit, nothing kept', async () => {
    t = await openTestEngine();
    await t.engine.deploy([fanOut]);
    const err = await refusal(t.engine.createInstance({ bpmnProcessId: 'loop-fan-out' }));
    expect(err.code).to.equal('INVALID_STATE');
    expect(await t.engine.listInstances({ bpmnProcessId: 'loop-fan-out', limit: 10 })).to.deep.equal([]);
  });

  it('given a lower bound, when a process makes more activations than it in one command, then it is refused; a process within it runs', async () => {
    t = await openTestEngine(undefined, { maxActivationsPerCommand: 2 });
    await t.engine.deploy([plain]);
    // start, work, end: three activations of elements (the process instance itself is created, not queued)
    const err = await refusal(t.engine.createInstance({ bpmnProcessId: 'loop-plain' }));
    expect(err.message).to.contain("last 'end'");
    await t.close();
    t = await openTestEngine(undefined, { maxActivationsPerCommand: 3 });
    await t.engine.deploy([plain]);
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'loop-plain' });
    expect((await t.engine.getInstance(processInstanceKey))?.state).to.equal('COMPLETED');
  });
});
