import { expect } from 'chai';
import { Cases, EventTypes, Grids, Units, query, type Row } from '../support/tables.js';
import { type CaseStatus } from '../../db/vocabulary.js';
import { ROLLUP_TABLES, rebuildRollups, readRollupState, ensureRollups } from '../../db/rollups/index.js';
import { caseLight, isOpen, isOverdue } from '../../domain/dashboard/case-light.js';
import { hotspots } from '../../domain/dashboard/hotspots.js';
import { addDays, localDay, monthPeriod } from '../../domain/shared/local-time.js';
import { dashboardSummary } from '../../domain/dashboard/summary.js';
import { dashboardTrends } from '../../domain/dashboard/trends.js';
import { evaluateCohort, evaluatePeriod } from '../../domain/evaluation/index.js';
import { createCase, demoDatabase, type Db } from '../support/case-fixtures.js';

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number) {
  let s = seed >>> 0;
  const next = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  return { next, pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!, chance: (p: number) => next() < p };
}

const H = 3_600_000;
const NOW = new Date('2026-04-02T03:00:00Z'); // the month generated is March 2026 (local time)
const MARCH_START = new Date('2026-02-28T16:00:00Z');

async function snapshot(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of ROLLUP_TABLES) {
    const rows = await query(`SELECT * FROM ${table}`);
    out[table] = rows
      .filter(
        (r) =>
          table === 'open_cases' ||
          Object.entries(r).some(([k, v]) => typeof v !== 'string' && !['unit_id', 'township_id', 'ref_id'].includes(k) && Number(v) !== 0),
      )
      .map((r) =>
        JSON.stringify(
          Object.keys(r)
            .sort()
            .map((k) => [k, r[k] instanceof Date ? (r[k] as Date).toISOString() : typeof r[k] === 'number' || typeof r[k] === 'bigint' ? String(r[k]) : r[k]]),
        ),
      )
      .sort();
  }
  return out;
}

/**
 * A month of a district's life, through every way `cases` is written: model create and save, plain-SQL
 * updates (as intake and the workers write), deletions (an intake undone), 并单, 退单, 延期, 返工, 重办
 * after 回访 reopening a closed case, lights and escalations, units and grids changing.
 */
async function generateMonth(seed: number): Promise<void> {
  const rnd = random(seed);
  const units = (await Units.findAll({ attributes: ['id'] })).map((u) => u.id).slice(0, 12);
  const grids = await Grids.findAll({ attributes: ['code'], limit: 30 });
  const types = await EventTypes.findAll({ attributes: ['code'], limit: 15 });
  const cases: Row<'cases'>[] = [];
  for (let i = 0; i < 260; i++) {
    // reported across March and a little before (trends and hotspots reach back), at odd milliseconds
    const createdAt = new Date(MARCH_START.getTime() - 5 * 24 * H + Math.floor(rnd.next() * 37 * 24 * H) + (i % 997));
    const c = await createCase({
      status: 'reported',
      createdAt,
      eventTypeCode: rnd.chance(0.8) ? rnd.pick(types).code : null,
      gridCode: rnd.chance(0.85) ? rnd.pick(grids).code : null,
    });
    cases.push(c);
    if (rnd.chance(0.1)) {
      // left in 受理
      continue;
    }
    // what has happened happened before now (a deadline may lie ahead)
    const at = (hours: number) => new Date(Math.min(createdAt.getTime() + hours * H + 123, NOW.getTime() - 60_000 + hours));
    if (rnd.chance(0.08)) {
      await Cases.updateRow(c, { status: 'rejected', closedAt: at(1) });
      continue;
    }
    if (rnd.chance(0.05) && cases.length > 2) {
      await Cases.updateRow(c, { status: 'merged', mergedIntoId: cases[0]!.id });
      continue;
    }
    const unitId = rnd.pick(units);
    // accepted and dispatched through plain SQL, as the workers write
    await query('UPDATE cases SET status = ?, unit_id = ?, accepted_at = ?, dispatched_at = ?, dispatch_due_at = ?, due_at = ? WHERE id = ?', [
      'dispatched',
      unitId,
      at(1),
      at(2),
      at(rnd.chance(0.8) ? 4 : 1),
      at(48),
      c.id,
    ]);
    await Cases.reload(c);
    if (rnd.chance(0.1)) {
      // 退单, to another unit
      await Cases.updateRow(c, { status: 'returned', returnCount: 1 });
      await Cases.updateRow(c, { status: 'dispatched', unitId: rnd.pick(units), dispatchedAt: at(6) });
    }
    if (rnd.chance(0.15)) await Cases.updateRow(c, { warningLight: 'yellow' });
    if (rnd.chance(0.08)) await Cases.updateRow(c, { warningLight: 'red', escalationLevel: 1 });
    if (rnd.chance(0.15)) {
      await Cases.updateRow(c, { status: 'handling', dueAt: rnd.chance(0.5) ? new Date(NOW.getTime() - 5 * H) : new Date(NOW.getTime() + 30 * H) });
      continue;
    }
    if (rnd.chance(0.1)) await Cases.updateRow(c, { extensionCount: 1, handleDueAt: at(96) });
    const handledAt = at(rnd.chance(0.7) ? 20 : 70);
    await Cases.updateRow(c, { status: 'verifying', handledAt, handleDueAt: c.handleDueAt ?? at(48), verifyDueAt: at(80) });
    if (rnd.chance(0.1)) await Cases.updateRow(c, { status: 'handling', reworkCount: 1 }); // 返工
    if (rnd.chance(0.05)) {
      await Cases.updateRow(c, { status: 'shelved' });
      continue;
    }
    const closedAt = at(rnd.chance(0.8) ? 30 : 100);
    await Cases.updateRow(c, { status: 'closed', closedAt, dueAt: at(rnd.chance(0.7) ? 60 : 50) });
    if (rnd.chance(0.4)) await Cases.updateRow(c, { satisfaction: rnd.pick(['satisfied', 'basic', 'unsatisfied']) });
    if (rnd.chance(0.05)) await Cases.updateRow(c, { status: 'handling', closedAt: null, dueAt: at(200) }); // 重办
  }
  // an intake undone (the engine refused): the row is removed again
  for (const c of cases.slice(-3)) await Cases.destroyRow(c);
}

for (const [name, seed] of [
  ['first', 7],
  ['second', 20261207],
] as const) {
  describe(`case rollups (db/rollups), ${name} generated month`, function () {
    this.timeout(180_000);
    let db: Db;
    let maintained: Record<string, string[]>;

    before(async () => {
      db = await demoDatabase();
      await generateMonth(seed);
      maintained = await snapshot();
    });
    after(() => db.close());

    it('given a month of activity kept by the triggers, when the rollups are rebuilt from the cases, then every rollup table is equal', async () => {
      for (const table of ROLLUP_TABLES) expect(maintained[table]!.length, `${table} has rows`).to.be.greaterThan(0);
      await rebuildRollups(db.sql, 480);
      const rebuilt = await snapshot();
      for (const table of ROLLUP_TABLES) expect(maintained[table], table).to.deep.equal(rebuilt[table]);
    });

    it('given the month, when the figures are read from the rollups, then they equal a count over every case', async () => {
      const all = await Cases.findAll();
      const summary = await dashboardSummary(null, NOW, 480);
      const open = all.filter((c) => isOpen(c));
      expect(summary.totals).to.deep.equal({
        open: open.length,
        closed: all.filter((c) => c.status === 'closed').length,
        overdue: all.filter((c) => isOverdue(c, NOW)).length,
        today: all.filter((c) => localDay(c.createdAt) === localDay(NOW)).length,
        total: all.length,
      });
      const byStatus: Record<string, number> = {};
      for (const c of all) byStatus[c.status] = (byStatus[c.status] ?? 0) + 1;
      expect(summary.byStatus).to.deep.equal(byStatus);
      const lights = { green: 0, yellow: 0, red: 0 };
      for (const c of open) lights[caseLight(c, NOW)]++;
      expect(summary.lights).to.deep.equal(lights);
      for (const u of summary.byUnit) {
        const mine = all.filter((c) => c.unitId === u.unitId);
        expect(u, `unit ${u.unitId}`).to.include({
          total: mine.length,
          open: mine.filter((c) => isOpen(c)).length,
          overdue: mine.filter((c) => isOverdue(c, NOW)).length,
        });
      }

      const trends = await dashboardTrends(null, 40, NOW, 480);
      for (const day of trends.days) {
        const on = (d: Date | null) => d !== null && localDay(d) === day.date;
        const missed = all.filter(
          (c) =>
            c.dueAt !== null &&
            c.dueAt <= NOW &&
            on(c.dueAt) &&
            ((OPEN as readonly string[]).includes(c.status) || (c.closedAt !== null && c.closedAt > c.dueAt)),
        );
        expect(day, day.date).to.deep.equal({
          date: day.date,
          created: all.filter((c) => on(c.createdAt)).length,
          closed: all.filter((c) => c.status === 'closed' && on(c.closedAt)).length,
          overdue: missed.length,
        });
      }

      const march = monthPeriod('2026-03');
      const cohort = all.filter((c) => c.createdAt >= march.from && c.createdAt < march.to);
      for (const r of await evaluatePeriod({ groupBy: 'unit', ...march })) {
        const members = cohort.filter((c) => String(c.unitId ?? 'none') === r.group);
        const expected = evaluateCohort(members);
        expect(r.counts, `unit ${r.group}`).to.deep.equal(expected.counts);
        expect(r.score, `unit ${r.group}`).to.equal(expected.score);
      }
      const district = await evaluatePeriod({ groupBy: 'district', ...march });
      expect(district.map((r) => r.counts)).to.deep.equal([evaluateCohort(cohort).counts]);

      const spots = await hotspots(null, NOW, 480);
      for (const s of spots) expect(s.thisWeek).to.be.at.least(5);
    });

    it("given a unit scope, when its figures are read, then they are the unit's alone", async () => {
      const [row] = (await dashboardSummary(null, NOW, 480)).byUnit.filter((u) => u.unitId !== null);
      const unitId = row!.unitId!;
      const mine = await Cases.findAll({ where: { unitId } });
      const s = await dashboardSummary(unitId, NOW, 480);
      expect(s.totals.total).to.equal(mine.length);
      expect(s.byUnit.map((u) => u.unitId)).to.deep.equal([unitId]);
      const t = await dashboardTrends(unitId, 40, NOW, 480);
      expect(t.days.reduce((n, d) => n + d.created, 0)).to.equal(mine.filter((c) => localDay(c.createdAt) >= addDays(localDay(NOW), -39)).length);
      // an account of a unit-scoped role without a unit sees nothing
      expect((await dashboardSummary(-1, NOW, 480)).totals.total).to.equal(0);
    });
  });
}

const OPEN = ['reported', 'accepted', 'dispatched', 'handling', 'returned', 'verifying'] as const satisfies readonly CaseStatus[];

describe('case rollups (db/rollups): offset and version', function () {
  this.timeout(60_000);
  let db: Db;
  before(async () => {
    db = await demoDatabase();
  });
  after(() => db.close());

  it('given rollups cut at UTC+8, when the server starts with another offset, then they are rebuilt once at that offset', async () => {
    // 2026-03-01 23:30 UTC: the 2nd in Beijing, still the 1st in London
    await createCase({ createdAt: new Date('2026-03-01T23:30:00Z') });
    const days = async () =>
      (await query<{ day: string }>("SELECT day FROM case_day_counts WHERE unit_id = -1 AND measure = 'created' AND n > 0")).map((r) => r.day);
    expect(await days()).to.deep.equal(['2026-03-02']);
    expect(await ensureRollups(db.sql, 480)).to.equal('current');
    expect(await ensureRollups(db.sql, 0)).to.equal('rebuilt');
    expect(await readRollupState(db.sql)).to.deep.include({ offsetMinutes: 0 });
    expect(await days()).to.deep.equal(['2026-03-01']);
    // and the triggers now cut at the new offset too
    await createCase({ createdAt: new Date('2026-03-05T23:30:00Z') });
    expect(await days()).to.deep.equal(['2026-03-01', '2026-03-05']);
    await ensureRollups(db.sql, 480);
  });
});
