import { expect } from 'chai';
import { CaseEvents, OutboxMessages } from '../support/tables.js';
import { appendAudit } from '../../domain/audit/index.js';
import type { Actor } from '../../domain/auth/sessions.js';
import { caseHistory, type TimelineEntry } from '../../domain/history/case-history.js';
import { caseTimelineStream } from '../../domain/history/timeline-stream.js';
import { createCase, demoDatabase, type Db } from '../support/case-fixtures.js';

const T0 = Date.parse('2026-03-02T01:00:00Z');
const at = (ms: number) => new Date(T0 + ms);

describe('case timeline read a batch at a time, for the CSV (domain/history/timeline-stream)', function () {
  this.timeout(60_000);
  let db: Db;
  let caseId: string;
  const auditor: Actor = { userId: 0, username: 'auditor', displayName: '审计', role: 'auditor', unitId: null };
  const clerk: Actor = { userId: 0, username: 'stranger', displayName: '他人', role: 'dept_staff', unitId: 999_999 };

  before(async () => {
    db = await demoDatabase();
    const c = await createCase({ createdAt: at(0), fields: { processInstanceKey: '2251799813685001' } });
    caseId = c.id;
    // engine events: several per instant, some with variables, in an order where ids and instants disagree
    let n = 0;
    const event = (ms: number, elementId: string, variables?: Record<string, unknown>) =>
      CaseEvents.create({
        eventKey: `ev-${caseId}-${n++}`,
        caseId,
        processInstanceKey: '2251799813685001',
        parentInstanceKey: null,
        elementInstanceKey: `${9000 + n}`,
        elementId,
        elementType: 'userTask',
        bpmnProcessId: 'case-generic',
        intent: 'COMPLETED',
        at: at(ms),
        detail: variables ? { variables } : null,
        createdAt: at(ms),
      });
    await event(0, 'accept', { filed: true });
    await event(0, 'dispatch');
    await event(0, 'route', { unitCode: 'D-CGJ' });
    await event(2_000, 'late-delivered'); // stored before the next ones, but later in time
    await event(1_000, 'handle', { note: '已处理' });
    await event(1_000, 'verify');
    for (let i = 0; i < 25; i++) await event(3_000 + i * 10, `step-${i}`, i % 3 ? undefined : { i });
    // audit records and notifications, some at the same instants as the events
    await appendAudit({ caseId, actor: 'operator', action: 'reported', at: at(0) });
    await appendAudit({ caseId, actor: 'operator', action: 'accepted', at: at(0) });
    await appendAudit({ caseId, actor: 'clerk', action: 'handled', at: at(1_000) });
    await appendAudit({ caseId, actor: 'worker:x', action: 'early', at: at(-5_000) });
    for (const [ms, body] of [
      [0, '已受理'],
      [2_000, '已办结'],
      [1_000, '处理中'],
    ] as const) {
      await OutboxMessages.create({
        dedupKey: `t-${caseId}-${ms}`,
        kind: 'sms',
        channel: 'sms',
        recipient: '13900001111',
        caseId,
        subject: null,
        body,
        nextAttemptAt: at(ms),
        lastError: null,
        sentAt: null,
        createdAt: at(ms),
      });
    }
  });
  after(() => db.close());

  const streamed = async (actor: Actor, batchSize: number) => {
    const out: TimelineEntry[][] = [];
    for await (const batch of (await caseTimelineStream(actor, caseId, batchSize)).batches) out.push(batch);
    return out;
  };

  for (const batchSize of [1, 3, 200]) {
    it(`given a case with events, actions and notifications sharing instants, when read in batches of ${batchSize}, then the entries are caseHistory's timeline, in its order`, async () => {
      const whole = (await caseHistory(auditor, caseId)).timeline;
      const batches = await streamed(auditor, batchSize);
      expect(batches.flat()).to.deep.equal(whole);
      expect(whole).to.have.length(6 + 3 + 25 + 9 + 4 + 3);
      expect(batches.every((b) => b.length <= batchSize)).to.equal(true);
    });
  }

  it('given the phone number of a notification, when an auditor streams the timeline, then it is masked as in caseHistory', async () => {
    const recipients = (await streamed(auditor, 50))
      .flat()
      .filter((e) => e.kind === 'notification')
      .map((e) => (e as { recipient: string }).recipient);
    expect(recipients).to.deep.equal(['139****1111', '139****1111', '139****1111']);
  });

  it('given a reader that stops after the first batch, when it returns, then the reads end without error', async () => {
    const { batches } = await caseTimelineStream(auditor, caseId, 2);
    const first = await batches.next();
    expect(first.done).to.equal(false);
    expect(await batches.return(undefined)).to.deep.equal({ done: true, value: undefined });
  });

  it('given a user who may not read the case, when the stream is opened, then it is refused before anything is read', async () => {
    let caught: unknown;
    try {
      await caseTimelineStream(clerk, caseId);
    } catch (err) {
      caught = err;
    }
    expect((caught as { details?: Record<string, unknown> }).details?.['apiCode']).to.equal('case_not_found');
  });
});
