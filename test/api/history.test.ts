import { expect } from 'chai';
import { HISTORY_CSV_HEADER, historyCsvLine } from '../../api/cases/history-routes.js';
import { CaseEvents, CaseInstances, Cases, EventTypes, Grids, InboxTasks, OutboxMessages, Units, Users, type Row } from '../support/tables.js';
import type { TimelineEntry } from '../../domain/history/case-history.js';
import { CSV_BOM, csvDocument } from '../../domain/history/csv.js';
import { recordEngineEvent } from '../../domain/history/record-events.js';
import type { EngineEvent } from '../../port/workflow-engine.js';
import { createCase } from '../support/case-fixtures.js';
import { eventually } from '../processes/support/process-harness.js';
import { openApiWorld, snapshot, type ApiWorld } from './support/api-world.js';

type Json = Record<string, unknown>;
interface Entry {
  at: string;
  kind: string;
  intent?: string;
  elementId?: string;
  elementType?: string | null;
  bpmnProcessId?: string | null;
  processInstanceKey?: string;
  action?: string;
  actor?: string;
  variables?: Json;
  recipient?: string;
  elementInstanceKey?: string | null;
}
interface History {
  case: Json;
  timeline: Entry[];
  diagram: { bpmnProcessId: string; version: number; processDefinitionKey: string };
  highlights: { completed: string[]; active: string[]; incidents: string[]; takenFlows: string[] };
  variablesByElement: Record<string, Json>;
}

describe('REST API: case history, diagram and CSV', function () {
  this.timeout(120_000);
  let api: ApiWorld;
  let operator: string;
  let caseRow: Row<'cases'>;
  let eventTypeCode: string;

  before(async () => {
    api = await openApiWorld();
    operator = await api.login('operator');
    const grid = (await Grids.findOne({ order: [['id', 'ASC']] }))!;
    const filed = await api.call<{ id: string }>('POST', '/cases', {
      token: operator,
      body: { description: '人行道井盖缺失，有安全隐患', lat: grid.centroidLat, lng: grid.centroidLng, reporterPhone: '13900001111' },
    });
    expect(filed.status, JSON.stringify(filed.body)).to.equal(201);
    caseRow = (await Cases.findByPk(filed.body.id))!;
    // 受理 and 派遣 through the task inbox, until the unit's 处置 task (in the called case-handling instance) is open
    const accept = await eventually(
      'the accept task',
      () => InboxTasks.findOne({ where: { caseId: caseRow.id, elementId: 'accept', state: 'created' } }),
      20_000,
    );
    eventTypeCode = (await EventTypes.findOne({ where: { code: 'BJ-0101' } }))!.code;
    expect((await api.call('POST', `/tasks/${accept.userTaskKey}/claim`, { token: operator })).status).to.equal(200);
    const done = await api.call('POST', `/tasks/${accept.userTaskKey}/complete`, { token: operator, body: { data: { filed: true, eventTypeCode } } });
    expect(done.status, JSON.stringify(done.body)).to.equal(200);
    const clerkUnit = (await Units.findByPk((await Users.findOne({ where: { username: 'clerk' } }))!.unitId!))!;
    const next = await eventually(
      'a dispatch or handle task',
      () => InboxTasks.findOne({ where: { caseId: caseRow.id, elementId: ['dispatch', 'handle'], state: 'created' } }),
      20_000,
    );
    if (next.elementId === 'dispatch') {
      const dispatched = await api.call('POST', `/tasks/${next.userTaskKey}/complete`, {
        token: operator,
        body: { data: { unitCode: clerkUnit.code, dispatchNote: '请尽快处理' } },
      });
      expect(dispatched.status, JSON.stringify(dispatched.body)).to.equal(200);
    }
    await eventually('the handle task', () => InboxTasks.findOne({ where: { caseId: caseRow.id, elementId: 'handle', state: 'created' } }), 20_000);
    await eventually(
      "the handle task's activation in the case history",
      () => CaseEvents.findOne({ where: { elementId: 'handle', intent: 'ACTIVATED' } }),
      20_000,
    );
    await Cases.reload(caseRow);
    await OutboxMessages.create({
      dedupKey: `test-sms-${caseRow.id}`,
      kind: 'sms',
      channel: 'sms',
      recipient: '13900001111',
      caseId: caseRow.id,
      subject: null,
      body: '您反映的问题已受理',
      nextAttemptAt: new Date(),
      lastError: null,
      sentAt: null,
    });
  });
  after(() => api.close());

  const history = async (user: string) => {
    const res = await api.call<History>('GET', `/cases/${caseRow.id}/history`, { token: await api.login(user) });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).to.equal(200);
    return res.body;
  };

  it('given a case accepted, dispatched and in 处置, when its history is read, then engine events, variables, actions and notifications form one timeline', async () => {
    const h = await history('operator');
    expect(h.case['caseNo']).to.equal(caseRow.caseNo);
    const kinds = new Set(h.timeline.map((e) => e.kind));
    expect([...kinds].sort()).to.deep.equal(['action', 'element', 'notification', 'variables']);
    const sorted = [...h.timeline].sort((a, b) => a.at.localeCompare(b.at));
    expect(
      h.timeline.map((e) => e.at),
      'in time order',
    ).to.deep.equal(sorted.map((e) => e.at));
    // the case's own instance from its start, and the called handling instance
    expect(
      h.timeline.find(
        (e) => e.kind === 'element' && e.intent === 'ACTIVATED' && e.elementType === 'process' && e.processInstanceKey === caseRow.processInstanceKey,
      ),
    ).to.not.equal(undefined);
    const child = h.timeline.find((e) => e.kind === 'element' && e.elementId === 'handle' && e.intent === 'ACTIVATED')!;
    expect(child.processInstanceKey).to.not.equal(caseRow.processInstanceKey);
    expect(child.bpmnProcessId).to.equal('case-handling');
    // the variables the 受理 form completed with
    const accepted = h.timeline.find((e) => e.kind === 'variables' && e.elementId === 'accept')!;
    expect(accepted.variables).to.include({ filed: true, eventTypeCode });
    expect(h.variablesByElement[accepted.elementInstanceKey!]).to.include({ filed: true, eventTypeCode });
    // every human and machine action of the audit log
    const actions = h.timeline.filter((e) => e.kind === 'action').map((e) => e.action);
    expect(actions).to.include.members(['reported', 'task_completed']);
    expect(h.timeline.find((e) => e.kind === 'notification')!.recipient, 'the operator sees the number').to.equal('13900001111');
  });

  it("given the case's own process, when highlighted, then 受理 is completed, the running call activity active and the flows taken are listed", async () => {
    const h = await history('auditor');
    expect(h.diagram.bpmnProcessId).to.equal(caseRow.processId);
    expect(h.diagram.version).to.be.a('number');
    expect(h.diagram.processDefinitionKey).to.match(/^\d+$/);
    expect(h.highlights.completed).to.include('accept');
    expect(h.highlights.completed).to.not.include('handle'); // that one is in the child's diagram
    expect(h.highlights.active).to.include('handling');
    expect(h.highlights.incidents).to.deep.equal([]);
    expect(h.highlights.takenFlows.length).to.be.greaterThan(0);
    expect(h.timeline.find((e) => e.kind === 'notification')!.recipient, 'masked for the auditor').to.equal('139****1111');
  });

  it('given the case, when its diagram is asked for, then the XML of the version it runs comes back', async () => {
    const res = await fetch(`${api.base}/cases/${caseRow.id}/diagram`, { headers: { Authorization: `Bearer ${operator}` } });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^application\/xml/);
    const xml = await res.text();
    expect(xml).to.contain(`id="${caseRow.processId}"`);
    const h = await history('operator');
    for (const id of [...h.highlights.completed, ...h.highlights.takenFlows]) expect(xml, id).to.contain(`id="${id}"`);
  });

  it('given the case, when its history is exported as CSV, then Excel gets a BOM, a header naming the offset and one row per timeline entry, in local time', async () => {
    const res = await fetch(`${api.base}/cases/${caseRow.id}/history.csv`, { headers: { Authorization: `Bearer ${operator}` } });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/csv/);
    expect(res.headers.get('content-disposition')).to.contain('attachment');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1);
    const h = await history('operator');
    const rows = text.split('\r\n').filter(Boolean);
    expect(rows[0]).to.equal('时间 at (UTC+08:00),类型 kind,环节/动作 what,执行人 who,流程实例 instance,详情 detail');
    // quoted cells may hold line breaks; count rows by their leading timestamp, local with the offset written (not UTC's Z)
    const stamped = text.split('\r\n').filter((l) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} \+08:00,/.test(l));
    expect(stamped).to.have.length(h.timeline.length);
    const first = h.timeline[0]!.at;
    const local = new Date(Date.parse(first) + 8 * 3_600_000).toISOString().slice(0, 23).replace('T', ' ');
    expect(stamped[0]!.startsWith(`${local} +08:00,`)).to.equal(true);
    // streamed a batch at a time, yet row for row the JSON timeline
    expect(CSV_BOM + text).to.equal(csvDocument(HISTORY_CSV_HEADER, (h.timeline as unknown as TimelineEntry[]).map(historyCsvLine)));
  });

  it('given a department clerk of another unit or no token, when the history is asked for, then 404/401 and nothing changes; a bad id is 400', async () => {
    const other = (await Units.findOne({ where: { code: 'D-ZFW' } }))!;
    if (caseRow.unitId === other.id) throw new Error('test assumes the case is not at D-ZFW');
    const { hashPassword } = await import('../../domain/auth/password.js');
    await Users.create({
      username: 'zfw-clerk',
      displayName: '执法局办事员',
      role: 'dept_staff',
      unitId: other.id,
      phone: null,
      passwordHash: await hashPassword('Demo@2026'),
    });
    const token = await api.login('zfw-clerk');
    const before = await snapshot();
    for (const path of ['history', 'history.csv', 'diagram']) {
      const res = await api.call('GET', `/cases/${caseRow.id}/${path}`, { token }).catch(() => null);
      expect(res?.status, path).to.equal(404);
      expect((await api.call('GET', `/cases/${caseRow.id}/${path}`)).status, path).to.equal(401);
      const bad = await api.call('GET', `/cases/abc/${path}`, { token: operator });
      expect(bad.status, path).to.equal(400);
      expect(bad.body['code']).to.equal('invalid_input');
    }
    expect((await api.call('GET', '/cases/99999999/history', { token: operator })).status).to.equal(404);
    expect(await snapshot()).to.equal(before);
  });

  it("given a subscriber that stopped between a task's completion record and its element's completion, when it reads on, then the COMPLETED event still carries the variables", async () => {
    const engine = api.world.engine;
    const records = await engine.history(caseRow.processInstanceKey!);
    const completion = records.find((h) => h.intent === 'USER_TASK_COMPLETED' && h.elementId === 'accept')!;
    expect(completion, "the accept task's completion record").to.not.equal(undefined);
    const name = `history-resume-${Date.now()}`;
    await engine.saveExporterPosition(name, completion.position);
    let completed: EngineEvent | null = null;
    const subscription = await api.world.port.subscribe(name, async (e) => {
      if (!completed && e.kind === 'element' && e.intent === 'COMPLETED' && e.elementId === 'accept') completed = e;
    });
    try {
      await eventually('the accept COMPLETED event', async () => completed, 10_000);
    } finally {
      await subscription.close();
    }
    const detail = (completed as unknown as Extract<EngineEvent, { kind: 'element' }>).detail!;
    expect(detail['variables']).to.include({ filed: true, eventTypeCode });
  });

  describe('recording engine events', () => {
    type ElementEvent = Extract<EngineEvent, { kind: 'element' }>;
    const event = (over: Partial<ElementEvent>): ElementEvent => ({
      kind: 'element',
      intent: 'ACTIVATED',
      processInstanceKey: '77000001',
      bpmnProcessId: 'case-generic',
      elementId: 'accept',
      elementInstanceKey: '77000002',
      elementType: 'userTask',
      at: '2026-03-02T01:00:00.000Z',
      detail: null,
      ...over,
    });

    it('given the same event delivered twice, when recorded, then it is stored once', async () => {
      const e = event({ processInstanceKey: '77100001', elementInstanceKey: '77100002' });
      await recordEngineEvent(e);
      await recordEngineEvent(e);
      await Promise.all([recordEngineEvent(e), recordEngineEvent(e)]);
      expect(await CaseEvents.count({ where: { processInstanceKey: '77100001' } })).to.equal(1);
      // a flow taken again later (a rework loop) is another event
      await recordEngineEvent({ ...e, intent: 'FLOW_TAKEN', elementId: 'flow-back', elementInstanceKey: null });
      await recordEngineEvent({ ...e, intent: 'FLOW_TAKEN', elementId: 'flow-back', elementInstanceKey: null, at: '2026-03-02T01:00:05.000Z' });
      expect(await CaseEvents.count({ where: { processInstanceKey: '77100001' } })).to.equal(3);
    });

    it("given a case's first events before intake stored its instance, and a called instance seen before the inbox mapped it, when the history is read, then both belong to the case", async () => {
      const c = await createCase({ status: 'handling' });
      await recordEngineEvent(
        event({
          processInstanceKey: '77200001',
          elementInstanceKey: '77200001',
          elementId: 'case-generic',
          elementType: 'process',
          detail: { version: 1, parentInstanceKey: null, processDefinitionKey: '4242' },
        }),
      );
      expect((await CaseEvents.findOne({ where: { processInstanceKey: '77200001' } }))!.caseId, 'not known yet').to.equal(null);
      await Cases.updateRow(c, { processInstanceKey: '77200001', processId: 'case-generic' });
      // the child's root activation names its parent: the case is found through it, and the mapping recorded for the inbox
      await recordEngineEvent(
        event({
          processInstanceKey: '77200009',
          elementInstanceKey: '77200009',
          elementId: 'case-handling',
          elementType: 'process',
          bpmnProcessId: 'case-handling',
          detail: { version: 1, parentInstanceKey: '77200001' },
        }),
      );
      await recordEngineEvent(event({ processInstanceKey: '77200009', elementInstanceKey: '77200010', elementId: 'handle', bpmnProcessId: 'case-handling' }));
      expect((await CaseEvents.findOne({ where: { processInstanceKey: '77200009', elementId: 'handle' } }))!.caseId).to.equal(c.id);
      expect((await CaseInstances.findByPk('77200009'))!.caseId).to.equal(c.id);
      const h = await history('operator').then(() => api.call<History>('GET', `/cases/${c.id}/history`, { token: operator }));
      expect(h.body.timeline.filter((e) => e.kind === 'element').map((e) => e.elementId)).to.deep.equal(['case-generic', 'case-handling', 'handle']);
      expect(h.body.diagram).to.deep.equal({ bpmnProcessId: 'case-generic', version: 1, processDefinitionKey: '4242' });
      expect((await CaseEvents.findOne({ where: { processInstanceKey: '77200001' } }))!.caseId, 'filled in on reading').to.equal(c.id);
      // a definition nobody knows has no diagram
      expect((await api.call('GET', `/cases/${c.id}/diagram`, { token: operator })).status).to.equal(404);
    });
  });
});
