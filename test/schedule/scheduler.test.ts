import { expect } from 'chai';
import nodeCron from 'node-cron';
import { Evaluations, OutboxMessages, Units } from '../support/tables.js';
import { SCHEDULES, startScheduledWork, type CronScheduler } from '../../domain/schedule/index.js';
import { memoryLog } from '../../domain/shared/log.js';
import type { PruneOptions, PruneResult } from '../../engine/index.js';
import { createCase, demoDatabase, type Db } from '../support/case-fixtures.js';

/** Records what would be scheduled; the test fires the jobs itself. */
function fakeCron() {
  const tasks: Array<{ expression: string; timezone: string; name: string; noOverlap: boolean; job: () => Promise<void>; stopped: boolean }> = [];
  const cron: CronScheduler = {
    schedule(expression, job, options) {
      const task = { expression, job, ...options, stopped: false };
      tasks.push(task);
      return {
        stop() {
          task.stopped = true;
        },
      };
    },
  };
  return { cron, tasks };
}

describe('scheduled work (domain/schedule)', () => {
  it("given the documented schedule, then the digest runs daily at 08:00, the evaluation at 01:00 on the 1st, the engine's prune daily at 02:30 and the audit chain's verification daily at 03:30 (from its checkpoint) and on Sundays at 04:00 (in full), and the classifier's retrain check hourly at :40, Beijing time", () => {
    expect(SCHEDULES).to.deep.equal({
      overdueDigest: { cron: '0 8 * * *', timezone: 'Asia/Shanghai' },
      monthlyEvaluation: { cron: '0 1 1 * *', timezone: 'Asia/Shanghai' },
      historyPrune: { cron: '30 2 * * *', timezone: 'Asia/Shanghai' },
      auditVerify: { cron: '30 3 * * *', timezone: 'Asia/Shanghai' },
      auditVerifyFull: { cron: '0 4 * * 0', timezone: 'Asia/Shanghai' },
      classifyRetrain: { cron: '40 * * * *', timezone: 'Asia/Shanghai' },
    });
    for (const { cron } of Object.values(SCHEDULES)) expect(nodeCron.validate(cron), cron).to.equal(true);
  });

  it('given node-cron with those settings, when asked for the next runs (nothing started), then they fall at 00:00 UTC daily and 17:00 UTC on the last day of the month', () => {
    const digest = nodeCron.createTask(SCHEDULES.overdueDigest.cron, () => {}, { timezone: SCHEDULES.overdueDigest.timezone });
    const monthly = nodeCron.createTask(SCHEDULES.monthlyEvaluation.cron, () => {}, { timezone: SCHEDULES.monthlyEvaluation.timezone });
    try {
      const days = digest.getNextRuns(3);
      expect(days.every((d) => d.getUTCHours() === 0 && d.getUTCMinutes() === 0)).to.equal(true);
      expect(days[1]!.getTime() - days[0]!.getTime()).to.equal(86_400_000);
      for (const run of monthly.getNextRuns(3)) {
        const local = new Date(run.getTime() + 8 * 3_600_000);
        expect([local.getUTCDate(), local.getUTCHours(), local.getUTCMinutes()]).to.deep.equal([1, 1, 0]);
      }
    } finally {
      void digest.destroy();
      void monthly.destroy();
    }
  });

  describe('started against a database', () => {
    let db: Db;
    before(async () => {
      db = await demoDatabase();
    });
    after(() => db.close());

    it('given it is started, when the scheduler fires each job, then the digest and the month before are produced, and stop stops both', async () => {
      const cgj = (await Units.findOne({ where: { code: 'D-CGJ' } }))!;
      await createCase({
        eventTypeCode: 'SJ-0101',
        gridCode: 'G-XP-01-01',
        unitId: cgj.id,
        createdAt: new Date('2026-03-10T01:00:00Z'),
        fields: {
          status: 'handling',
          acceptedAt: new Date('2026-03-10T01:00:00Z'),
          dispatchedAt: new Date('2026-03-10T02:00:00Z'),
          dueAt: new Date('2026-03-20T01:00:00Z'),
          warningLight: 'red',
        },
      });
      const { cron, tasks } = fakeCron();
      const log = memoryLog();
      let now = new Date('2026-04-01T00:00:00Z'); // 08:00 on 1 April in Beijing
      const stop = startScheduledWork({ now: () => now, log, cron, weights: { closeRate: 1 } });
      expect(tasks.map((t) => [t.expression, t.timezone, t.name, t.noOverlap])).to.deep.equal([
        ['0 8 * * *', 'Asia/Shanghai', 'ywtg-overdueDigest', true],
        ['0 1 1 * *', 'Asia/Shanghai', 'ywtg-monthlyEvaluation', true],
        ['30 3 * * *', 'Asia/Shanghai', 'ywtg-auditVerify', true],
        ['0 4 * * 0', 'Asia/Shanghai', 'ywtg-auditVerifyFull', true],
        ['40 * * * *', 'Asia/Shanghai', 'ywtg-classifyRetrain', true],
      ]);

      await tasks[0]!.job();
      expect(await OutboxMessages.count({ where: { dedupKey: 'digest:D-CGJ:2026-04-01' } })).to.equal(1);
      now = new Date('2026-03-31T17:00:00Z'); // 01:00 on 1 April in Beijing
      await tasks[1]!.job();
      const row = (await Evaluations.findOne({ where: { scope: 'unit', unitId: cgj.id } }))!;
      expect(row.periodStart!.toISOString()).to.equal('2026-02-28T16:00:00.000Z');
      expect(row.score).to.equal(0); // the configured weights: 结案率 alone, 0/1 (the default 三率 would give 100: it is taken up)
      expect(log.lines.filter((l) => l.msg === 'scheduled job done').map((l) => l.obj['job'])).to.deep.equal(['overdueDigest', 'monthlyEvaluation']);
      await tasks[2]!.job();
      await tasks[3]!.job();
      const verified = log.lines
        .filter((l) => l.msg === 'scheduled job done')
        .slice(2)
        .map((l) => [l.obj['job'], l.obj['ok']]);
      expect(verified).to.deep.equal([
        ['auditVerify', true],
        ['auditVerifyFull', true],
      ]);

      await stop();
      expect(tasks.every((t) => t.stopped)).to.equal(true);
    });

    it('given an engine to prune, when started and the prune fires, then it runs daily at 02:30 and asks for cases ended before the retention, behind both history readers', async () => {
      const asked: PruneOptions[] = [];
      const engine = {
        async pruneFinishedInstances(options: PruneOptions): Promise<PruneResult> {
          asked.push(options);
          return {
            roots: 3,
            instances: 7,
            rows: { eng_history: 90, eng_variable: 0, eng_element: 0, eng_user_task: 6, eng_incident: 0, eng_instance: 7 },
            batches: 1,
            kept: 0,
            slowestExporter: { name: 'inbox-tasks', position: 99 },
            longestBatchMs: 12,
          };
        },
      };
      const { cron, tasks } = fakeCron();
      const log = memoryLog();
      const stop = startScheduledWork({ now: () => new Date('2026-05-01T18:30:00Z'), log, cron, history: { engine, retentionDays: 30 } });
      expect(tasks.map((t) => [t.expression, t.timezone, t.name])).to.deep.equal([
        ['0 8 * * *', 'Asia/Shanghai', 'ywtg-overdueDigest'],
        ['0 1 1 * *', 'Asia/Shanghai', 'ywtg-monthlyEvaluation'],
        ['30 2 * * *', 'Asia/Shanghai', 'ywtg-historyPrune'],
        ['30 3 * * *', 'Asia/Shanghai', 'ywtg-auditVerify'],
        ['0 4 * * 0', 'Asia/Shanghai', 'ywtg-auditVerifyFull'],
        ['40 * * * *', 'Asia/Shanghai', 'ywtg-classifyRetrain'],
      ]);
      await tasks[2]!.job();
      expect(asked).to.deep.equal([{ endedBefore: Date.parse('2026-04-01T18:30:00Z'), exporters: ['case-history', 'inbox-tasks'] }]);
      const done = log.lines.find((l) => l.msg === 'scheduled job done')!.obj;
      expect(done).to.deep.include({ job: 'historyPrune', endedBefore: '2026-04-01T18:30:00.000Z', roots: 3, instances: 7, kept: 0 });
      await stop();
      expect(tasks.every((t) => t.stopped)).to.equal(true);
    });

    it('given a job that fails, when fired, then the failure is logged and nothing is thrown into the scheduler', async () => {
      const { cron, tasks } = fakeCron();
      const log = memoryLog();
      const stop = startScheduledWork({ now: () => new Date(Number.NaN), log, cron });
      await tasks[0]!.job();
      expect(log.lines.filter((l) => l.level === 'error').map((l) => [l.obj['job'], l.msg])).to.deep.equal([['overdueDigest', 'scheduled job failed']]);
      await stop();
    });
  });
});
