import { expect } from 'chai';
import { AuditRecords, Cases } from '../support/tables.js';
import { bpmnError, complete, type RunningWorkers } from '../../port/workflow-engine.js';
import { eventually } from '../processes/support/process-harness.js';
import { BPMN_NS, probeProcess } from '../support/probe-process.js';
import { openApiWorld, type ApiWorld } from './support/api-world.js';
import { probeCase } from './support/operations-probes.js';

type Json = Record<string, unknown>;
interface Incident {
  incidentKey: string;
  elementId: string;
  errorType: string;
  errorMessage: string;
  jobKey: string | null;
}

const task = (xml: string) => `<bpmn:extensionElements>${xml}</bpmn:extensionElements>`;
/** start → a message catch event on `= orderId` → end */
const MESSAGE_WAIT = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${BPMN_NS} id="d" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="ops-inc-extract" name="等待缴款" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:intermediateCatchEvent id="awaitPayment" name="等待缴款"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing><bpmn:messageEventDefinition messageRef="m_paid" /></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="awaitPayment" />
    <bpmn:sequenceFlow id="f2" sourceRef="awaitPayment" targetRef="end" />
  </bpmn:process>
  <bpmn:message id="m_paid" name="ops-inc-paid"><bpmn:extensionElements><zeebe:subscription correlationKey="= orderId" /></bpmn:extensionElements></bpmn:message>
</bpmn:definitions>`;

/**
 * The incident types the embedded engine raises besides a job out of retries and an undecidable gateway
 * (operations.test.ts), each raised in a case's instance and repaired through the operations API as an
 * administrator would after the fix: a failing input mapping and a correlation key that cannot be read (set
 * the variable, resolve), a called process not deployed (deploy it, retry), an error code no boundary catches
 * (retry: the job is offered again). Every repair is audited with who and why.
 */
describe('REST API: operations — every incident type raised and repaired (issue 18)', function () {
  this.timeout(120_000);
  let api: ApiWorld;
  let admin: string;
  let workers: RunningWorkers;
  const thrower = { code: 'NOT_FOUND' as string | null };
  const mapped: unknown[] = [];

  before(async () => {
    api = await openApiWorld();
    admin = await api.login('admin');
    await api.world.port.deploy([
      {
        name: 'ops-inc-io.bpmn',
        content: probeProcess({
          processId: 'ops-inc-io',
          processName: '输入映射探针',
          names: { start: '开始', task: '派单', end: '结束' },
          taskXml: task(
            '<zeebe:taskDefinition type="ops-inc-io" /><zeebe:ioMapping><zeebe:input source="= assert(unitCode, unitCode != null)" target="unit" /></zeebe:ioMapping>',
          ),
        }),
      },
      { name: 'ops-inc-extract.bpmn', content: MESSAGE_WAIT },
      {
        name: 'ops-inc-call.bpmn',
        content: probeProcess({
          processId: 'ops-inc-call',
          processName: '调用探针',
          names: { start: '开始', task: '调用子流程', end: '结束' },
          taskType: 'bpmn:callActivity',
          taskXml: task('<zeebe:calledElement processId="ops-inc-child" propagateAllChildVariables="false" />'),
        }),
      },
      {
        name: 'ops-inc-error.bpmn',
        content: probeProcess({
          processId: 'ops-inc-error',
          processName: '错误码探针',
          names: { start: '开始', task: '发送通知', end: '结束' },
          taskXml: task('<zeebe:taskDefinition type="ops-inc-error" />'),
        }),
      },
    ]);
    workers = await api.world.port.startWorkers([
      {
        type: 'ops-inc-io',
        handler: async (job) => {
          mapped.push(job.variables['unit']);
          return complete();
        },
      },
      { type: 'ops-inc-child', handler: async () => complete() },
      { type: 'ops-inc-error', handler: async () => (thrower.code ? bpmnError(thrower.code, '收件人不存在') : complete()) },
    ]);
  });
  after(async () => {
    await workers?.close();
    await api?.close();
  });

  const incidentOf = (key: string) =>
    eventually(`an incident in ${key}`, async () => {
      const r = await api.call<Incident[]>('GET', `/operations/instances/${key}/incidents`, { token: admin });
      return r.body.length ? r.body[0]! : null;
    });
  const completed = (key: string) => eventually(`instance ${key} completed`, async () => (await api.world.port.getInstance(key))?.state === 'COMPLETED');
  const post = async (path: string, body: Json) => {
    const r = await api.call<Json>('POST', path, { token: admin, body });
    expect(r.status, `${path}: ${JSON.stringify(r.body)}`).to.equal(200);
    return r.body;
  };
  const audited = async (caseId: string, action: string) => (await AuditRecords.findOne({ where: { action, caseId } }))!.detail as Json;

  it('given an input mapping that asserts a variable the case lacks, when the administrator sets it and resolves, then the job is created with the mapped value and the instance completes (IO_MAPPING_ERROR)', async () => {
    const { caseRow, processInstanceKey } = await probeCase(api.world.port, 'ops-inc-io');
    const incident = await incidentOf(processInstanceKey);
    expect(incident).to.include({ elementId: 'task', errorType: 'IO_MAPPING_ERROR', jobKey: null });
    expect(incident.errorMessage).to.contain("mapping 'unit'");
    await post(`/operations/incidents/${incident.incidentKey}/variables`, { reason: '补录责任单位', variables: { unitCode: 'D-CGJ' } });
    await completed(processInstanceKey);
    expect(mapped).to.deep.equal(['D-CGJ']);
    expect(await audited(caseRow.id, 'ops_variables_set')).to.deep.include({ errorType: 'IO_MAPPING_ERROR', variables: { unitCode: 'D-CGJ' } });
  });

  it('given a message catch event whose correlation key cannot be read, when the key is set and the incident resolved, then the subscription opens and the message continues the instance (EXTRACT_VALUE_ERROR)', async () => {
    const { caseRow, processInstanceKey } = await probeCase(api.world.port, 'ops-inc-extract');
    const incident = await incidentOf(processInstanceKey);
    expect(incident).to.include({ elementId: 'awaitPayment', errorType: 'EXTRACT_VALUE_ERROR' });
    await post(`/operations/incidents/${incident.incidentKey}/variables`, { reason: '补录缴款单号', variables: { orderId: 'JK-2026-001' } });
    await api.world.port.publishMessage({ name: 'ops-inc-paid', correlationKey: 'JK-2026-001', variables: {}, timeToLiveMs: 60_000 });
    await completed(processInstanceKey);
    expect(await audited(caseRow.id, 'ops_variables_set')).to.deep.include({ errorType: 'EXTRACT_VALUE_ERROR', variables: { orderId: 'JK-2026-001' } });
  });

  it('given a call activity whose process is not deployed, when the administrator retries before and after deploying it, then the first retry raises it again and the second runs the child (CALLED_ELEMENT_ERROR)', async () => {
    const { caseRow, processInstanceKey } = await probeCase(api.world.port, 'ops-inc-call');
    const first = await incidentOf(processInstanceKey);
    expect(first).to.include({ elementId: 'task', errorType: 'CALLED_ELEMENT_ERROR' });
    expect(first.errorMessage).to.contain('ops-inc-child');
    await post(`/operations/incidents/${first.incidentKey}/retry`, { reason: '先重试一次' });
    const second = await eventually('the incident raised again', async () => {
      const r = await api.call<Incident[]>('GET', `/operations/instances/${processInstanceKey}/incidents`, { token: admin });
      return r.body.find((i) => i.incidentKey !== first.incidentKey) ?? null;
    });
    expect(second.errorType).to.equal('CALLED_ELEMENT_ERROR');
    await api.world.port.deploy([
      {
        name: 'ops-inc-child.bpmn',
        content: probeProcess({
          processId: 'ops-inc-child',
          processName: '子流程',
          names: { start: '开始', task: '子任务', end: '结束' },
          taskXml: task('<zeebe:taskDefinition type="ops-inc-child" />'),
        }),
      },
    ]);
    await post(`/operations/incidents/${second.incidentKey}/retry`, { reason: '子流程已部署，重试' });
    await completed(processInstanceKey);
    const retried = await AuditRecords.findAll({ where: { action: 'ops_incident_retried', caseId: caseRow.id } });
    expect(retried.map((r) => (r.detail as Json)['reason'])).to.deep.equal(['先重试一次', '子流程已部署，重试']);
    // the inbox forgets a repaired case
    const stuck = await api.call<{ items: Array<{ caseNo: string }> }>('GET', '/tasks/incidents', { token: admin });
    expect(stuck.body.items.map((c) => c.caseNo)).to.not.include(caseRow.caseNo);
  });

  it('given a worker that throws an error code no boundary catches, when the administrator retries after the fix, then the same job is offered again and completes (UNHANDLED_ERROR_EVENT)', async () => {
    thrower.code = 'NOT_FOUND';
    const { caseRow, processInstanceKey } = await probeCase(api.world.port, 'ops-inc-error');
    const incident = await incidentOf(processInstanceKey);
    expect(incident).to.include({ elementId: 'task', errorType: 'UNHANDLED_ERROR_EVENT' });
    expect(incident.jobKey).to.match(/^\d+$/);
    thrower.code = null;
    await post(`/operations/incidents/${incident.incidentKey}/retry`, { reason: '收件人已更正' });
    await completed(processInstanceKey);
    expect(await audited(caseRow.id, 'ops_incident_retried')).to.deep.include({ errorType: 'UNHANDLED_ERROR_EVENT', jobKey: incident.jobKey });
    expect((await Cases.findByPk(caseRow.id))!.status).to.equal('handling');
  });
});
