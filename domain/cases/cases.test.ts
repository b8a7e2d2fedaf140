import { expect } from 'chai';
import { Cases, InboxTasks, Units, query } from '../../test/support/tables.js';
import { CASE_STATUSES } from '../../db/vocabulary.js';
import { createCase, demoDatabase, type Db } from '../../test/support/case-fixtures.js';
import { caseAuditTrail, verifyAuditChain } from '../audit/index.js';
import { isDomainError } from '../shared/errors.js';
import {
  ALLOWED_TRANSITIONS,
  acceptCase,
  canTransition,
  closeCase,
  dispatchCase,
  extendCase,
  getCaseView,
  markReminded,
  mergeCase,
  parseCaseId,
  raiseEscalation,
  rejectCase,
  reopenCase,
  returnCase,
  reworkCase,
  satisfactionOf,
  submitForVerification,
} from './index.js';

const op = { actor: 'operator', actorRole: 'operator' };
const T = new Date('2026-03-02T01:00:00Z');

async function refused(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a refusal');
}

describe('cases (domain/cases)', () => {
  let db: Db;
  before(async () => {
    db = await demoDatabase();
  });
  after(() => db.close());

  it('given the transitions table, when read, then every status is covered and the terminal ones lead nowhere', () => {
    expect(Object.keys(ALLOWED_TRANSITIONS).sort()).to.deep.equal([...CASE_STATUSES].sort());
    expect(ALLOWED_TRANSITIONS.rejected).to.deep.equal([]);
    expect(ALLOWED_TRANSITIONS.merged).to.deep.equal([]);
    expect(ALLOWED_TRANSITIONS.reported).to.have.members(['accepted', 'rejected', 'merged']);
    expect(canTransition('accepted', 'dispatched')).to.equal(true);
    expect(canTransition('dispatched', 'handling')).to.equal(true);
    expect(canTransition('reported', 'closed')).to.equal(false);
  });

  it('given a case id in any shape, when parsed, then only positive integers pass', () => {
    expect(parseCaseId('42')).to.equal('42');
    expect(parseCaseId(42)).to.equal('42');
    for (const bad of ['0', '-1', 'abc', '1.5', '', null, undefined, {}]) expect(parseCaseId(bad), String(bad)).to.equal(null);
  });

  it('given distinct counter values, when saved, then each counter has its own column', async () => {
    const c = await createCase({ fields: { escalationLevel: 1, duplicateCount: 2, reworkCount: 3, extensionCount: 4, returnCount: 5 } });
    const rows = await query(
      `SELECT escalation_level AS e, duplicate_count AS d, rework_count AS r, extension_count AS x, return_count AS t FROM cases WHERE id = ${c.id}`,
    );
    expect((rows as Array<Record<string, unknown>>)[0]).to.deep.equal({ e: 1, d: 2, r: 3, x: 4, t: 5 });
  });

  it('given a reported case in a grid, when read, then its event type, grid and township come with it', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0101', gridCode: 'G-XP-01-01' });
    const view = await getCaseView(c.id);
    expect(view.eventType!.code).to.equal('SJ-0101');
    expect(view.grid!.code).to.equal('G-XP-01-01');
    expect(view.township!.code).to.equal('T-XP');
    expect(view.unit).to.equal(null);
    const missing = await refused(getCaseView('999999'));
    expect(isDomainError(missing, 'NOT_FOUND')).to.equal(true);
  });

  it('given the whole loop, when every step is recorded, then status, times and counters follow and the audit trail tells the story', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0101', gridCode: 'G-XP-01-01' });
    await acceptCase(c.id, { ...op, at: T });
    await dispatchCase(c.id, { ...op, at: new Date(T.getTime() + 600_000) }, { unitCode: 'T-XP', note: '请尽快清理' });
    await returnCase(c.id, { actor: 'clerk' }, { reason: '不属于本单位' });
    await dispatchCase(c.id, op, { unitCode: 'D-CGJ' }); // 改派
    await extendCase(c.id, op, { hours: 8, reason: '需协调车辆' });
    await submitForVerification(c.id, { actor: 'clerk', at: new Date(T.getTime() + 3_600_000) });
    await reworkCase(c.id, { actor: 'gridworker' }, { comment: '仍有垃圾' });
    await submitForVerification(c.id, { actor: 'clerk' });
    await closeCase(c.id, { ...op, at: new Date(T.getTime() + 7_200_000) });
    const done = (await Cases.findByPk(c.id))!;
    const cgj = (await Units.findOne({ where: { code: 'D-CGJ' } }))!;
    expect(done.status).to.equal('closed');
    expect(done.unitId).to.equal(cgj.id);
    expect([done.returnCount, done.extensionCount, done.reworkCount]).to.deep.equal([1, 1, 1]);
    expect(done.acceptedAt!.getTime()).to.equal(T.getTime());
    expect(done.closedAt!.getTime()).to.equal(T.getTime() + 7_200_000);
    const trail = await caseAuditTrail(c.id);
    expect(trail.map((r) => r.action)).to.deep.equal([
      'accepted',
      'dispatched',
      'returned',
      'dispatched',
      'extended',
      'handled',
      'rework',
      'handled',
      'closed',
    ]);
    expect(trail[1]!.detail).to.deep.include({ from: 'accepted', to: 'dispatched', unitCode: 'T-XP', note: '请尽快清理' });
    expect(trail[3]!.detail).to.deep.include({ from: 'returned', redispatch: true, unitCode: 'D-CGJ' });
    expect((await verifyAuditChain()).ok).to.equal(true);
    await reopenCase(c.id, op, { reason: '回访不满意' });
    const reopened = (await Cases.findByPk(c.id))!;
    expect([reopened.status, reopened.closedAt]).to.deep.equal(['handling', null]);
  });

  it('given a step the status does not allow, when tried, then it is refused with both statuses named and nothing is written', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0101' });
    const before = (await caseAuditTrail(c.id)).length;
    const err = await refused(closeCase(c.id, op));
    expect(isDomainError(err, 'INVALID_TRANSITION')).to.equal(true);
    expect(err.message).to.contain('reported').and.contain('closed');
    await rejectCase(c.id, op, { reason: '重复反映' });
    expect(isDomainError(await refused(acceptCase(c.id, op)), 'INVALID_TRANSITION')).to.equal(true);
    expect((await caseAuditTrail(c.id)).length).to.equal(before + 1);
  });

  it('given an unknown unit, when dispatched, then it is refused and the case stays accepted', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0101', status: 'accepted' });
    expect(isDomainError(await refused(dispatchCase(c.id, op, { unitCode: 'NOPE' })), 'INVALID_ARGUMENT')).to.equal(true);
    expect((await Cases.findByPk(c.id))!.status).to.equal('accepted');
  });

  it('given the same dedup key twice, when a counter step is recorded, then it counts once and returns the first record', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0101', status: 'verifying' });
    const first = await reworkCase(c.id, { ...op, dedupKey: 'job:case-rework:7' });
    const second = await reworkCase(c.id, { ...op, dedupKey: 'job:case-rework:7' });
    expect(first.applied).to.equal(true);
    expect(second.applied).to.equal(false);
    expect(second.audit.id).to.equal(first.audit.id);
    expect(second.detail['reworkCount']).to.equal(1);
    expect((await Cases.findByPk(c.id))!.reworkCount).to.equal(1);
  });

  it('given an open case and a new duplicate, when merged, then the duplicate is merged and the target counts it, both audited', async () => {
    const target = await createCase({ eventTypeCode: 'SJ-0101' });
    const dup = await createCase({ eventTypeCode: 'SJ-0101' });
    const change = await mergeCase(dup.id, target.id, { ...op, dedupKey: 'job:case-dedup:1' });
    expect(change.detail).to.deep.include({ from: 'reported', to: 'merged', mergedIntoId: target.id, duplicateCount: 1 });
    const [d, t] = [(await Cases.findByPk(dup.id))!, (await Cases.findByPk(target.id))!];
    expect([d.status, d.mergedIntoId, t.duplicateCount]).to.deep.equal(['merged', target.id, 1]);
    expect((await caseAuditTrail(target.id)).map((r) => r.action)).to.deep.equal(['absorbed']);
    const another = await createCase({ eventTypeCode: 'SJ-0101' });
    expect(isDomainError(await refused(mergeCase(another.id, dup.id, op)), 'INVALID_TRANSITION')).to.equal(true); // a merged case absorbs nothing
    expect(isDomainError(await refused(mergeCase(another.id, another.id, op)), 'INVALID_ARGUMENT')).to.equal(true);
  });

  it('given a case with an open task, when reminded then escalated, then the lights go yellow then red on both, and the level only rises', async () => {
    const c = await createCase({ eventTypeCode: 'SJ-0101', status: 'dispatched' });
    await InboxTasks.create({
      userTaskKey: `ut-${c.id}`,
      caseId: c.id,
      processInstanceKey: null,
      elementId: 'handle',
      name: '处置',
      formId: 'case-handle',
      unitId: null,
      assignee: null,
      candidateGroups: ['D-CGJ'],
      state: 'created',
      dueAt: null,
      followUpAt: null,
      completedAt: null,
      completedBy: null,
    });
    await markReminded(c.id, op, { stage: 'handle' });
    expect([(await Cases.findByPk(c.id))!.warningLight, (await InboxTasks.findOne({ where: { caseId: c.id } }))!.warningLight]).to.deep.equal([
      'yellow',
      'yellow',
    ]);
    await raiseEscalation(c.id, 2, op);
    await raiseEscalation(c.id, 1, op);
    await markReminded(c.id, op); // a late reminder does not dim the red light
    const after = (await Cases.findByPk(c.id))!;
    expect([after.warningLight, after.escalationLevel]).to.deep.equal(['red', 2]);
    expect((await InboxTasks.findOne({ where: { caseId: c.id } }))!.warningLight).to.equal('red');
  });

  it('given the answers of a 回访, when read, then a rating beats the yes/no and maps to three levels', () => {
    expect(satisfactionOf({ rating: 5 })).to.equal('satisfied');
    expect(satisfactionOf({ rating: 3, satisfied: false })).to.equal('basic');
    expect(satisfactionOf({ rating: '2' })).to.equal('unsatisfied');
    expect(satisfactionOf({ satisfied: true })).to.equal('satisfied');
    expect(satisfactionOf({})).to.equal(null);
  });
});
