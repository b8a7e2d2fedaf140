import { expect } from 'chai';
import { activeElements, completedPath, deploy, jobsOf, oneJob, openTestEngine, refusal, terminated, type TestEngine } from './support/harness.js';

/** Compensation as Camunda 8.8 documents it (docs, *Compensation events*, *Compensation handler*). */
describe('engine / compensation', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
    await deploy(t.engine, 'cp-compensation.bpmn');
  });
  afterEach(() => t.close());

  const done = async (type: string, variables: Record<string, unknown> = {}) => t.engine.completeJob((await oneJob(t.engine, type)).key, variables);
  const start = async (id: string) => (await t.engine.createInstance({ bpmnProcessId: id })).processInstanceKey;

  it('given two completed compensable tasks, when a compensation throw event is reached, then both handlers run at once and the event waits for both before the flow goes on', async () => {
    const pi = await start('cp-throw-all');
    await done('A');
    await done('B');
    expect(await activeElements(t.engine, pi)).to.deep.equal(['undoA', 'undoAll', 'undoB']);
    await done('undoB');
    expect(await jobsOf(t.engine, 'C'), 'the throw event still waits for undoA').to.have.length(0);
    await done('undoA');
    await done('C');
    expect(await completedPath(t.engine, pi)).to.deep.equal(['start', 'A', 'B', 'undoB', 'undoA', 'undoAll', 'C', 'end']);
    const triggered = (await t.engine.history(pi)).find((h) => h.intent === 'COMPENSATION_TRIGGERED');
    expect(triggered!.payload).to.deep.include({ activities: ['A', 'B'] });
  });

  it('given throw events naming one activity each (activityRef), when they are reached, then the handlers run one after the other in that order', async () => {
    const pi = await start('cp-activity-ref');
    await done('A2');
    await done('B2');
    expect(await jobsOf(t.engine, 'undoA2'), 'only B2 first').to.have.length(0);
    await done('undoB2');
    await done('undoA2');
    expect((await t.engine.getInstance(pi))!.state).to.equal('COMPLETED');
    expect(await completedPath(t.engine, pi)).to.deep.equal(['start2', 'A2', 'B2', 'undoB2', 'undoB2first', 'undoA2', 'undoA2last']);
  });

  it('given an error caught by an event sub-process whose end event compensates, when the charge fails, then the completed task and the task inside the completed sub-process are compensated, and not the interrupted one', async () => {
    const pi = await start('cp-event-sub-process');
    await done('S');
    await done('R');
    const charge = await oneJob(t.engine, 'charge');
    await t.engine.throwError(charge.key, { errorCode: 'card-declined' });
    expect(await terminated(t.engine, pi)).to.deep.equal(['charge']);
    expect(await activeElements(t.engine, pi)).to.deep.equal(['compensateAll', 'onDeclined', 'undoR', 'undoS']);
    await done('undoS');
    await done('undoR');
    expect((await t.engine.getInstance(pi))!.state).to.equal('COMPLETED');
  });

  it('given a compensable task that has not run yet, when a compensation throw event is reached, then it completes at once and the task is not compensated later', async () => {
    const pi = await start('cp-nothing-yet');
    expect(await activeElements(t.engine, pi)).to.deep.equal(['A4']);
    await done('A4');
    expect((await t.engine.getInstance(pi))!.state).to.equal('COMPLETED');
    expect(await jobsOf(t.engine, 'undoA4')).to.have.length(0);
    expect(await completedPath(t.engine, pi)).to.deep.equal(['start4', 'undoEarly', 'A4', 'end4']);
  });

  it('given a compensation already thrown, when the instance ends, then each handler ran once', async () => {
    const pi = await start('cp-throw-all');
    await done('A');
    await done('B');
    await done('undoA');
    await done('undoB');
    await done('C');
    expect((await t.engine.getInstance(pi))!.state).to.equal('COMPLETED');
    const handlerJobs = (await t.engine.history(pi)).filter(
      (h) => h.intent === 'JOB_CREATED' && String((h.payload as { type: string }).type).startsWith('undo'),
    );
    expect(handlerJobs).to.have.length(2);
  });

  it('given a compensation boundary without a handler, a handler with a sequence flow, or an activityRef to another scope, when deployed, then each is refused', async () => {
    const xml = (await import('node:fs'))
      .readFileSync(new URL('./bpmn/cp-compensation.bpmn', import.meta.url), 'utf8')
      .replace('<bpmn:association id="as_compA" associationDirection="One" sourceRef="compA" targetRef="undoA" />', '')
      .replace('activityRef="B2"', 'activityRef="S"')
      .replace(/id="cp-/g, 'id="cpx-');
    const err = await refusal(t.engine.deploy([{ name: 'cpx.bpmn', xml }]));
    const text = JSON.stringify(err.details);
    expect(text).to.contain('compA').and.to.contain('needs an association to a compensation handler');
    expect(text).to.contain("activityRef 'S' must name an activity of the same scope");
  });
});
