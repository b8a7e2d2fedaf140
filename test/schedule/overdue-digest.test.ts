import { expect } from 'chai';
import { OutboxMessages, Units, type Row } from '../support/tables.js';
import { type CaseStatus, type WarningLight } from '../../db/vocabulary.js';
import { dailyOverdueDigest } from '../../domain/schedule/index.js';
import { createCase, demoDatabase, type Db } from '../support/case-fixtures.js';

/** Thursday 2026-03-05 08:00 in Beijing: when the daily digest runs. */
const NOW = new Date('2026-03-05T00:00:00Z');
const hoursFromNow = (h: number) => new Date(NOW.getTime() + h * 3_600_000);

describe('daily overdue digest (domain/schedule)', () => {
  let db: Db;
  const unit: Record<string, Row<'units'>> = {};
  const open = (code: string, status: CaseStatus, dueInHours: number | null, light: WarningLight, escalationLevel = 0) =>
    createCase({
      eventTypeCode: 'SJ-0101',
      gridCode: 'G-XP-01-01',
      unitId: unit[code]!.id,
      fields: { status, dueAt: dueInHours === null ? null : hoursFromNow(dueInHours), warningLight: light, escalationLevel },
    });
  let worstCgj: string;
  let secondCgj: string;
  let onlyShj: string;

  before(async () => {
    db = await demoDatabase();
    for (const code of ['D-CGJ', 'D-SHJ', 'T-XP', 'D-SFJ']) unit[code] = (await Units.findOne({ where: { code } }))!;
    // 城管局: two overdue (one 督办, 50 h late; one 2 h late), one still in time, one closed long ago
    secondCgj = (await open('D-CGJ', 'dispatched', -2, 'red')).caseNo;
    worstCgj = (await open('D-CGJ', 'handling', -50, 'red', 1)).caseNo;
    await open('D-CGJ', 'handling', 5, 'green');
    await open('D-CGJ', 'closed', -100, 'red');
    // 生态环境分局: one on a red light whose stage clock has not run out by `dueAt` (set by hand, say)
    onlyShj = (await open('D-SHJ', 'verifying', 12, 'red')).caseNo;
    // 西平街道: only a case in time · 司法局: only a shelved (挂账) case long past its time
    await open('T-XP', 'handling', 10, 'yellow'); // falls due at 18:00
    await open('D-SFJ', 'shelved', -300, 'red');
  });
  after(() => db.close());

  it('given overdue cases in two units, when the digest runs, then each of them gets one digest with counts and the worst cases', async () => {
    const run = await dailyOverdueDigest(NOW);
    expect(run.date).to.equal('2026-03-05');
    expect(run.units.map((u) => [u.unitCode, u.overdue, u.red, u.escalated, u.worst, u.queued])).to.deep.equal([
      ['D-CGJ', 2, 2, 1, [worstCgj, secondCgj], true],
      ['D-SHJ', 1, 1, 0, [onlyShj], true],
    ]);
    const cgj = (await OutboxMessages.findOne({ where: { dedupKey: 'digest:D-CGJ:2026-03-05' } }))!;
    expect([cgj.kind, cgj.channel, cgj.recipient, cgj.subject, cgj.caseId, cgj.status]).to.deep.equal([
      'overdue-digest',
      'sms',
      '0874-3894247',
      '超期案卷日报 2026-03-05',
      null,
      'pending',
    ]);
    expect(cgj.body).to.equal(
      `【超期日报】城管局：截至2026-03-05 08:00，超期未办结案卷2件（红灯2件，督办1件）。` +
        `最需处理：${worstCgj}（处置，超期2天2小时，督办）；${secondCgj}（处置，超期2小时）。请抓紧办理。`,
    );
    const shj = (await OutboxMessages.findOne({ where: { dedupKey: 'digest:D-SHJ:2026-03-05' } }))!;
    expect(shj.body).to.contain(`${onlyShj}（核查，红灯）`);
  });

  it('given units without overdue cases (in time, or only 挂账), when the digest runs, then they get none', async () => {
    expect(await OutboxMessages.count({ where: { dedupKey: 'digest:T-XP:2026-03-05' } })).to.equal(0);
    expect(await OutboxMessages.count({ where: { dedupKey: 'digest:D-SFJ:2026-03-05' } })).to.equal(0);
  });

  it('given the digest ran, then the command centre got one summary across the units', async () => {
    const summaries = await OutboxMessages.findAll({ where: { kind: 'overdue-summary' } });
    expect(summaries.map((m) => [m.dedupKey, m.recipient])).to.deep.equal([['digest-summary:ZHZX:2026-03-05', '0874-3837054']]);
    expect(summaries[0]!.body).to.equal(
      `【超期日报汇总】2026-03-05：2个单位共有超期未办结案卷3件（红灯3件）。城管局2件（最久 ${worstCgj}）；生态环境分局1件（最久 ${onlyShj}）。`,
    );
  });

  it('given the digest already ran today, when it runs again at noon, then nothing more is queued', async () => {
    const before = await OutboxMessages.count();
    const again = await dailyOverdueDigest(hoursFromNow(4));
    expect(again.units.map((u) => u.queued)).to.deep.equal([false, false]);
    expect(again.summaries).to.equal(0);
    expect(await OutboxMessages.count()).to.equal(before);
  });

  it('given the next local day (00:30 Beijing is still the previous UTC date), when it runs, then the digests of that day are queued (西平街道 has a case fallen due since)', async () => {
    const next = await dailyOverdueDigest(new Date('2026-03-05T16:30:00Z'));
    expect(next.date).to.equal('2026-03-06');
    expect(next.units.map((u) => [u.unitCode, u.queued])).to.deep.equal([
      ['D-CGJ', true],
      ['D-SHJ', true],
      ['T-XP', true],
    ]);
    expect(next.summaries).to.equal(1);
    const keys = ['digest:D-CGJ:2026-03-06', 'digest:D-SHJ:2026-03-06', 'digest:T-XP:2026-03-06', 'digest-summary:ZHZX:2026-03-06'];
    expect(await OutboxMessages.count({ where: { dedupKey: keys } })).to.equal(4);
  });

  it('given a unit with more overdue cases than the digest names, when it runs, then it lists the worst five and says how many there are', async () => {
    unit['D-ZJJ'] = (await Units.findOne({ where: { code: 'D-ZJJ' } }))!;
    const cases = [];
    for (let late = 1; late <= 6; late++) cases.push((await open('D-ZJJ', 'handling', -late * 24, 'red')).caseNo);
    const run = await dailyOverdueDigest(new Date('2026-03-07T00:00:00Z'));
    const zjj = run.units.find((u) => u.unitCode === 'D-ZJJ')!;
    expect([zjj.overdue, zjj.worst]).to.deep.equal([6, cases.slice(1).reverse()]); // 6 days late first; the 1-day one left out
    const body = (await OutboxMessages.findOne({ where: { dedupKey: 'digest:D-ZJJ:2026-03-07' } }))!.body;
    expect(body).to.contain(`${cases[5]}（处置，超期8天）`).and.to.contain('等6件。');
    expect(body).to.not.contain(cases[0]!);
  });
});
