import { expect } from 'chai';
import { AuditRecords, Cases, OutboxMessages, query } from '../support/tables.js';
import { dailyOverdueDigest } from '../../domain/schedule/index.js';
import { eventually } from '../processes/support/process-harness.js';
import { openApiWorld, snapshot, type ApiWorld } from './support/api-world.js';
import { deployProbes, GATEWAY_PROBE, JOB_PROBE, probeCase, type Probes } from './support/operations-probes.js';

type Json = Record<string, unknown>;
interface Incident {
  incidentKey: string;
  processInstanceKey: string;
  elementId: string;
  errorType: string;
  errorMessage: string;
  jobKey: string | null;
  jobRetries: number | null;
}
interface Instance {
  processInstanceKey: string;
  state: string;
  version: number;
  openIncidents: number;
  case: { caseNo: string } | null;
  incidents?: Incident[];
}
interface Batch {
  id: string;
  state: string;
  total: number;
  processed: number;
  failed: number;
  items: Array<{ processInstanceKey: string; state: string; done: number; caseNo: string | null }>;
}

describe('REST API: operations — see and repair what is stuck (issue 18)', function () {
  this.timeout(120_000);
  let api: ApiWorld;
  let admin: string;
  let probes: Probes;

  before(async () => {
    api = await openApiWorld();
    admin = await api.login('admin');
    probes = await deployProbes(api.world.port);
  });
  after(async () => {
    await probes.workers.close();
    await api.close();
  });

  const get = async <T>(path: string, user = 'admin') => {
    const res = await api.call<T>('GET', path, { token: await api.login(user) });
    expect(res.status, `${path}: ${JSON.stringify(res.body).slice(0, 300)}`).to.equal(200);
    return res.body;
  };
  const incidentsOf = (key: string) =>
    eventually(`an incident in ${key}`, async () => {
      const list = await get<Incident[]>(`/operations/instances/${key}/incidents`);
      return list.length ? list : null;
    });
  const stateOf = async (key: string) => (await get<Instance>(`/operations/instances/${key}`)).state;

  it('given a worker that fails its job with no retries left, when the administrator lists and retries it after the fix, then the incident shows where and why and the case moves on, audited with who and why', async () => {
    probes.fixed.value = false;
    const { caseRow, processInstanceKey } = await probeCase(api.world.port, JOB_PROBE);
    const [incident] = await incidentsOf(processInstanceKey);
    expect(incident).to.include({ processInstanceKey, elementId: 'task', errorType: 'JOB_NO_RETRIES', errorMessage: '接口 503：服务不可用', jobRetries: 0 });
    expect(incident!.jobKey).to.match(/^\d+$/);

    const listed = await get<{ items: Instance[]; next: string | null }>(
      `/operations/instances?bpmnProcessId=${JOB_PROBE}&state=INCIDENT&incidentType=JOB_NO_RETRIES`,
    );
    const row = listed.items.find((i) => i.processInstanceKey === processInstanceKey)!;
    expect(row.openIncidents).to.equal(1);
    expect(row.case!.caseNo).to.equal(caseRow.caseNo);
    expect((await get<{ items: Instance[] }>(`/operations/instances?caseNo=${caseRow.caseNo}`)).items.map((i) => i.processInstanceKey)).to.deep.equal([
      processInstanceKey,
    ]);

    const processes =
      await get<Array<{ bpmnProcessId: string; openIncidents: number; versions: Array<{ processDefinitionKey: string; openIncidents: number }> }>>(
        '/operations/processes',
      );
    const probe = processes.find((p) => p.bpmnProcessId === JOB_PROBE)!;
    expect(probe.openIncidents).to.be.at.least(1);
    const stats = await get<Array<{ elementId: string; active: number; incidents: number }>>(
      `/operations/definitions/${probe.versions[0]!.processDefinitionKey}/statistics`,
    );
    expect(stats.find((s) => s.elementId === 'task')!.incidents).to.be.at.least(1);
    const xml = await api.call<string>('GET', `/operations/definitions/${probe.versions[0]!.processDefinitionKey}/xml`, { token: admin });
    expect(xml.body).to.contain(`id="${JOB_PROBE}"`);

    // visible where people look: the centre's inbox lists the stuck case, its history shows the incident
    type Stuck = { total: number; items: Array<{ caseId: string; caseNo: string; incidents: Array<{ elementId: string; errorMessage: string }> }> };
    const stuck = await get<Stuck>('/tasks/incidents', 'operator');
    const listedCase = stuck.items.find((c) => c.caseNo === caseRow.caseNo)!;
    expect(listedCase.caseId).to.equal(caseRow.id);
    expect(listedCase.incidents).to.deep.equal([
      { ...listedCase.incidents[0], elementId: 'task', errorType: 'JOB_NO_RETRIES', errorMessage: '接口 503：服务不可用', incidentKey: incident!.incidentKey },
    ]);
    expect((await api.call('GET', '/tasks/incidents', { token: await api.login('clerk') })).status, "a unit's staff").to.equal(403);
    type History = { timeline: Array<{ intent?: string; elementId?: string }>; highlights: { incidents: string[] } };
    const stuckHistory = await get<History>(`/cases/${caseRow.id}/history`, 'operator');
    expect(stuckHistory.highlights.incidents).to.deep.equal(['task']);
    expect(stuckHistory.timeline.some((e) => e.intent === 'INCIDENT_CREATED' && e.elementId === 'task')).to.equal(true);

    probes.fixed.value = true;
    const retried = await api.call<Json>('POST', `/operations/incidents/${incident!.incidentKey}/retry`, {
      token: admin,
      body: { reason: '接口已恢复，重试' },
    });
    expect(retried.status, JSON.stringify(retried.body)).to.equal(200);
    await eventually('the instance completed', async () => (await stateOf(processInstanceKey)) === 'COMPLETED');
    const record = (await AuditRecords.findOne({ where: { action: 'ops_incident_retried', caseId: caseRow.id } }))!;
    expect(record.actor).to.equal('admin');
    expect(record.detail).to.include({ reason: '接口已恢复，重试', incidentKey: incident!.incidentKey, errorType: 'JOB_NO_RETRIES', caseNo: caseRow.caseNo });

    const again = await api.call<Json>('POST', `/operations/incidents/${incident!.incidentKey}/retry`, { token: admin, body: { reason: '再试一次' } });
    expect([again.status, again.body['code']]).to.deep.equal([409, 'incident_resolved']);
    // repaired: gone from the inbox, resolved in the history
    expect((await get<Stuck>('/tasks/incidents', 'operator')).items.map((c) => c.caseNo)).to.not.include(caseRow.caseNo);
    const repairedHistory = await get<History>(`/cases/${caseRow.id}/history`, 'operator');
    expect(repairedHistory.highlights.incidents).to.deep.equal([]);
    expect(repairedHistory.timeline.some((e) => e.intent === 'INCIDENT_RESOLVED' && e.elementId === 'task')).to.equal(true);

    // the auditor reads on the instance who retried it and why, as the audit chain holds it
    const read = await get<{ actions: Array<Record<string, unknown>> }>(`/operations/instances/${processInstanceKey}`, 'auditor');
    expect(read.actions).to.have.length(1);
    expect(read.actions[0]).to.include({
      auditId: record.id,
      action: 'ops_incident_retried',
      actor: 'admin',
      actorRole: 'admin',
      reason: '接口已恢复，重试',
      batchId: null,
      hash: record.hash,
    });
  });

  it('given a gateway whose condition cannot be decided (a missing variable), when the variable is set on the instance and the incident resolved, then the instance takes the flow the value chooses', async () => {
    const { caseRow, processInstanceKey } = await probeCase(api.world.port, GATEWAY_PROBE);
    const [incident] = await incidentsOf(processInstanceKey);
    expect(incident).to.include({ elementId: 'xor', errorType: 'CONDITION_ERROR', jobKey: null, jobRetries: null });
    const listed = await get<{ items: Instance[] }>(`/operations/instances?incidentType=CONDITION_ERROR&elementId=xor`);
    expect(listed.items.map((i) => i.processInstanceKey)).to.include(processInstanceKey);

    const res = await api.call<Json>('POST', `/operations/incidents/${incident!.incidentKey}/variables`, {
      token: admin,
      body: { reason: '补录优先级', variables: { priority: 'low' } },
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    await eventually('the instance completed', async () => (await stateOf(processInstanceKey)) === 'COMPLETED');
    const ended = (await api.world.engine.history(processInstanceKey)).filter((e) => e.intent === 'ELEMENT_COMPLETED').map((e) => e.elementId);
    expect(ended).to.include('end_routine').and.not.include('end_urgent');
    const record = (await AuditRecords.findOne({ where: { action: 'ops_variables_set', caseId: caseRow.id } }))!;
    expect(record.detail).to.deep.include({ reason: '补录优先级', variables: { priority: 'low' }, scope: 'instance', errorType: 'CONDITION_ERROR' });
  });

  it('given a broken instance, when the administrator cancels it with a reason, then the instance ends, the case is closed with the reason recorded, and a second cancel changes nothing', async () => {
    probes.fixed.value = false;
    const { caseRow, processInstanceKey } = await probeCase(api.world.port, JOB_PROBE);
    await incidentsOf(processInstanceKey);
    const res = await api.call<Json>('POST', `/operations/instances/${processInstanceKey}/cancel`, { token: admin, body: { reason: '重复立案，撤销流程' } });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(await stateOf(processInstanceKey)).to.equal('TERMINATED');
    expect(await get<Incident[]>(`/operations/instances/${processInstanceKey}/incidents`), 'no incident left open').to.deep.equal([]);
    const c = (await Cases.findByPk(caseRow.id))!;
    expect(c.status).to.equal('closed');
    expect(c.closedAt).to.be.instanceOf(Date);
    const record = (await AuditRecords.findOne({ where: { action: 'ops_instance_cancelled', caseId: caseRow.id } }))!;
    expect(record.detail).to.include({ reason: '重复立案，撤销流程', from: 'handling', to: 'closed', processInstanceKey });

    expect(await query('SELECT * FROM operation_intents'), 'the intent goes with the record').to.deep.equal([]);
    const read = await get<{ actions: Array<Record<string, unknown>> }>(`/operations/instances/${processInstanceKey}`, 'auditor');
    expect(read.actions.map((a) => [a['action'], a['actor'], a['reason']])).to.deep.equal([['ops_instance_cancelled', 'admin', '重复立案，撤销流程']]);

    const before = await snapshot();
    const again = await api.call<Json>('POST', `/operations/instances/${processInstanceKey}/cancel`, { token: admin, body: { reason: '再次撤销' } });
    expect([again.status, again.body['code']]).to.deep.equal([409, 'instance_not_active']);
    expect(await snapshot()).to.equal(before);
  });

  it('given an action on an instance still under way (its intent pending), when another cancel comes, then 409 operation_in_progress and the engine is not asked', async () => {
    probes.fixed.value = false;
    const { caseRow, processInstanceKey } = await probeCase(api.world.port, JOB_PROBE);
    await incidentsOf(processInstanceKey);
    await query(
      'INSERT INTO operation_intents (process_instance_key, action, case_id, actor, actor_role, reason, batch_id, detail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [processInstanceKey, 'cancel', caseRow.id, 'admin', 'admin', '另一位管理员正在撤销', null, '{}', new Date()],
    );
    const res = await api.call<Json>('POST', `/operations/instances/${processInstanceKey}/cancel`, { token: admin, body: { reason: '撤销' } });
    expect([res.status, res.body['code']]).to.deep.equal([409, 'operation_in_progress']);
    expect(await stateOf(processInstanceKey)).to.equal('ACTIVE');
    expect((await Cases.findByPk(caseRow.id))!.status).to.not.equal('closed');
    // the other action done (its intent gone), a cancel goes through
    await query('DELETE FROM operation_intents WHERE process_instance_key = ?', [processInstanceKey]);
    const after = await api.call<Json>('POST', `/operations/instances/${processInstanceKey}/cancel`, { token: admin, body: { reason: '撤销' } });
    expect(after.status, JSON.stringify(after.body)).to.equal(200);
  });

  it('given several instances stuck on the same job failure, when a batch retry runs over the filter after the fix, then it reports progress and a result per instance and every instance completes', async () => {
    probes.fixed.value = false;
    const stuck = [];
    for (let i = 0; i < 3; i++) stuck.push(await probeCase(api.world.port, JOB_PROBE));
    for (const s of stuck) await incidentsOf(s.processInstanceKey);
    probes.fixed.value = true;
    const started = await api.call<Batch>('POST', '/operations/batches', {
      token: admin,
      body: { action: 'retry', reason: '接口恢复后批量重试', filter: { bpmnProcessId: JOB_PROBE, incidentType: 'JOB_NO_RETRIES' } },
    });
    expect(started.status, JSON.stringify(started.body)).to.equal(202);
    expect(started.body.total).to.equal(3);
    expect(started.body.items.map((i) => i.caseNo).sort()).to.deep.equal(stuck.map((s) => s.caseRow.caseNo).sort());
    const done = await eventually('the batch finished', async () => {
      const b = await get<Batch>(`/operations/batches/${started.body.id}`, 'auditor');
      return b.state === 'finished' ? b : null;
    });
    expect([done.processed, done.failed]).to.deep.equal([3, 0]);
    expect(done.items.every((i) => i.state === 'done' && i.done === 1)).to.equal(true);
    for (const s of stuck) await eventually('the instance completed', async () => (await stateOf(s.processInstanceKey)) === 'COMPLETED');
    const records = await AuditRecords.findAll({ where: { action: 'ops_incident_retried', caseId: stuck.map((s) => s.caseRow.id) } });
    expect(records.map((r) => r.detail?.['batchId'])).to.deep.equal([started.body.id, started.body.id, started.body.id]);

    const empty = await api.call<Json>('POST', '/operations/batches', {
      token: admin,
      body: { action: 'retry', reason: '再来一次', filter: { bpmnProcessId: JOB_PROBE, incidentType: 'JOB_NO_RETRIES' } },
    });
    expect([empty.status, empty.body['code']]).to.deep.equal([422, 'batch_empty']);
  });

  it('given the roles, when each calls the operations API, then operators and clerks are refused, auditors read but cannot act, and refusals change nothing', async () => {
    probes.fixed.value = false;
    const { processInstanceKey } = await probeCase(api.world.port, JOB_PROBE);
    const [incident] = await incidentsOf(processInstanceKey);
    const tokens = { operator: await api.login('operator'), clerk: await api.login('clerk'), auditor: await api.login('auditor') };
    const before = await snapshot();
    for (const user of ['operator', 'clerk'] as const) {
      const token = tokens[user];
      expect((await api.call('GET', '/operations/processes', { token })).status, user).to.equal(403);
      expect((await api.call('GET', `/operations/instances`, { token })).status, user).to.equal(403);
      expect((await api.call('POST', `/operations/incidents/${incident!.incidentKey}/retry`, { token, body: { reason: 'x' } })).status, user).to.equal(403);
    }
    const auditor = tokens.auditor;
    expect((await api.call('GET', `/operations/instances/${processInstanceKey}`, { token: auditor })).status).to.equal(200);
    expect(
      (await api.call('POST', `/operations/incidents/${incident!.incidentKey}/retry`, { token: auditor, body: { reason: '审计员不能操作' } })).status,
    ).to.equal(403);
    expect(
      (await api.call('POST', `/operations/instances/${processInstanceKey}/cancel`, { token: auditor, body: { reason: '审计员不能操作' } })).status,
    ).to.equal(403);
    expect((await api.call('POST', '/operations/batches', { token: auditor, body: { action: 'cancel', reason: 'x', filter: {} } })).status).to.equal(403);
    expect((await api.call('GET', '/operations/processes')).status, 'no token').to.equal(401);
    expect(await snapshot()).to.equal(before);
    expect(await get<Incident[]>(`/operations/instances/${processInstanceKey}/incidents`)).to.have.length(1);
  });

  it('given bad input, when an action or list is asked for, then 4xx with a code and nothing changes', async () => {
    probes.fixed.value = false;
    const { processInstanceKey } = await probeCase(api.world.port, JOB_PROBE);
    const [incident] = await incidentsOf(processInstanceKey);
    const before = await snapshot();
    const cases: Array<[string, string, unknown, number, string]> = [
      ['POST', `/operations/incidents/${incident!.incidentKey}/retry`, {}, 400, 'invalid_input'],
      ['POST', `/operations/incidents/${incident!.incidentKey}/retry`, { reason: '' }, 400, 'invalid_input'],
      ['POST', `/operations/incidents/${incident!.incidentKey}/retry`, { reason: '重试', retries: 0 }, 400, 'invalid_input'],
      ['POST', `/operations/incidents/${incident!.incidentKey}/variables`, { reason: '补录', variables: {} }, 400, 'invalid_input'],
      ['POST', `/operations/incidents/${incident!.incidentKey}/variables`, { reason: '补录', variables: { 'bad name': 1 } }, 400, 'invalid_input'],
      ['POST', '/operations/incidents/2251799813685249999/retry', { reason: '重试' }, 404, 'incident_not_found'],
      ['POST', '/operations/incidents/abc/retry', { reason: '重试' }, 400, 'invalid_input'],
      ['POST', '/operations/instances/2251799813685249999/cancel', { reason: '撤销' }, 404, 'instance_not_found'],
      ['POST', '/operations/batches', { action: 'delete', reason: 'x', filter: {} }, 400, 'invalid_input'],
      ['GET', '/operations/instances?after=garbage', undefined, 400, 'bad_cursor'],
      ['GET', '/operations/instances?state=RUNNING', undefined, 400, 'invalid_input'],
      ['GET', '/operations/instances?startedFrom=2026-03-02T00:00:00Z&startedTo=2026-03-01T00:00:00Z', undefined, 400, 'invalid_input'],
      ['GET', '/operations/batches/00000000-0000-4000-8000-000000000000', undefined, 404, 'batch_not_found'],
    ];
    for (const [method, path, body, status, code] of cases) {
      const res = await api.call<Json>(method, path, { token: admin, ...(body !== undefined ? { body } : {}) });
      expect([res.status, res.body['code']], `${method} ${path} ${JSON.stringify(body)}`).to.deep.equal([status, code]);
      expect(res.body['message']).to.be.a('string').and.not.equal('');
    }
    expect(await snapshot()).to.equal(before);
    expect((await get<Incident[]>(`/operations/instances/${processInstanceKey}/incidents`))[0]!.jobRetries).to.equal(0);
  });

  it('given open incidents, when the command centre reads its summary and the daily digest runs, then both count them (the centre only, not a unit)', async () => {
    probes.fixed.value = false;
    await incidentsOf((await probeCase(api.world.port, JOB_PROBE)).processInstanceKey);
    const open = await api.world.port.countOpenIncidents();
    expect(open).to.be.at.least(1);
    expect(open, "the engine's own count").to.equal((await api.world.engine.listIncidents({ state: 'ACTIVE' })).length);
    expect((await get<Json>('/dashboard/summary', 'leader'))['openIncidents']).to.equal(open);
    expect((await get<Json>('/dashboard/summary', 'clerk'))['openIncidents'], "a unit's view").to.equal(null);

    const run = await dailyOverdueDigest(new Date(), { openIncidents: () => api.world.port.countOpenIncidents() });
    expect(run.openIncidents).to.equal(open);
    const summary = (await OutboxMessages.findOne({ where: { kind: 'overdue-summary' } }))!;
    expect(summary.body).to.contain(`流程故障待处理${open}件`);
  });

  it('given more instances than a page, when the list is followed by `next`, then every instance comes once, newest first', async () => {
    const first = await get<{ items: Instance[]; next: string | null }>(`/operations/instances?bpmnProcessId=${JOB_PROBE}&pageSize=2`);
    expect(first.items).to.have.length(2);
    const seen = [...first.items];
    for (let next = first.next; next;) {
      const page = await get<{ items: Instance[]; next: string | null }>(
        `/operations/instances?bpmnProcessId=${JOB_PROBE}&pageSize=2&after=${encodeURIComponent(next)}`,
      );
      seen.push(...page.items);
      next = page.next;
    }
    const keys = seen.map((i) => i.processInstanceKey);
    expect(new Set(keys).size).to.equal(keys.length);
    expect(keys).to.deep.equal([...keys].sort().reverse());
    const all = (await api.world.engine.listInstances({ bpmnProcessId: JOB_PROBE, limit: 1000 })).length;
    expect(keys).to.have.length(all);
  });
});
