import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { activeElements, completedPath, HOUR, oneJob, openTask, openTestEngine, refusal, type TestEngine } from './support/harness.js';

/**
 * Process instance migration (Camunda 8 docs, "Process instance migration"): a running instance moves to
 * another deployed version by element mappings, keeping its element instances, variables, job and user-task
 * keys and subscriptions, and then follows the target's flow; a plan that cannot be carried out changes nothing.
 */
const head = (id: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d_${id}" targetNamespace="http://bpmn.io/schema/bpmn">
<bpmn:process id="${id}" isExecutable="true">`;
const tail =
  '</bpmn:process><bpmn:message id="m_paid" name="paid"><bpmn:extensionElements><zeebe:subscription correlationKey="= orderId" /></bpmn:extensionElements></bpmn:message></bpmn:definitions>';
const userTask = (id: string, inc: string, out: string) =>
  `<bpmn:userTask id="${id}"><bpmn:extensionElements><zeebe:userTask /><zeebe:assignmentDefinition assignee="= officer" /></bpmn:extensionElements><bpmn:incoming>${inc}</bpmn:incoming><bpmn:outgoing>${out}</bpmn:outgoing></bpmn:userTask>`;
const serviceTask = (id: string, type: string, inc: string, out: string) =>
  `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="${type}" /></bpmn:extensionElements><bpmn:incoming>${inc}</bpmn:incoming><bpmn:outgoing>${out}</bpmn:outgoing></bpmn:serviceTask>`;
const flow = (id: string, from: string, to: string) => `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}" />`;
const start = '<bpmn:startEvent id="start"><bpmn:outgoing>f0</bpmn:outgoing></bpmn:startEvent>';
const end = (inc: string, id = 'end') => `<bpmn:endEvent id="${id}"><bpmn:incoming>${inc}</bpmn:incoming></bpmn:endEvent>`;
const bpmn = (id: string, body: string) => ({ name: `${id}.bpmn`, xml: head(id) + body + tail });

/** v1: review → end */
const reviewV1 = bpmn('mig', start + flow('f0', 'start', 'review') + userTask('review', 'f0', 'f1') + flow('f1', 'review', 'end') + end('f1'));
/** v2: review (48 h deadline) → notify → end */
const reviewV2 = bpmn(
  'mig',
  start +
    flow('f0', 'start', 'review') +
    userTask('review', 'f0', 'f1') +
    flow('f1', 'review', 'notify') +
    serviceTask('notify', 'notify', 'f1', 'f2') +
    flow('f2', 'notify', 'end') +
    end('f2') +
    '<bpmn:boundaryEvent id="deadline" attachedToRef="review"><bpmn:outgoing>f9</bpmn:outgoing><bpmn:timerEventDefinition><bpmn:timeDuration>PT48H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>' +
    flow('f9', 'deadline', 'late') +
    end('f9', 'late'),
);
/** v3: review became a service task */
const reviewV3 = bpmn(
  'mig',
  start + flow('f0', 'start', 'review') + serviceTask('review', 'auto-review', 'f0', 'f1') + flow('f1', 'review', 'end') + end('f1'),
);

describe('engine / process instance migration', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
  });
  afterEach(() => t.close());

  const defKey = async (processId: string, version: number) =>
    (await t.engine.listDefinitions()).find((d) => d.bpmnProcessId === processId && d.version === version)!.processDefinitionKey;

  it('given a user task waiting on v1, when it is migrated to v2, then the task keeps its key, assignee and variables and completing it follows v2 (deadline timer opened from v2)', async () => {
    await t.engine.deploy([reviewV1]);
    const { processInstanceKey: pi } = await t.engine.createInstance({ bpmnProcessId: 'mig', variables: { officer: 'li.lei', caseNo: 'C-1' } });
    const before = await openTask(t.engine, pi, 'review');
    await t.engine.deploy([reviewV2]);
    const v2 = await defKey('mig', 2);

    const result = await t.engine.migrateInstance(pi, {
      targetProcessDefinitionKey: v2,
      mappingInstructions: [{ sourceElementId: 'review', targetElementId: 'review' }],
    });

    expect(result.moves.find((m) => m.sourceElementId === 'review')).to.include({ userTaskKey: before.userTaskKey, targetElementId: 'review' });
    expect(await t.engine.getInstance(pi)).to.include({ processDefinitionKey: v2, version: 2 });
    const after = await openTask(t.engine, pi, 'review');
    expect(after).to.include({ userTaskKey: before.userTaskKey, assignee: 'li.lei', elementInstanceKey: before.elementInstanceKey });
    expect(await t.engine.getVariables(pi)).to.deep.equal({ officer: 'li.lei', caseNo: 'C-1' });
    const timers = await t.engine.listTimers({ processInstanceKey: pi });
    expect(timers.map((x) => [x.elementId, x.dueAt])).to.deep.equal([['deadline', t.clock.now() + 48 * HOUR]]);
    expect(
      (await t.engine.history(pi))
        .filter((h) => h.intent === 'ELEMENT_MIGRATED')
        .map((h) => h.elementId)
        .sort(),
    ).to.deep.equal(['mig', 'review']);
    expect((await t.engine.history(pi)).filter((h) => h.intent === 'USER_TASK_MIGRATED').map((h) => h.payload)).to.deep.equal([
      { userTaskKey: before.userTaskKey },
    ]);

    await t.engine.completeUserTask(after.userTaskKey, { decision: 'ok' });
    const notify = await oneJob(t.engine, 'notify');
    expect(notify).to.include({ processInstanceKey: pi, elementId: 'notify', processDefinitionKey: v2 });
    expect(await t.engine.listTimers({ processInstanceKey: pi })).to.deep.equal([]);
    await t.engine.completeJob(notify.key);
    expect(await completedPath(t.engine, pi)).to.deep.equal(['start', 'review', 'notify', 'end']);
  });

  it('given a job activated by a worker on v1, when the service task is migrated, then the job keeps its key, retries and lock and its completion continues on v2', async () => {
    await t.engine.deploy([
      bpmn('mig-job', start + flow('f0', 'start', 'work') + serviceTask('work', 'work', 'f0', 'f1') + flow('f1', 'work', 'end') + end('f1')),
    ]);
    const { processInstanceKey: pi } = await t.engine.createInstance({ bpmnProcessId: 'mig-job', variables: { officer: 'wang.fang' } });
    const job = await oneJob(t.engine, 'work');
    await t.engine.deploy([
      bpmn(
        'mig-job',
        start +
          flow('f0', 'start', 'work2') +
          serviceTask('work2', 'work-v2', 'f0', 'f1') +
          flow('f1', 'work2', 'check') +
          userTask('check', 'f1', 'f2') +
          flow('f2', 'check', 'end') +
          end('f2'),
      ),
    ]);

    const result = await t.engine.migrateInstance(pi, {
      targetProcessDefinitionKey: await defKey('mig-job', 2),
      mappingInstructions: [{ sourceElementId: 'work', targetElementId: 'work2' }],
    });

    expect(result.moves.find((m) => m.targetElementId === 'work2')!.jobKey).to.equal(job.key);
    const [row] = await t.engine.listJobs({ processInstanceKey: pi });
    expect(row).to.include({ jobKey: job.key, elementId: 'work2', type: 'work', retries: job.retries, state: 'ACTIVATED' });
    await t.engine.completeJob(job.key, { done: true });
    expect((await openTask(t.engine, pi, 'check')).assignee).to.equal('wang.fang');
  });

  it('given a message catch event waiting on v1, when migrated, then the subscription is kept (same name and correlation key) and the message continues the instance on v2', async () => {
    const catchEvent = (id: string, inc: string, out: string) =>
      `<bpmn:intermediateCatchEvent id="${id}"><bpmn:incoming>${inc}</bpmn:incoming><bpmn:outgoing>${out}</bpmn:outgoing><bpmn:messageEventDefinition messageRef="m_paid" /></bpmn:intermediateCatchEvent>`;
    await t.engine.deploy([bpmn('mig-msg', start + flow('f0', 'start', 'paid') + catchEvent('paid', 'f0', 'f1') + flow('f1', 'paid', 'end') + end('f1'))]);
    const { processInstanceKey: pi } = await t.engine.createInstance({ bpmnProcessId: 'mig-msg', variables: { orderId: 'O-7', officer: 'zhao.min' } });
    await t.engine.deploy([
      bpmn(
        'mig-msg',
        start +
          flow('f0', 'start', 'paid') +
          catchEvent('paid', 'f0', 'f1') +
          flow('f1', 'paid', 'book') +
          userTask('book', 'f1', 'f2') +
          flow('f2', 'book', 'end') +
          end('f2'),
      ),
    ]);
    const [sub] = await t.engine.listSubscriptions(pi);

    await t.engine.migrateInstance(pi, {
      targetProcessDefinitionKey: await defKey('mig-msg', 2),
      mappingInstructions: [{ sourceElementId: 'paid', targetElementId: 'paid' }],
    });

    const [kept] = await t.engine.listSubscriptions(pi);
    expect(kept).to.deep.equal(sub);
    await t.engine.publishMessage({ name: 'paid', correlationKey: 'O-7' });
    expect((await openTask(t.engine, pi, 'book')).assignee).to.equal('zhao.min');
  });

  it('given an active element missing from the mapping or changing its type, when migrating, then it is refused naming each element and nothing changes', async () => {
    await t.engine.deploy([reviewV1]);
    const { processInstanceKey: pi } = await t.engine.createInstance({ bpmnProcessId: 'mig', variables: { officer: 'li.lei' } });
    const task = await openTask(t.engine, pi, 'review');
    const v1 = await defKey('mig', 1);
    await t.engine.deploy([reviewV2]);
    await t.engine.deploy([reviewV3]);
    const historyBefore = (await t.engine.history(pi)).length;

    const missing = await refusal(t.engine.migrateInstance(pi, { targetProcessDefinitionKey: await defKey('mig', 2), mappingInstructions: [] }));
    expect(missing.code).to.equal('INVALID_STATE');
    expect(missing.message).to.contain('active element review has no mapping instruction');
    const typeChange = await refusal(
      t.engine.migrateInstance(pi, {
        targetProcessDefinitionKey: await defKey('mig', 3),
        mappingInstructions: [{ sourceElementId: 'review', targetElementId: 'review' }],
      }),
    );
    expect(typeChange.code).to.equal('INVALID_STATE');
    expect(typeChange.message).to.contain('is a userTask and cannot become review, a serviceTask');
    const unknown = await refusal(
      t.engine.migrateInstance(pi, {
        targetProcessDefinitionKey: await defKey('mig', 2),
        mappingInstructions: [{ sourceElementId: 'review', targetElementId: 'nope' }],
      }),
    );
    expect(unknown.code).to.equal('INVALID_ARGUMENT');
    expect((unknown.details as { refusals: Array<{ elementId: string }> }).refusals.map((r) => r.elementId)).to.deep.equal(['nope']);

    expect(await t.engine.getInstance(pi)).to.include({ processDefinitionKey: v1, version: 1 });
    expect(await openTask(t.engine, pi, 'review')).to.deep.equal(task);
    expect(await t.engine.listTimers({ processInstanceKey: pi })).to.deep.equal([]);
    expect((await t.engine.history(pi)).length).to.equal(historyBefore);
    await t.engine.completeUserTask(task.userTaskKey);
    expect(await completedPath(t.engine, pi)).to.deep.equal(['start', 'review', 'end']);
  });

  it('given two active branches, when previewing a plan that maps only one, then the preview lists what moves and what cannot and why, and writes nothing', async () => {
    const fork =
      '<bpmn:parallelGateway id="fork"><bpmn:incoming>f0</bpmn:incoming><bpmn:outgoing>a0</bpmn:outgoing><bpmn:outgoing>b0</bpmn:outgoing></bpmn:parallelGateway>';
    const body =
      start +
      flow('f0', 'start', 'fork') +
      fork +
      flow('a0', 'fork', 'review') +
      userTask('review', 'a0', 'a1') +
      flow('a1', 'review', 'endA') +
      end('a1', 'endA') +
      flow('b0', 'fork', 'work') +
      serviceTask('work', 'work', 'b0', 'b1') +
      flow('b1', 'work', 'endB') +
      end('b1', 'endB');
    await t.engine.deploy([bpmn('mig-par', body)]);
    const { processInstanceKey: pi } = await t.engine.createInstance({ bpmnProcessId: 'mig-par', variables: { officer: 'li.lei' } });
    await t.engine.deploy([bpmn('mig-par', body.replace('type="work"', 'type="work-2"'))]);
    const plan = { targetProcessDefinitionKey: await defKey('mig-par', 2), mappingInstructions: [{ sourceElementId: 'review', targetElementId: 'review' }] };

    const preview = await t.engine.previewMigration(pi, plan);

    expect(preview.migratable).to.equal(false);
    expect(preview.target).to.include({ bpmnProcessId: 'mig-par', version: 2 });
    expect(preview.moves.map((m) => m.sourceElementId).sort()).to.deep.equal(['mig-par', 'review']);
    expect(preview.refusals).to.have.length(1);
    expect(preview.refusals[0]).to.include({ code: 'INVALID_STATE', elementId: 'work' });
    expect(preview.refusals[0]!.reason).to.contain('no mapping instruction');
    expect((await t.engine.getInstance(pi))!.version).to.equal(1);

    const full = await t.engine.previewMigration(pi, {
      ...plan,
      mappingInstructions: [...plan.mappingInstructions, { sourceElementId: 'work', targetElementId: 'work' }],
    });
    expect(full.migratable).to.equal(true);
    expect(full.moves.find((m) => m.sourceElementId === 'work')!.notes).to.deep.equal([
      `job ${full.moves.find((m) => m.sourceElementId === 'work')!.jobKey} keeps its type 'work' (the target defines 'work-2')`,
    ]);
    expect(await activeElements(t.engine, pi)).to.deep.equal(['review', 'work']);
  });
  // Camunda 8.8 docs, "Migrating joining parallel and inclusive gateways": A has passed the join, B still works;
  // v2 puts C after A, so the token that waits on flowA must wait on flowC of the new join
  it('given a token waiting at a joining parallel gateway, when the gateway and its taken flow are mapped, then the token moves and completing the other branch passes the join on v2', async () => {
    const gw = (kind: string, id: string, inc: string[], out: string[]) =>
      `<bpmn:${kind} id="${id}">${inc.map((f) => `<bpmn:incoming>${f}</bpmn:incoming>`).join('')}${out.map((f) => `<bpmn:outgoing>${f}</bpmn:outgoing>`).join('')}</bpmn:${kind}>`;
    const v1 = bpmn(
      'mig-join',
      start +
        flow('f0', 'start', 'fork') +
        gw('parallelGateway', 'fork', ['f0'], ['toA', 'toB']) +
        flow('toA', 'fork', 'A') +
        userTask('A', 'toA', 'flowA') +
        flow('flowA', 'A', 'join') +
        flow('toB', 'fork', 'B') +
        userTask('B', 'toB', 'flowB') +
        flow('flowB', 'B', 'join') +
        gw('parallelGateway', 'join', ['flowA', 'flowB'], ['f9']) +
        flow('f9', 'join', 'end') +
        end('f9'),
    );
    const v2 = bpmn(
      'mig-join',
      start +
        flow('f0', 'start', 'fork') +
        gw('parallelGateway', 'fork', ['f0'], ['toA', 'toB']) +
        flow('toA', 'fork', 'A') +
        userTask('A', 'toA', 'aToC') +
        flow('aToC', 'A', 'C') +
        userTask('C', 'aToC', 'flowC') +
        flow('flowC', 'C', 'join2') +
        flow('toB', 'fork', 'B') +
        userTask('B', 'toB', 'flowB') +
        flow('flowB', 'B', 'join2') +
        gw('parallelGateway', 'join2', ['flowC', 'flowB'], ['f9']) +
        flow('f9', 'join2', 'end') +
        end('f9'),
    );
    await t.engine.deploy([v1]);
    const { processInstanceKey: pi } = await t.engine.createInstance({ bpmnProcessId: 'mig-join', variables: { officer: 'li.lei' } });
    await t.engine.completeUserTask((await openTask(t.engine, pi, 'A')).userTaskKey);
    await t.engine.deploy([v2]);
    const target = await defKey('mig-join', 2);

    const unmappedGateway = await refusal(
      t.engine.migrateInstance(pi, { targetProcessDefinitionKey: target, mappingInstructions: [{ sourceElementId: 'B', targetElementId: 'B' }] }),
    );
    expect(unmappedGateway.message).to.contain('tokens wait at joining gateway join: it needs a mapping instruction');
    const unmappedFlow = await refusal(
      t.engine.migrateInstance(pi, {
        targetProcessDefinitionKey: target,
        mappingInstructions: [
          { sourceElementId: 'B', targetElementId: 'B' },
          { sourceElementId: 'join', targetElementId: 'join2' },
        ],
      }),
    );
    expect(unmappedFlow.message).to.contain('sequence flow flowA holds a token for gateway join: map it to an incoming flow of join2');
    expect(await t.engine.getInstance(pi)).to.include({ version: 1 });

    await t.engine.migrateInstance(pi, {
      targetProcessDefinitionKey: target,
      mappingInstructions: [
        { sourceElementId: 'B', targetElementId: 'B' },
        { sourceElementId: 'join', targetElementId: 'join2' },
        { sourceElementId: 'flowA', targetElementId: 'flowC' },
      ],
    });

    await t.engine.completeUserTask((await openTask(t.engine, pi, 'B')).userTaskKey);
    expect(await completedPath(t.engine, pi)).to.include.members(['join2', 'end']);
    expect((await t.engine.getInstance(pi))?.state).to.equal('COMPLETED');
  });

  // Camunda 8.8 docs, "Add or remove catch events": a message event sub-process added in v2 listens after
  // migrating with A → A alone, and migrating back without it closes the subscription
  it('given a target version that adds a message event sub-process, when only the task is mapped, then the instance is subscribed to it, and migrating back closes it', async () => {
    const urge =
      '<bpmn:subProcess id="urgeSub" triggeredByEvent="true"><bpmn:startEvent id="urged" isInterrupting="false"><bpmn:outgoing>u1</bpmn:outgoing>' +
      '<bpmn:messageEventDefinition messageRef="m_paid" /></bpmn:startEvent>' +
      flow('u1', 'urged', 'note') +
      userTask('note', 'u1', 'u2') +
      flow('u2', 'note', 'urgeEnd') +
      end('u2', 'urgeEnd') +
      '</bpmn:subProcess>';
    await t.engine.deploy([reviewV1]);
    const { processInstanceKey: pi } = await t.engine.createInstance({ bpmnProcessId: 'mig', variables: { officer: 'li.lei', orderId: 'O-9' } });
    await t.engine.deploy([
      bpmn('mig', start + flow('f0', 'start', 'review') + userTask('review', 'f0', 'f1') + flow('f1', 'review', 'end') + end('f1') + urge),
    ]);
    const v2 = await defKey('mig', 2);

    const preview = await t.engine.migrateInstance(pi, {
      targetProcessDefinitionKey: v2,
      mappingInstructions: [{ sourceElementId: 'review', targetElementId: 'review' }],
    });

    expect(preview.moves.find((m) => m.sourceElementId === 'mig')?.opened).to.deep.equal(['message:urged']);
    expect((await t.engine.listSubscriptions(pi)).map((x) => x.elementId)).to.deep.equal(['urged']);
    await t.engine.publishMessage({ name: 'paid', correlationKey: 'O-9' });
    expect((await openTask(t.engine, pi, 'note')).assignee).to.equal('li.lei');
    await t.engine.completeUserTask((await openTask(t.engine, pi, 'note')).userTaskKey);

    await t.engine.migrateInstance(pi, {
      targetProcessDefinitionKey: await defKey('mig', 1),
      mappingInstructions: [{ sourceElementId: 'review', targetElementId: 'review' }],
    });
    expect(await t.engine.listSubscriptions(pi)).to.deep.equal([]);
  });

  it('given a Camunda user task, when mapped to a job-worker user task, then it is refused: the implementation changes only the other way', async () => {
    await t.engine.deploy([reviewV1]);
    const { processInstanceKey: pi } = await t.engine.createInstance({ bpmnProcessId: 'mig', variables: { officer: 'li.lei' } });
    await t.engine.deploy([
      bpmn(
        'mig',
        start +
          flow('f0', 'start', 'review') +
          '<bpmn:userTask id="review"><bpmn:incoming>f0</bpmn:incoming><bpmn:outgoing>f1</bpmn:outgoing></bpmn:userTask>' +
          flow('f1', 'review', 'end') +
          end('f1'),
      ),
    ]);
    const refused = await refusal(
      t.engine.migrateInstance(pi, {
        targetProcessDefinitionKey: await defKey('mig', 2),
        mappingInstructions: [{ sourceElementId: 'review', targetElementId: 'review' }],
      }),
    );
    expect(refused.message).to.contain('is a Camunda user task and cannot become review, a job-worker user task');
  });

  it('given two boundary timers mapped to one timer of the target, when migrating, then it is refused: a catch event is the target of one mapping only', async () => {
    const timer = (id: string, hours: number, out: string) =>
      `<bpmn:boundaryEvent id="${id}" attachedToRef="review" cancelActivity="false"><bpmn:outgoing>${out}</bpmn:outgoing><bpmn:timerEventDefinition><bpmn:timeDuration>PT${hours}H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>`;
    await t.engine.deploy([
      bpmn(
        'mig-two',
        start +
          flow('f0', 'start', 'review') +
          userTask('review', 'f0', 'f1') +
          flow('f1', 'review', 'end') +
          end('f1') +
          timer('t1', 24, 'g1') +
          flow('g1', 't1', 'e1') +
          end('g1', 'e1') +
          timer('t2', 48, 'g2') +
          flow('g2', 't2', 'e2') +
          end('g2', 'e2'),
      ),
    ]);
    const { processInstanceKey: pi } = await t.engine.createInstance({ bpmnProcessId: 'mig-two', variables: { officer: 'li.lei' } });
    await t.engine.deploy([
      bpmn(
        'mig-two',
        start +
          flow('f0', 'start', 'review') +
          userTask('review', 'f0', 'f1') +
          flow('f1', 'review', 'end') +
          end('f1') +
          timer('t', 24, 'g1') +
          flow('g1', 't', 'e1') +
          end('g1', 'e1'),
      ),
    ]);

    const both = await refusal(
      t.engine.migrateInstance(pi, {
        targetProcessDefinitionKey: await defKey('mig-two', 2),
        mappingInstructions: [
          { sourceElementId: 'review', targetElementId: 'review' },
          { sourceElementId: 't1', targetElementId: 't' },
          { sourceElementId: 't2', targetElementId: 't' },
        ],
      }),
    );
    expect(both.message).to.contain('catch events t1 and t2 are both mapped to t');
    expect((await t.engine.listTimers({ processInstanceKey: pi })).map((x) => x.elementId).sort()).to.deep.equal(['t1', 't2']);
  });

  it('given a timer catch event waiting on v1, when migrated, then the timer keeps its key and due time and firing it continues on v2', async () => {
    const timer = (id: string, inc: string, out: string) =>
      `<bpmn:intermediateCatchEvent id="${id}"><bpmn:incoming>${inc}</bpmn:incoming><bpmn:outgoing>${out}</bpmn:outgoing><bpmn:timerEventDefinition><bpmn:timeDuration>PT2H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>`;
    await t.engine.deploy([bpmn('mig-timer', start + flow('f0', 'start', 'wait') + timer('wait', 'f0', 'f1') + flow('f1', 'wait', 'end') + end('f1'))]);
    const { processInstanceKey: pi } = await t.engine.createInstance({ bpmnProcessId: 'mig-timer', variables: { officer: 'li.lei' } });
    const [before] = await t.engine.listTimers({ processInstanceKey: pi });
    await t.clock.advance(HOUR);
    await t.engine.deploy([
      bpmn(
        'mig-timer',
        start +
          flow('f0', 'start', 'wait2') +
          timer('wait2', 'f0', 'f1') +
          flow('f1', 'wait2', 'call') +
          userTask('call', 'f1', 'f2') +
          flow('f2', 'call', 'end') +
          end('f2'),
      ),
    ]);

    await t.engine.migrateInstance(pi, {
      targetProcessDefinitionKey: await defKey('mig-timer', 2),
      mappingInstructions: [{ sourceElementId: 'wait', targetElementId: 'wait2' }],
    });

    const [after] = await t.engine.listTimers({ processInstanceKey: pi });
    expect(after).to.deep.include({ timerKey: before!.timerKey, dueAt: before!.dueAt, elementId: 'wait2', processDefinitionKey: await defKey('mig-timer', 2) });
    await t.clock.advance(HOUR);
    expect((await openTask(t.engine, pi, 'call')).assignee).to.equal('li.lei');
  });

  it('given elements inside a sub-process, when a mapping would move an active element out of its scope, or drop a multi-instance body, then both are refused with their reasons', async () => {
    const sub = (id: string, inner: string, inc: string, out: string) =>
      `<bpmn:subProcess id="${id}"><bpmn:incoming>${inc}</bpmn:incoming><bpmn:outgoing>${out}</bpmn:outgoing><bpmn:startEvent id="${id}_s"><bpmn:outgoing>${id}_a</bpmn:outgoing></bpmn:startEvent>${flow(`${id}_a`, `${id}_s`, inner)}${userTask(inner, `${id}_a`, `${id}_b`)}${flow(`${id}_b`, inner, `${id}_e`)}${end(`${id}_b`, `${id}_e`)}</bpmn:subProcess>`;
    await t.engine.deploy([bpmn('mig-scope', start + flow('f0', 'start', 'sub') + sub('sub', 'inner', 'f0', 'f1') + flow('f1', 'sub', 'end') + end('f1'))]);
    const { processInstanceKey: pi } = await t.engine.createInstance({ bpmnProcessId: 'mig-scope', variables: { officer: 'li.lei' } });
    // v2: the sub-process is there, and a top-level user task `outer`
    await t.engine.deploy([
      bpmn(
        'mig-scope',
        start +
          flow('f0', 'start', 'sub') +
          sub('sub', 'inner', 'f0', 'f1') +
          flow('f1', 'sub', 'outer') +
          userTask('outer', 'f1', 'f2') +
          flow('f2', 'outer', 'end') +
          end('f2'),
      ),
    ]);
    const v2 = await defKey('mig-scope', 2);

    const out = await refusal(
      t.engine.migrateInstance(pi, {
        targetProcessDefinitionKey: v2,
        mappingInstructions: [
          { sourceElementId: 'sub', targetElementId: 'sub' },
          { sourceElementId: 'inner', targetElementId: 'outer' },
        ],
      }),
    );
    expect(out.code).to.equal('INVALID_STATE');
    expect(out.message).to.contain('element inner would move from flow scope sub (mapped to sub) into flow scope mig-scope');
    const ok = await t.engine.migrateInstance(pi, {
      targetProcessDefinitionKey: v2,
      mappingInstructions: [
        { sourceElementId: 'sub', targetElementId: 'sub' },
        { sourceElementId: 'inner', targetElementId: 'inner' },
      ],
    });
    expect(ok.moves.map((m) => m.targetElementId).sort()).to.deep.equal(['inner', 'mig-scope', 'sub']);
    await t.engine.completeUserTask((await openTask(t.engine, pi, 'inner')).userTaskKey);
    expect((await openTask(t.engine, pi, 'outer')).assignee).to.equal('li.lei');

    const mi = (seq: boolean | null) =>
      bpmn(
        'mig-mi',
        start +
          flow('f0', 'start', 'vote') +
          userTask('vote', 'f0', 'f1').replace(
            '</bpmn:userTask>',
            seq === null
              ? '</bpmn:userTask>'
              : `<bpmn:multiInstanceLoopCharacteristics isSequential="${seq}"><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="= officers" inputElement="officer" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>`,
          ) +
          flow('f1', 'vote', 'end') +
          end('f1'),
      );
    await t.engine.deploy([mi(false)]);
    const votes = await t.engine.createInstance({ bpmnProcessId: 'mig-mi', variables: { officers: ['a', 'b'] } });
    await t.engine.deploy([mi(null)]);
    const dropped = await refusal(
      t.engine.migrateInstance(votes.processInstanceKey, {
        targetProcessDefinitionKey: await defKey('mig-mi', 2),
        mappingInstructions: [{ sourceElementId: 'vote', targetElementId: 'vote' }],
      }),
    );
    expect(dropped.message).to.contain('a multi-instance body cannot be added or removed by migration');
    await t.engine.deploy([mi(true)]);
    const changed = await refusal(
      t.engine.migrateInstance(votes.processInstanceKey, {
        targetProcessDefinitionKey: await defKey('mig-mi', 3),
        mappingInstructions: [{ sourceElementId: 'vote', targetElementId: 'vote' }],
      }),
    );
    expect(changed.message).to.contain('multi-instance vote is parallel and vote is sequential');
    expect((await t.engine.listUserTasks({ processInstanceKey: votes.processInstanceKey, state: 'CREATED' })).map((x) => x.assignee)).to.have.length(2);
  });
  it('given a case in 处置 on the shipped case-handling process, when it moves to a version whose 督办 mark is a new element, then the task, its due date and every deadline timer keep their keys and due times', async () => {
    const v1Xml = readFileSync(new URL('../../processes/case-handling.bpmn', import.meta.url), 'utf8');
    await t.engine.deploy([{ name: 'case-handling.bpmn', xml: v1Xml }]);
    const due = { handleWarnAt: '2026-03-04T09:00:00+08:00', handleDueAt: '2026-03-05T09:00:00+08:00', handleSuperviseAt: '2026-03-06T09:00:00+08:00' };
    const { processInstanceKey: pi } = await t.engine.createInstance({ bpmnProcessId: 'case-handling', variables: { caseId: '42', unitCode: 'D-CGJ' } });
    await t.engine.completeJob((await oneJob(t.engine, 'case-deadline')).key, due);
    const task = await openTask(t.engine, pi, 'handle');
    const timers = await t.engine.listTimers({ processInstanceKey: pi });
    expect(timers.map((x) => x.elementId).sort()).to.deep.equal(['handleDue', 'handleSupervise', 'handleWarn']);
    // v2: the 督办 boundary becomes 红牌督办 with an id of its own
    const v2Xml = v1Xml
      .replace('id="handleDue" name="督办"', 'id="handleDueRed" name="红牌督办"')
      .replace('sourceRef="handleDue"', 'sourceRef="handleDueRed"')
      .replace('bpmnElement="handleDue"', 'bpmnElement="handleDueRed"');
    const [v2] = await t.engine.deploy([{ name: 'case-handling.bpmn', xml: v2Xml }]);
    expect(v2!.version).to.equal(2);

    const same = ['handle', 'handleWarn', 'handleSupervise'].map((id) => ({ sourceElementId: id, targetElementId: id }));
    const result = await t.engine.migrateInstance(pi, {
      targetProcessDefinitionKey: v2!.processDefinitionKey,
      mappingInstructions: [...same, { sourceElementId: 'handleDue', targetElementId: 'handleDueRed' }],
    });

    expect(result.moves.find((m) => m.sourceElementId === 'handle')!.kept!.sort()).to.deep.equal([
      'timer:handleDue→handleDueRed',
      'timer:handleSupervise→handleSupervise',
      'timer:handleWarn→handleWarn',
    ]);
    const after = await t.engine.listTimers({ processInstanceKey: pi });
    const byKey = new Map(after.map((x) => [x.timerKey, x]));
    for (const before of timers) {
      expect(byKey.get(before.timerKey)).to.include({ dueAt: before.dueAt, elementId: before.elementId === 'handleDue' ? 'handleDueRed' : before.elementId });
    }
    expect(await openTask(t.engine, pi, 'handle')).to.deep.include({ userTaskKey: task.userTaskKey, dueDate: task.dueDate, candidateGroups: ['D-CGJ'] });
    expect((await t.engine.getInstance(pi))!.version).to.equal(2);
  });
});
