import { expect } from 'chai';
import type { HistoryEvent } from '../../engine/index.js';
import { deploy, HOUR, MINUTE, oneJob, openTask, openTestEngine, type TestEngine } from './support/harness.js';

/** The per-instance history and the global, position-ordered event stream. */
describe('engine / history', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
    await deploy(t.engine, 'jt-history.bpmn');
  });
  afterEach(() => t.close());

  const label = (h: HistoryEvent) => `${h.intent}:${h.intent.startsWith('VARIABLE_') ? String(h.payload?.['name']) : h.elementId}`;

  /** Runs jt-history through a job failure with an incident, a retry, the job and the user task. */
  async function runThrough(): Promise<{ key: string; started: number; jobKey: string; taskKey: string; incidentKey: string }> {
    const started = t.clock.now();
    const { processInstanceKey: key } = await t.engine.createInstance({ bpmnProcessId: 'jt-history', variables: { caseNo: 'C-1' } });
    const job = await oneJob(t.engine, 'jt-prepare');
    await t.engine.failJob(job.key, { retries: 0, errorMessage: 'archive locked' });
    const [incident] = await t.engine.listIncidents({ processInstanceKey: key });
    await t.engine.updateJobRetries(job.key, 1);
    await t.engine.resolveIncident(incident!.incidentKey);
    await t.clock.advance(MINUTE);
    await t.engine.completeJob((await oneJob(t.engine, 'jt-prepare')).key, { prepared: true });
    const task = await openTask(t.engine, key, 'approve');
    await t.clock.advance(HOUR);
    await t.engine.completeUserTask(task.userTaskKey, { approved: true });
    return { key, started, jobKey: job.key, taskKey: task.userTaskKey, incidentKey: incident!.incidentKey };
  }

  const RELEVANT = new Set([
    'ELEMENT_ACTIVATED',
    'ELEMENT_COMPLETED',
    'SEQUENCE_FLOW_TAKEN',
    'VARIABLE_CREATED',
    'JOB_CREATED',
    'JOB_FAILED',
    'JOB_COMPLETED',
    'USER_TASK_CREATED',
    'USER_TASK_COMPLETED',
    'INCIDENT_CREATED',
    'INCIDENT_RESOLVED',
  ]);

  /** Zeebe's order (without the ACTIVATING/COMPLETING steps this engine does not record). */
  const ZEEBE_ORDER = [
    'VARIABLE_CREATED:caseNo',
    'ELEMENT_ACTIVATED:jt-history',
    'ELEMENT_ACTIVATED:start',
    'ELEMENT_COMPLETED:start',
    'SEQUENCE_FLOW_TAKEN:f1',
    'JOB_CREATED:prepare',
    'ELEMENT_ACTIVATED:prepare',
    'JOB_FAILED:prepare',
    'INCIDENT_CREATED:prepare',
    'INCIDENT_RESOLVED:prepare',
    'JOB_COMPLETED:prepare',
    'VARIABLE_CREATED:prepared',
    'ELEMENT_COMPLETED:prepare',
    'SEQUENCE_FLOW_TAKEN:f2',
    'USER_TASK_CREATED:approve',
    'ELEMENT_ACTIVATED:approve',
    'USER_TASK_COMPLETED:approve',
    'VARIABLE_CREATED:approved',
    'ELEMENT_COMPLETED:approve',
    'SEQUENCE_FLOW_TAKEN:f3',
    'ELEMENT_ACTIVATED:end',
    'ELEMENT_COMPLETED:end',
    'ELEMENT_COMPLETED:jt-history',
  ];

  it('given a completed instance with a failed job, an incident and a user task, then its history lists the events in order with their payloads and times', async () => {
    const { key, started, jobKey, taskKey, incidentKey } = await runThrough();
    expect((await t.engine.getInstance(key))!.state).to.equal('COMPLETED');
    const events = (await t.engine.history(key)).filter((h) => RELEVANT.has(h.intent));

    // where a job / user task record sits next to its element's ELEMENT_ACTIVATED is the next test's business
    const labels = events.map(label);
    for (let i = 0; i + 1 < labels.length; i++) {
      const [a, b] = [labels[i]!, labels[i + 1]!];
      if (a.startsWith('ELEMENT_ACTIVATED:') && /^(JOB|USER_TASK)_CREATED:/.test(b) && a.split(':')[1] === b.split(':')[1]) [labels[i], labels[i + 1]] = [b, a];
    }
    expect(labels).to.deep.equal(ZEEBE_ORDER);

    const all = await t.engine.history(key);
    expect(all.every((h) => h.processInstanceKey === key && h.bpmnProcessId === 'jt-history')).to.equal(true);
    const positions = all.map((h) => h.position);
    expect(positions).to.deep.equal([...positions].sort((a, b) => a - b));
    expect(new Set(positions).size).to.equal(positions.length);

    const byIntent = (intent: string) => events.filter((h) => h.intent === intent);
    expect(byIntent('JOB_CREATED').map((h) => h.payload)).to.deep.equal([{ jobKey, type: 'jt-prepare', retries: 3 }]);
    expect(byIntent('INCIDENT_CREATED').map((h) => [h.payload?.['incidentKey'], h.payload?.['errorType'], h.payload?.['jobKey']])).to.deep.equal([
      [incidentKey, 'JOB_NO_RETRIES', jobKey],
    ]);
    expect(byIntent('USER_TASK_COMPLETED').map((h) => h.payload?.['userTaskKey'])).to.deep.equal([taskKey]);
    expect(byIntent('VARIABLE_CREATED').map((h) => h.payload)).to.deep.equal([
      { name: 'caseNo', value: 'C-1' },
      { name: 'prepared', value: true },
      { name: 'approved', value: true },
    ]);
    expect(events[0]!.at).to.equal(started);
    expect(byIntent('USER_TASK_COMPLETED')[0]!.at).to.equal(started + MINUTE + HOUR);
    expect(events[events.length - 1]).to.include({ intent: 'ELEMENT_COMPLETED', elementType: 'process', at: started + MINUTE + HOUR });
  });

  it('given element activations that create a job or a user task, then JOB_CREATED / USER_TASK_CREATED come before the ELEMENT_ACTIVATED of their element, as Zeebe writes them', async () => {
    const { key } = await runThrough();
    const labels = (await t.engine.history(key)).filter((h) => RELEVANT.has(h.intent)).map(label);
    expect(labels).to.deep.equal(ZEEBE_ORDER);
  });

  it('given variables set again, when the value is unchanged no VARIABLE_UPDATED is recorded, and when it changes exactly one is (Zeebe only records real changes)', async () => {
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'jt-history', variables: { caseNo: 'C-1', level: 2 } });
    await t.engine.completeJob((await oneJob(t.engine, 'jt-prepare')).key, { caseNo: 'C-1', level: 2 });
    await t.engine.completeUserTask((await openTask(t.engine, processInstanceKey, 'approve')).userTaskKey, { caseNo: 'C-1', level: 3 });
    const variableEvents = (await t.engine.history(processInstanceKey)).filter((h) => h.intent.startsWith('VARIABLE_')).map((h) => [h.intent, h.payload]);
    expect(variableEvents).to.deep.equal([
      ['VARIABLE_CREATED', { name: 'caseNo', value: 'C-1' }],
      ['VARIABLE_CREATED', { name: 'level', value: 2 }],
      ['VARIABLE_UPDATED', { name: 'level', value: 3 }],
    ]);
  });

  it('given two instances and a deployment, when readHistory pages through the stream, then pages join up in position order to the whole stream', async () => {
    const a = (await t.engine.createInstance({ bpmnProcessId: 'jt-history', variables: { caseNo: 'A' } })).processInstanceKey;
    const b = (await t.engine.createInstance({ bpmnProcessId: 'jt-history', variables: { caseNo: 'B' } })).processInstanceKey;
    const [jobA, jobB] = await t.engine.activateJobs({ type: 'jt-prepare', maxJobsToActivate: 2, timeoutMs: MINUTE, worker: 'w' });
    await t.engine.completeJob(jobB!.key, {});
    await t.engine.completeJob(jobA!.key, {});
    await t.engine.completeUserTask((await openTask(t.engine, a, 'approve')).userTaskKey, {});

    const whole = await t.engine.readHistory(0, 10_000);
    const pages: HistoryEvent[][] = [];
    let after = 0;
    for (;;) {
      const page = await t.engine.readHistory(after, 4);
      if (!page.length) break;
      expect(page.length).to.be.at.most(4);
      pages.push(page);
      after = page[page.length - 1]!.position;
    }
    const joined = pages.flat();
    expect(joined).to.deep.equal(whole);
    expect(pages.length).to.equal(Math.ceil(whole.length / 4));
    const positions = joined.map((h) => h.position);
    for (let i = 1; i < positions.length; i++) expect(positions[i]).to.be.greaterThan(positions[i - 1]!);

    expect(whole[0]).to.include({ intent: 'PROCESS_DEPLOYED', processInstanceKey: null });
    expect(whole.filter((h) => h.processInstanceKey === a)).to.deep.equal(await t.engine.history(a));
    expect(whole.filter((h) => h.processInstanceKey === b)).to.deep.equal(await t.engine.history(b));
    const middle = whole[Math.floor(whole.length / 2)]!.position;
    expect(await t.engine.readHistory(middle, 10_000)).to.deep.equal(whole.filter((h) => h.position > middle));
    expect(await t.engine.readHistory(whole[whole.length - 1]!.position)).to.deep.equal([]);

    // the stream interleaves instances in the order things happened: b's job completed before a's
    const completions = whole.filter((h) => h.intent === 'JOB_COMPLETED').map((h) => h.processInstanceKey);
    expect(completions).to.deep.equal([b, a]);
  });
});
