import { expect } from 'chai';
import nodeCron from 'node-cron';
import { Evaluation, OutboxMessage, Unit } from '../../db/models/index.js';
import { SCHEDULES, startScheduledWork, type CronScheduler } from '../../domain/schedule/index.js';
import { memoryLog } from '../../domain/shared/log.js';
import { createCase, demoDatabase, type Db } from '../support/case-fixtures.js';

/** Records what would be scheduled; the test fires the jobs itself. */
function fakeCron() {
  const tasks: Array<{ expression: string; timezone: string; name: string; noOverlap: boolean; job: () => Promise<void>; stopped: boolean }> = [];
  const cron: CronScheduler = {
    schedule(expression, job, options) {
      const task = { expression, job, ...options, stopped: false };
      tasks.push(task);
      return { stop() { task.stopped = true; } };
    },
  };
  return { cron, tasks };
}

describe('scheduled work (domain/schedule)', () => {
  it('given the documented schedule, then the digest runs daily at 08:00 and the evaluation at 01:00 on the 1st, Beijing time', () => {
    expect(SCHEDULES).to.deep.equal({
      overdueDigest: { cron: '0 8 * * *', timezone: 'Asia/Shanghai' },
      monthlyEvaluation: { cron: '0 1 1 * *', timezone: 'Asia/Shanghai' },
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
    before(async () => { db = await demoDatabase(); });
    after(() => db.close());

    it('given it is started, when the scheduler fires each job, then the digest and the month before are produced, and stop stops both', async () => {
      const cgj = (await Unit.findOne({ where: { code: 'D-CGJ' } }))!;
      await createCase({ eventTypeCode: 'SJ-0101', gridCode: 'G-XP-01-01', unitId: cgj.id, createdAt: new Date('2026-03-10T01:00:00Z'), fields: { status: 'handling', acceptedAt: new Date('2026-03-10T01:00:00Z'), dispatchedAt: new Date('2026-03-10T02:00:00Z'), dueAt: new Date('2026-03-20T01:00:00Z'), warningLight: 'red' } });
      const { cron, tasks } = fakeCron();
      const log = memoryLog();
      let now = new Date('2026-04-01T00:00:00Z'); // 08:00 on 1 April in Beijing
      const stop = startScheduledWork({ now: () => now, log, cron, weights: { closeRate: 1 } });
      expect(tasks.map((t) => [t.expression, t.timezone, t.name, t.noOverlap])).to.deep.equal([
        ['0 8 * * *', 'Asia/Shanghai', 'ywtg-overdueDigest', true],
        ['0 1 1 * *', 'Asia/Shanghai', 'ywtg-monthlyEvaluation', true],
      ]);

      await tasks[0]!.job();
      expect(await OutboxMessage.count({ where: { dedupKey: 'digest:D-CGJ:2026-04-01' } })).to.equal(1);
      now = new Date('2026-03-31T17:00:00Z'); // 01:00 on 1 April in Beijing
      await tasks[1]!.job();
      const row = (await Evaluation.findOne({ where: { scope: 'unit', unitId: cgj.id } }))!;
      expect(row.periodStart!.toISOString()).to.equal('2026-02-28T16:00:00.000Z');
      expect(row.score).to.equal(0); // the configured weights: 结案率 alone, 0/1 (the default 三率 would give 100: it is taken up)
      expect(log.lines.filter((l) => l.msg === 'scheduled job done').map((l) => l.obj['job'])).to.deep.equal(['overdueDigest', 'monthlyEvaluation']);

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
