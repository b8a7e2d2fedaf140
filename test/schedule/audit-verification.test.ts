import { expect } from 'chai';
import { query } from '../support/tables.js';
import { scheduledAuditVerification } from '../../domain/schedule/audit-verification.js';
import { memoryLog } from '../../domain/shared/log.js';
import { appendChainRecords } from '../support/audit-chain.js';
import { freshDatabase } from '../support/database.js';

describe('the audit chain verified as a scheduled job (domain/schedule/audit-verification)', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  before(async () => {
    db = await freshDatabase();
  });
  after(() => db.close());

  it('given nights with new records, when the job runs each night, then it reads only what came since the night before and logs nothing bad', async () => {
    const log = memoryLog();
    const first = await appendChainRecords(100);
    expect(await scheduledAuditVerification(log, 'checkpoint')).to.deep.equal({
      ok: true,
      from: 'start',
      resumedAfter: null,
      checked: 100,
      checkedThisRun: 100,
      verifiedThrough: first[99],
    });
    const second = await appendChainRecords(7);
    expect(await scheduledAuditVerification(log, 'checkpoint')).to.deep.equal({
      ok: true,
      from: 'checkpoint',
      resumedAfter: first[99],
      checked: 107,
      checkedThisRun: 7,
      verifiedThrough: second[6],
    });
    expect(log.lines.filter((l) => l.level === 'error')).to.deep.equal([]);
  });

  it('given a record changed before the last checkpoint, when the full run comes, then it logs the chain broken at that record', async () => {
    const log = memoryLog();
    const [row] = await query<{ id: unknown }>('SELECT id FROM audit_log ORDER BY id LIMIT 1 OFFSET 10');
    const target = String(row!.id);
    await query('UPDATE audit_log SET action = ? WHERE id = ?', ['rewritten', target]);
    expect(await scheduledAuditVerification(log, 'checkpoint')).to.deep.include({ ok: true, checkedThisRun: 0 });
    const full = await scheduledAuditVerification(log, 'start');
    expect(full).to.deep.include({ ok: false, from: 'start', checked: 10 });
    const errors = log.lines.filter((l) => l.level === 'error');
    expect(errors.map((l) => l.msg)).to.deep.equal(['audit chain broken']);
    expect(errors[0]!.obj['firstBroken']).to.deep.include({ id: target });
  });
});
