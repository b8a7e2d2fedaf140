import { expect } from 'chai';
import { AuditRecords, Cases, InboxTasks } from '../support/tables.js';
import type { MigrationPreview } from '../../port/workflow-engine.js';
import { eventually } from '../processes/support/process-harness.js';
import { probeProcess } from '../support/probe-process.js';
import { openApiWorld, snapshot, type ApiWorld } from './support/api-world.js';
import { probeCase } from './support/operations-probes.js';

type Json = Record<string, unknown>;
interface Instance {
  processInstanceKey: string;
  version: number;
  processDefinitionKey: string;
}

const USER_TASK = '<bpmn:extensionElements><zeebe:userTask /><zeebe:assignmentDefinition candidateGroups="ops" /></bpmn:extensionElements>';
/** XML 1: start → 核查 (user task) → end; 2: the same task renamed 复核, with a 48 h deadline timer; 3: the task became a service task */
const version = (processId: string, v: 1 | 2 | 3) => ({
  name: `${processId}.bpmn`,
  content: probeProcess({
    processId,
    processName: '迁移探针',
    names: { start: '开始', task: v === 1 ? '核查' : '复核', end: '结束' },
    ...(v === 3
      ? { taskXml: '<bpmn:extensionElements><zeebe:taskDefinition type="ops-mig-auto" /></bpmn:extensionElements>' }
      : { taskType: 'bpmn:userTask', taskXml: USER_TASK }),
    ...(v === 2
      ? {
          extra:
            '<bpmn:boundaryEvent id="deadline" attachedToRef="task"><bpmn:outgoing>f9</bpmn:outgoing><bpmn:timerEventDefinition><bpmn:timeDuration>PT48H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent><bpmn:sequenceFlow id="f9" sourceRef="deadline" targetRef="late" /><bpmn:endEvent id="late"><bpmn:incoming>f9</bpmn:incoming></bpmn:endEvent>',
        }
      : {}),
  }),
});

describe('REST API: operations — migrate running instances to a new version (issue 18)', function () {
  this.timeout(120_000);
  let api: ApiWorld;
  let admin: string;

  before(async () => {
    api = await openApiWorld();
    admin = await api.login('admin');
    const port = api.world.port;
    // instances start on the latest version: each test makes its instances before it deploys the target
    for (const id of ['ops-mig', 'ops-mig-refused', 'ops-mig-batch', 'ops-mig-from', 'ops-mig-audit']) await port.deploy([version(id, 1)]);
  });
  after(() => api.close());

  const defKey = async (processId: string, v: number) =>
    (await api.world.port.listProcessDefinitions()).find((d) => d.bpmnProcessId === processId && d.version === v)!.processDefinitionKey;
  /** deploys the XML of `v` (a new version of the process) and returns its definition key */
  const deployAs = async (processId: string, v: 1 | 2 | 3) => (await api.world.port.deploy([version(processId, v)])).processes[0]!.processDefinitionKey;
  const instance = async (key: string) => (await api.call<Instance>('GET', `/operations/instances/${key}`, { token: admin })).body;
  const mapTask = (target: string) => ({ targetProcessDefinitionKey: target, mappingInstructions: [{ sourceElementId: 'task', targetElementId: 'task' }] });

  it('given a case waiting at a user task on v1, when the administrator previews and migrates it to v2, then the task keeps its key, the instance runs v2 (its deadline timer opened) and the audit names who and why', async () => {
    const { caseRow, processInstanceKey } = await probeCase(api.world.port, 'ops-mig');
    const v2 = await deployAs('ops-mig', 2);
    const engine = (
      api.world.port as unknown as { engine: { listUserTasks(f: object): Promise<Array<{ userTaskKey: string; elementId: string; bpmnProcessId: string }>> } }
    ).engine;
    const task = await eventually('the user task', async () => (await engine.listUserTasks({ processInstanceKey, state: 'CREATED' }))[0] ?? null);

    const preview = await api.call<MigrationPreview>('POST', `/operations/instances/${processInstanceKey}/migration/preview`, {
      token: admin,
      body: { plan: mapTask(v2) },
    });
    expect(preview.status, JSON.stringify(preview.body)).to.equal(200);
    expect(preview.body.migratable).to.equal(true);
    expect(preview.body.moves.find((m) => m.sourceElementId === 'task')).to.deep.include({ userTaskKey: task.userTaskKey, opened: ['timer:deadline'] });
    expect((await instance(processInstanceKey)).version).to.equal(1);

    const res = await api.call<Json>('POST', `/operations/instances/${processInstanceKey}/migration`, {
      token: admin,
      body: { plan: mapTask(v2), reason: '新版本增加48小时复核时限' },
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body['version']).to.equal(2);
    expect(await instance(processInstanceKey)).to.include({ version: 2, processDefinitionKey: v2 });
    const record = (await AuditRecords.findOne({ where: { action: 'ops_instance_migrated', caseId: caseRow.id } }))!;
    expect(record.actor).to.equal('admin');
    expect(record.detail).to.deep.include({
      reason: '新版本增加48小时复核时限',
      processInstanceKey,
      caseNo: caseRow.caseNo,
      fromVersion: 1,
      toVersion: 2,
      toProcessDefinitionKey: v2,
    });
    expect((await engine.listUserTasks({ processInstanceKey, state: 'CREATED' })).map((t) => t.userTaskKey)).to.deep.equal([task.userTaskKey]);
  });

  it('given a case on one process, when its instance is migrated to another process, then the case record names the new process (in the same audit record) and its history draws the target', async () => {
    const { caseRow, processInstanceKey } = await probeCase(api.world.port, 'ops-mig-from');
    const target = await deployAs('ops-mig-to', 2);
    await eventually('the task in the inbox', async () => (await InboxTasks.count({ where: { processInstanceKey } })) === 1);
    const res = await api.call<Json>('POST', `/operations/instances/${processInstanceKey}/migration`, {
      token: admin,
      body: { plan: mapTask(target), reason: '并入新流程' },
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect((await Cases.findByPk(caseRow.id))!.processId).to.equal('ops-mig-to');
    const record = (await AuditRecords.findOne({ where: { action: 'ops_instance_migrated', caseId: caseRow.id } }))!;
    expect(record.detail).to.deep.include({
      bpmnProcessId: 'ops-mig-from',
      toBpmnProcessId: 'ops-mig-to',
      caseProcessId: { from: 'ops-mig-from', to: 'ops-mig-to' },
    });
    const history = await api.call<{ diagram: Json }>('GET', `/cases/${caseRow.id}/history`, { token: admin });
    expect(history.body.diagram).to.deep.equal({ bpmnProcessId: 'ops-mig-to', version: 1, processDefinitionKey: target });
  });

  it('given a plan that changes the task into a service task or leaves it unmapped, when migrating, then 409 migration_refused names the element and why, and nothing changes', async () => {
    const { processInstanceKey } = await probeCase(api.world.port, 'ops-mig-refused');
    const v1 = await defKey('ops-mig-refused', 1);
    const v3 = await deployAs('ops-mig-refused', 3);
    const auditor = await api.login('auditor');
    await eventually('the task in the inbox', async () => (await InboxTasks.count({ where: { processInstanceKey } })) === 1);
    const state = await snapshot();

    const typeChange = await api.call<Json & { details: { refusals: Array<{ elementId: string; reason: string }> } }>(
      'POST',
      `/operations/instances/${processInstanceKey}/migration`,
      { token: admin, body: { plan: mapTask(v3), reason: '试迁移' } },
    );
    expect([typeChange.status, typeChange.body['code']]).to.deep.equal([409, 'migration_refused']);
    expect(typeChange.body.details.refusals.map((r) => r.elementId)).to.deep.equal(['task']);
    expect(typeChange.body.details.refusals[0]!.reason).to.contain('is a userTask and cannot become task, a serviceTask');
    const unmapped = await api.call<Json & { details: { refusals: Array<{ elementId: string }> } }>(
      'POST',
      `/operations/instances/${processInstanceKey}/migration`,
      { token: admin, body: { plan: { targetProcessDefinitionKey: v3, mappingInstructions: [] }, reason: '试迁移' } },
    );
    expect([unmapped.status, unmapped.body['code'], unmapped.body.details.refusals[0]!.elementId]).to.deep.equal([409, 'migration_refused', 'task']);

    const preview = await api.call<{ total: number; migratable: number; refused: number; items: Array<{ processInstanceKey: string; refusals: unknown[] }> }>(
      'POST',
      '/operations/migrations/preview',
      { token: admin, body: { plan: mapTask(v3), filter: { bpmnProcessId: 'ops-mig-refused', version: 1 } } },
    );
    expect(preview.status).to.equal(200);
    expect(preview.body).to.include({ total: 1, migratable: 0, refused: 1 });
    expect(preview.body.items[0]!.refusals).to.have.length(1);

    const bad: Array<[string, unknown, number, string]> = [
      [`/operations/instances/${processInstanceKey}/migration`, { plan: mapTask(v3) }, 400, 'invalid_input'],
      [
        `/operations/instances/${processInstanceKey}/migration`,
        { plan: { targetProcessDefinitionKey: 'x', mappingInstructions: [] }, reason: 'r' },
        400,
        'invalid_input',
      ],
      [
        `/operations/instances/${processInstanceKey}/migration`,
        { plan: { targetProcessDefinitionKey: '2251799813685249999', mappingInstructions: [] }, reason: 'r' },
        409,
        'migration_refused',
      ],
      ['/operations/instances/2251799813685249999/migration', { plan: mapTask(v3), reason: 'r' }, 404, 'instance_not_found'],
      ['/operations/migrations', { plan: mapTask(v3), reason: 'r', filter: { bpmnProcessId: 'no-such-process' } }, 422, 'batch_empty'],
    ];
    for (const [path, body, status, code] of bad) {
      const r = await api.call<Json>('POST', path, { token: admin, body });
      expect([r.status, r.body['code']], `${path} ${JSON.stringify(body)}`).to.deep.equal([status, code]);
    }
    expect(
      (await api.call('POST', `/operations/instances/${processInstanceKey}/migration`, { token: auditor, body: { plan: mapTask(v3), reason: 'r' } })).status,
    ).to.equal(403);
    expect(await snapshot()).to.equal(state);
    expect(await instance(processInstanceKey)).to.include({ version: 1, processDefinitionKey: v1 });
  });

  it('given running instances of a version, when a batch migration runs over the filter, then it reports a result per instance and each is on the target version, audited with the batch id', async () => {
    const a = await probeCase(api.world.port, 'ops-mig-batch');
    const b = await probeCase(api.world.port, 'ops-mig-batch');
    const v2 = await deployAs('ops-mig-batch', 2);

    const started = await api.call<{ id: string; total: number }>('POST', '/operations/migrations', {
      token: admin,
      body: { plan: mapTask(v2), reason: '批量迁移到新版本', filter: { bpmnProcessId: 'ops-mig-batch', version: 1 } },
    });
    expect(started.status, JSON.stringify(started.body)).to.equal(202);
    expect(started.body.total).to.equal(2);
    const done = await eventually('the batch finished', async () => {
      const r = await api.call<{ state: string; processed: number; failed: number; items: Array<{ processInstanceKey: string; state: string }> }>(
        'GET',
        `/operations/batches/${started.body.id}`,
        { token: admin },
      );
      return r.body.state === 'finished' ? r.body : null;
    });
    expect(done).to.include({ processed: 2, failed: 0 });
    expect(done.items.map((i) => i.state)).to.deep.equal(['done', 'done']);
    for (const { processInstanceKey } of [a, b]) expect(await instance(processInstanceKey)).to.include({ version: 2, processDefinitionKey: v2 });
    const records = await AuditRecords.findAll({ where: { action: 'ops_instance_migrated' } });
    expect(
      records
        .filter((r) => (r.detail as Json)['batchId'] === started.body.id)
        .map((r) => (r.detail as Json)['processInstanceKey'])
        .sort(),
    ).to.deep.equal([a.processInstanceKey, b.processInstanceKey].sort());
  });

  it('given migrations done one by one and as a batch, when the auditor reads, then previews are open to the auditor (writing nothing), the batch and each instance name who migrated and why from the audit chain, and migrating stays refused', async () => {
    const a = await probeCase(api.world.port, 'ops-mig-audit');
    const b = await probeCase(api.world.port, 'ops-mig-audit');
    const v2 = await deployAs('ops-mig-audit', 2);
    const auditor = await api.login('auditor');
    await eventually(
      'both tasks in the inbox',
      async () => (await InboxTasks.count({ where: { processInstanceKey: [a.processInstanceKey, b.processInstanceKey] } })) === 2,
    );

    const state = await snapshot();
    const batchPreview = await api.call<{ total: number; migratable: number }>('POST', '/operations/migrations/preview', {
      token: auditor,
      body: { plan: mapTask(v2), filter: { bpmnProcessId: 'ops-mig-audit', version: 1 } },
    });
    expect(batchPreview.status, JSON.stringify(batchPreview.body)).to.equal(200);
    expect(batchPreview.body).to.include({ total: 2, migratable: 2 });
    const onePreview = await api.call<MigrationPreview>('POST', `/operations/instances/${a.processInstanceKey}/migration/preview`, {
      token: auditor,
      body: { plan: mapTask(v2) },
    });
    expect([onePreview.status, onePreview.body.migratable]).to.deep.equal([200, true]);
    for (const [path, body] of [
      [`/operations/instances/${a.processInstanceKey}/migration`, { plan: mapTask(v2), reason: '审计员不能迁移' }],
      ['/operations/migrations', { plan: mapTask(v2), reason: '审计员不能迁移', filter: { bpmnProcessId: 'ops-mig-audit' } }],
    ] as const) {
      expect((await api.call('POST', path, { token: auditor, body })).status, path).to.equal(403);
    }
    expect(await snapshot(), 'a preview writes nothing').to.equal(state);

    const one = await api.call('POST', `/operations/instances/${a.processInstanceKey}/migration`, {
      token: admin,
      body: { plan: mapTask(v2), reason: '先迁移一件试点' },
    });
    expect(one.status, JSON.stringify(one.body)).to.equal(200);
    const started = await api.call<{ id: string }>('POST', '/operations/migrations', {
      token: admin,
      body: { plan: mapTask(v2), reason: '其余案件批量迁移', filter: { bpmnProcessId: 'ops-mig-audit', version: 1 } },
    });
    expect(started.status, JSON.stringify(started.body)).to.equal(202);
    await eventually('the batch finished', async () => {
      const r = await api.call<{ state: string }>('GET', `/operations/batches/${started.body.id}`, { token: auditor });
      return r.body.state === 'finished';
    });

    const batches = await api.call<Array<Record<string, unknown>>>('GET', '/operations/batches?limit=5', { token: auditor });
    expect(batches.status).to.equal(200);
    // newest first; two batches started within the same second (MariaDB keeps whole seconds) may come either way round
    const createdAt = batches.body.map((x) => Date.parse(String(x['createdAt'])));
    expect(createdAt, 'newest first').to.deep.equal([...createdAt].sort((x, y) => y - x));
    expect(batches.body.find((x) => x['id'] === started.body.id)).to.include({
      id: started.body.id,
      action: 'migrate',
      actor: 'admin',
      reason: '其余案件批量迁移',
      state: 'finished',
      total: 1,
      failed: 0,
    });
    expect((await api.call('GET', '/operations/batches?limit=0', { token: auditor })).status).to.equal(400);

    type Read = { actions: Array<{ auditId: string; action: string; actor: string; actorRole: string; reason: string; batchId: string | null; hash: string }> };
    const readA = (await api.call<Read>('GET', `/operations/instances/${a.processInstanceKey}`, { token: auditor })).body;
    const readB = (await api.call<Read>('GET', `/operations/instances/${b.processInstanceKey}`, { token: auditor })).body;
    const recordA = (await AuditRecords.findOne({ where: { action: 'ops_instance_migrated', caseId: a.caseRow.id } }))!;
    expect(readA.actions).to.deep.equal([
      {
        auditId: recordA.id,
        action: 'ops_instance_migrated',
        actor: 'admin',
        actorRole: 'admin',
        at: new Date(recordA.createdAt).toISOString(),
        reason: '先迁移一件试点',
        batchId: null,
        hash: recordA.hash,
        detail: recordA.detail,
      },
    ]);
    expect(readB.actions.map((x) => [x.action, x.actor, x.reason, x.batchId])).to.deep.equal([
      ['ops_instance_migrated', 'admin', '其余案件批量迁移', started.body.id],
    ]);
  });
});
