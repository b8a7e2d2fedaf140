import { expect } from 'chai';
import {
  activeElements,
  completedPath,
  DAY,
  deploy,
  HOUR,
  jobsOf,
  oneJob,
  openTask,
  openTestEngine,
  terminated,
  refusal,
  type TestEngine,
} from './support/harness.js';

/** cancelInstance: jobs, user tasks, timers and element instances all end; finished instances cannot be cancelled. */
describe('engine / cancelling a process instance', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
    await deploy(t.engine, 'jt-cancel.bpmn');
  });
  afterEach(() => t.close());

  it('given an instance waiting at a job, a user task with a boundary timer and a timer event, when it is cancelled, then everything is terminated', async () => {
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'jt-cancel', variables: { caseNo: 'C-3' } });
    const sign = await openTask(t.engine, processInstanceKey, 'sign');
    const work = await oneJob(t.engine, 'jt-cancel-work');
    await t.engine.failJob(work.key, { retries: 0, errorMessage: 'stuck' });
    expect(await t.engine.listIncidents({ processInstanceKey, state: 'ACTIVE' })).to.have.length(1);
    expect(await activeElements(t.engine, processInstanceKey)).to.deep.equal(['cooldown', 'sign', 'work']);
    expect(await t.engine.listJobs({ processInstanceKey })).to.have.length(1);
    expect((await t.engine.listTimers({ processInstanceKey })).map((x) => x.elementId).sort()).to.deep.equal(['cooldown', 'signTimeout']);

    await t.engine.cancelInstance(processInstanceKey);

    const instance = (await t.engine.getInstance(processInstanceKey))!;
    expect(instance).to.include({ state: 'TERMINATED', endedAt: t.clock.now() });
    expect(await t.engine.listJobs({ processInstanceKey })).to.deep.equal([]);
    expect(await jobsOf(t.engine, 'jt-cancel-work')).to.deep.equal([]);
    expect(await t.engine.getUserTask(sign.userTaskKey)).to.include({ state: 'CANCELED', endedAt: t.clock.now() });
    expect(await t.engine.listUserTasks({ processInstanceKey, state: 'CREATED' })).to.deep.equal([]);
    expect(await t.engine.listTimers({ processInstanceKey })).to.deep.equal([]);
    expect(await activeElements(t.engine, processInstanceKey)).to.deep.equal([]);
    expect(await t.engine.getVariables(processInstanceKey)).to.deep.equal({});
    expect(await t.engine.listIncidents({ processInstanceKey, state: 'ACTIVE' }), 'the incident of a terminated element is resolved').to.deep.equal([]);
    expect(await terminated(t.engine, processInstanceKey)).to.deep.equal(['work', 'sign', 'cooldown', 'jt-cancel']);
    const intents = (await t.engine.history(processInstanceKey)).map((h) => h.intent);
    expect(intents.filter((i) => i === 'JOB_CANCELED')).to.have.length(1);
    expect(intents.filter((i) => i === 'USER_TASK_CANCELED')).to.have.length(1);

    const before = (await t.engine.history(processInstanceKey)).length;
    await t.clock.advance(2 * DAY);
    expect((await t.engine.history(processInstanceKey)).length, 'no timer fires after the cancellation').to.equal(before);
    expect((await refusal(t.engine.completeUserTask(sign.userTaskKey, {}))).code).to.equal('INVALID_STATE');
  });

  it('given a cancelled instance, when it is cancelled again, then the command is refused', async () => {
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'jt-cancel' });
    await t.engine.cancelInstance(processInstanceKey);
    expect((await refusal(t.engine.cancelInstance(processInstanceKey))).code).to.equal('INVALID_STATE');
  });

  it('given a completed instance, when it is cancelled, then the command is refused and the instance stays completed', async () => {
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'jt-cancel' });
    await t.engine.completeJob((await oneJob(t.engine, 'jt-cancel-work')).key, {});
    await t.engine.completeUserTask((await openTask(t.engine, processInstanceKey, 'sign')).userTaskKey, {});
    await t.clock.advance(HOUR);
    expect((await t.engine.getInstance(processInstanceKey))!.state).to.equal('COMPLETED');
    expect((await completedPath(t.engine, processInstanceKey)).sort()).to.deep.equal([
      'cooldown',
      'endCooldown',
      'endSign',
      'endWork',
      'sign',
      'split',
      'start',
      'work',
    ]);

    const refused = await refusal(t.engine.cancelInstance(processInstanceKey));
    expect(refused.code).to.equal('INVALID_STATE');
    expect((await t.engine.getInstance(processInstanceKey))!.state).to.equal('COMPLETED');
    expect(await terminated(t.engine, processInstanceKey)).to.deep.equal([]);
  });

  it('given an unknown instance key, when it is cancelled, then the command is refused with NOT_FOUND', async () => {
    expect((await refusal(t.engine.cancelInstance('2251799813999999'))).code).to.equal('NOT_FOUND');
  });
});
