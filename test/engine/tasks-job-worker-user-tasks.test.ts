import { expect } from 'chai';
import { completedPath, oneJob, openTestEngine, refusal, type TestEngine } from './support/harness.js';
import { straight } from './support/bpmn-xml.js';

/**
 * Job-worker user tasks: a bpmn:userTask without zeebe:userTask. Deprecated since Camunda 8.6 and still executed by
 * 8.8 as a job of type `io.camunda.zeebe:userTask` (one retry) whose headers carry the assignment (Camunda 8 docs,
 * *User tasks*, "Job worker implementation").
 */
const TYPE = 'io.camunda.zeebe:userTask';

const approval = straight('jw-approval', [
  `<bpmn:userTask id="approve" name="Approve">
     <bpmn:extensionElements>
       <zeebe:assignmentDefinition assignee="= officer" candidateGroups="= [unit, &quot;supervisors&quot;]" candidateUsers="li.wei, wang.fang" />
       <zeebe:taskSchedule dueDate="= &quot;2026-03-05T09:00:00+08:00&quot;" followUpDate="2026-03-04T09:00:00Z" />
       <zeebe:formDefinition formKey="camunda-forms:bpmn:approvalForm" />
       <zeebe:taskHeaders><zeebe:header key="channel" value="hotline" /></zeebe:taskHeaders>
       <zeebe:ioMapping><zeebe:output source="= approved" target="decision" /></zeebe:ioMapping>
     </bpmn:extensionElements>
   </bpmn:userTask>`,
  '<bpmn:serviceTask id="notify"><bpmn:extensionElements><zeebe:taskDefinition type="notify" /></bpmn:extensionElements></bpmn:serviceTask>',
]);

describe('engine / job-worker user tasks (no zeebe:userTask)', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
  });
  afterEach(() => t.close());

  it('given a user task without zeebe:userTask, when the instance reaches it, then a job of type io.camunda.zeebe:userTask with one retry carries the evaluated assignment, dates, form key and the model headers, and no Camunda user task is created', async () => {
    const [deployed] = await t.engine.deploy([{ name: 'jw-approval.bpmn', xml: approval }]);
    expect(deployed!.bpmnProcessId).to.equal('jw-approval');
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'jw-approval', variables: { officer: 'zhang.san', unit: 'D-CGJ' } });

    expect(await t.engine.listUserTasks({ processInstanceKey })).to.deep.equal([]);
    const job = await oneJob(t.engine, TYPE);
    expect(job.elementId).to.equal('approve');
    expect(job.retries).to.equal(1);
    expect(job.customHeaders).to.deep.equal({
      channel: 'hotline',
      'io.camunda.zeebe:assignee': 'zhang.san',
      'io.camunda.zeebe:candidateGroups': '["D-CGJ","supervisors"]',
      'io.camunda.zeebe:candidateUsers': '["li.wei","wang.fang"]',
      'io.camunda.zeebe:dueDate': '2026-03-05T01:00:00.000Z',
      'io.camunda.zeebe:followUpDate': '2026-03-04T09:00:00.000Z',
      'io.camunda.zeebe:formKey': 'camunda-forms:bpmn:approvalForm',
    });
    expect(job.variables).to.deep.equal({ officer: 'zhang.san', unit: 'D-CGJ' });
  });

  it('given the job, when a worker completes it, then the output mapping applies and the process goes on', async () => {
    await t.engine.deploy([{ name: 'jw-approval.bpmn', xml: approval }]);
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'jw-approval', variables: { officer: 'zhang.san', unit: 'D-CGJ' } });
    const job = await oneJob(t.engine, TYPE);
    await t.engine.completeJob(job.key, { approved: true });

    expect(await completedPath(t.engine, processInstanceKey)).to.deep.equal(['start', 'approve']);
    const notify = await oneJob(t.engine, 'notify');
    expect(notify.variables).to.deep.equal({ officer: 'zhang.san', unit: 'D-CGJ', decision: true });
    await t.engine.completeJob(notify.key);
    expect((await t.engine.getInstance(processInstanceKey))!.state).to.equal('COMPLETED');
    const history = (await t.engine.history(processInstanceKey)).map((h) => h.intent);
    expect(history).to.include.members(['JOB_CREATED', 'JOB_COMPLETED']);
    expect(history).to.not.include('USER_TASK_CREATED');
  });

  it('given a job-worker user task whose job fails with no retries left, then a JOB_NO_RETRIES incident is raised as for any job', async () => {
    await t.engine.deploy([{ name: 'jw-approval.bpmn', xml: approval }]);
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'jw-approval', variables: { officer: 'a', unit: 'u' } });
    const job = await oneJob(t.engine, TYPE);
    await t.engine.failJob(job.key, { retries: 0, errorMessage: 'inbox down' });
    const incidents = await t.engine.listIncidents({ processInstanceKey });
    expect(incidents.map((i) => [i.elementId, i.errorType])).to.deep.equal([['approve', 'JOB_NO_RETRIES']]);
  });

  it('given a linked form (formId), when the job is created, then the formKey header is the key of the latest deployed form; without that form, a FORM_NOT_FOUND incident until it is deployed', async () => {
    const xml = straight('jw-linked', [
      '<bpmn:userTask id="fill"><bpmn:extensionElements><zeebe:formDefinition formId="intake-form" /></bpmn:extensionElements></bpmn:userTask>',
    ]);
    await t.engine.deploy([{ name: 'jw-linked.bpmn', xml }]);
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: 'jw-linked' });
    const [incident] = await t.engine.listIncidents({ processInstanceKey });
    expect(incident!.errorType).to.equal('FORM_NOT_FOUND');
    expect(incident!.errorMessage).to.contain("form with id 'intake-form'");

    await t.engine.deploy([{ name: 'intake.form', xml: JSON.stringify({ id: 'intake-form', type: 'default', components: [] }) }]);
    await t.engine.resolveIncident(incident!.incidentKey);
    const job = await oneJob(t.engine, TYPE);
    expect(job.customHeaders['io.camunda.zeebe:formKey']).to.match(/^\d+$/);
  });

  it('given a model header that uses a name Zeebe reserves (io.camunda.zeebe:assignee), when deployed, then it is refused naming the task', async () => {
    const xml = straight('jw-restricted', [
      '<bpmn:userTask id="u"><bpmn:extensionElements><zeebe:taskHeaders><zeebe:header key="io.camunda.zeebe:assignee" value="x" /></zeebe:taskHeaders></bpmn:extensionElements></bpmn:userTask>',
    ]);
    const error = await refusal(t.engine.deploy([{ name: 'jw-restricted.bpmn', xml }]));
    expect(error.details).to.deep.equal([
      {
        resource: 'jw-restricted.bpmn',
        elementId: 'u',
        message: "task header 'io.camunda.zeebe:assignee' is restricted: Zeebe sets it itself",
        key: 'restricted_header',
        params: { header: 'io.camunda.zeebe:assignee' },
      },
    ]);
  });
});
