import { expect } from 'chai';
import { Cases, InboxTasks } from '../support/tables.js';
import { verifyAuditChain } from '../../domain/audit/index.js';
import { prunableEngine } from '../../domain/history/retention.js';
import { startScheduledWork, type CronScheduler } from '../../domain/schedule/index.js';
import { memoryLog } from '../../domain/shared/log.js';
import { eventually } from '../processes/support/process-harness.js';
import { openApiWorld, type ApiWorld } from './support/api-world.js';
import { caseToEnd, treeOf } from './support/case-to-end.js';

const DAY = 86_400_000;

/** node-cron as the scheduler sees it; the test fires the jobs itself. */
function fakeCron() {
  const tasks: Array<{ name: string; job: () => Promise<void> }> = [];
  const cron: CronScheduler = {
    schedule(_expression, job, options) {
      tasks.push({ name: options.name, job });
      return { stop() {} };
    },
  };
  return { cron, tasks };
}

describe('REST API: a finished case after the engine forgot it (issue 12, retention)', function () {
  this.timeout(120_000);
  let api: ApiWorld;
  before(async () => {
    api = await openApiWorld();
  });
  after(() => api.close());

  /** What an auditor reads of a case: the history (timeline, path on the diagram, variables), the CSV and the diagram's XML. */
  async function auditorView(caseId: string) {
    const token = await api.login('auditor');
    const history = await api.call('GET', `/cases/${caseId}/history`, { token });
    const csv = await fetch(`${api.base}/cases/${caseId}/history.csv`, { headers: { Authorization: `Bearer ${token}` } });
    const diagram = await fetch(`${api.base}/cases/${caseId}/diagram`, { headers: { Authorization: `Bearer ${token}` } });
    return { history: { status: history.status, body: history.body }, csv: [csv.status, await csv.text()], diagram: [diagram.status, await diagram.text()] };
  }

  it("given a case taken to its end and another just filed, when the nightly prune runs 31 days later, then the finished case's engine rows are gone, its history reads the same path, the audit chain verifies and the open case goes on", async () => {
    const { caseId, rootKey } = await caseToEnd(api, '人行道井盖缺失，有安全隐患');
    const tree = await treeOf(api, rootKey);
    expect(tree.length, 'the case called the handling and follow-up processes').to.be.greaterThan(1);
    const operator = await api.login('operator');
    const open = await api.call<{ id: string }>('POST', '/cases', {
      token: operator,
      body: { description: '路灯不亮，夜间行人不便', lat: 25.6, lng: 103.82, reporterPhone: '13900003333' },
    });
    expect(open.status, JSON.stringify(open.body)).to.equal(201);
    const openAccept = await eventually("the open case's 受理 task", () =>
      InboxTasks.findOne({ where: { caseId: open.body.id, elementId: 'accept', state: 'created' } }),
    );
    const openRoot = (await Cases.findByPk(open.body.id))!.processInstanceKey!;
    const finishedTask = (await InboxTasks.findOne({ where: { caseId, elementId: 'handle' } }))!;

    const before = await auditorView(caseId);
    expect(before.history.status).to.equal(200);
    const highlights = (before.history.body as { highlights: { completed: string[]; active: string[]; takenFlows: string[] } }).highlights;
    expect(highlights.completed).to.include.members(['accept', 'handling', 'followup']);
    expect(highlights.active, 'nothing runs in a finished case').to.deep.equal([]);
    expect(highlights.takenFlows.length).to.be.greaterThan(2);
    expect(before.diagram[0]).to.equal(200);
    const chainBefore = await verifyAuditChain();
    expect(chainBefore.ok).to.equal(true);
    expect((await api.world.engine.history(rootKey)).length).to.be.greaterThan(10);

    const { cron, tasks } = fakeCron();
    const log = memoryLog();
    const stop = startScheduledWork({
      now: () => new Date(api.world.clock.now() + 31 * DAY),
      log,
      cron,
      history: { engine: prunableEngine(api.world.port)!, retentionDays: 30 },
    });
    await tasks.find((t) => t.name === 'ywtg-historyPrune')!.job();
    await stop();

    const done = log.lines.find((l) => l.msg === 'scheduled job done')?.obj;
    expect(done, JSON.stringify(log.lines)).to.include({ job: 'historyPrune', roots: 1, instances: tree.length, kept: 0 });
    for (const key of tree) expect(await api.world.engine.getInstance(key), key).to.equal(null);
    expect(await api.world.engine.history(rootKey)).to.deep.equal([]);
    expect(await api.world.engine.listUserTasks({ processInstanceKey: tree[1]! })).to.deep.equal([]);

    expect(await auditorView(caseId), 'the history, CSV and diagram after the prune').to.deep.equal(before);
    const chainAfter = await verifyAuditChain({ from: 'start' }); // every hash recomputed from the first record, not resumed at a checkpoint
    expect(chainAfter.ok, JSON.stringify(chainAfter.firstBroken)).to.equal(true);
    expect(chainAfter.checked).to.be.at.least(chainBefore.checked);
    // a finished task of the pruned case still opens (its variables are gone with the engine's rows)
    const task = await api.call<{ variables: Record<string, unknown> }>('GET', `/tasks/${finishedTask.userTaskKey}`, { token: await api.login('admin') });
    expect(task.status, JSON.stringify(task.body)).to.equal(200);

    // the open case was not touched and goes on
    expect((await api.world.engine.getInstance(openRoot))!.state).to.equal('ACTIVE');
    const admin = await api.login('admin');
    await api.call('POST', `/tasks/${openAccept.userTaskKey}/claim`, { token: admin });
    const accepted = await api.call('POST', `/tasks/${openAccept.userTaskKey}/complete`, {
      token: admin,
      body: { data: { filed: true, eventTypeCode: 'BJ-0101' } },
    });
    expect(accepted.status, JSON.stringify(accepted.body)).to.equal(200);
    await eventually(
      "the open case's next task",
      () => InboxTasks.findOne({ where: { caseId: open.body.id, elementId: ['dispatch', 'handle'], state: 'created' } }),
      20_000,
    );
    expect((await verifyAuditChain({ from: 'start' })).ok).to.equal(true);
  });
});
