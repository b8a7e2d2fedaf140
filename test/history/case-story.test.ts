import { expect } from 'chai';
import type { TimelineEntry } from '../../domain/history/case-history.js';
import { caseStory } from '../../domain/history/case-story.js';
import { elementNamesOf } from '../../domain/history/history-names.js';

let id = 0;
const action = (at: string, actionCode: string, actor: string, actorRole: string | null, detail: Record<string, unknown>): TimelineEntry => ({
  at,
  kind: 'action',
  auditId: String(++id),
  action: actionCode,
  actor,
  actorRole,
  detail,
});
const worker = (at: string, code: string, detail: Record<string, unknown>) => action(at, code, `worker:${code}`, 'system', detail);
const task = (at: string, actor: string, role: string, elementId: string, data: Record<string, unknown>) =>
  action(at, 'task_completed', actor, role, { elementId, data });
const element = (at: string): TimelineEntry => ({
  at,
  kind: 'element',
  intent: 'COMPLETED',
  elementId: 'accept',
  elementType: 'userTask',
  elementInstanceKey: '9',
  processInstanceKey: '1',
  bpmnProcessId: 'case-generic',
  detail: null,
});

describe('history: the story of a case (domain/history/case-story.ts)', () => {
  it("given a case returned once and handled late, when its story is read, then the steps come in order with who, durations and each stage's deadline met or missed", () => {
    // given: reported 09:00, accepted 09:10 (due 09:30), dispatched by the centre 09:20 to one unit, returned, re-dispatched,
    // handled 15:00 although due 13:20, verified, closed, rated
    const timeline: TimelineEntry[] = [
      action('2026-03-02T01:00:00.000Z', 'reported', 'op1', 'operator', { channel: 'hotline' }),
      worker('2026-03-02T01:00:01.000Z', 'deadline-set', { stage: 'accept', dueAt: '2026-03-02T01:30:00.000Z' }),
      element('2026-03-02T01:10:00.000Z'),
      task('2026-03-02T01:10:00.000Z', 'op1', 'operator', 'accept', { filed: true }),
      worker('2026-03-02T01:10:01.000Z', 'accepted', { to: 'accepted' }),
      worker('2026-03-02T01:10:02.000Z', 'routed', { routeReason: '无规则命中', routeSure: false }),
      task('2026-03-02T01:20:00.000Z', 'op2', 'operator', 'dispatch', { unitCode: 'D-CGJ', dispatchNote: '请核实' }),
      worker('2026-03-02T01:20:01.000Z', 'dispatched', { unitCode: 'D-CGJ', unitName: '城管局' }),
      worker('2026-03-02T01:20:02.000Z', 'deadline-set', { stage: 'handle', dueAt: '2026-03-02T05:20:00.000Z' }),
      task('2026-03-02T02:00:00.000Z', 'clerk', 'dept_staff', 'handle', { handleOutcome: 'return', returnReason: '非本单位职责' }),
      worker('2026-03-02T02:30:00.000Z', 'dispatched', { unitCode: 'D-ZFW', unitName: '住房和城乡建设局', redispatch: true }),
      task('2026-03-02T07:00:00.000Z', 'clerk2', 'dept_staff', 'handle', { handleOutcome: 'done', handleResult: '已修复' }),
      task('2026-03-02T07:30:00.000Z', 'op1', 'operator', 'verify', { verified: true, verifyComment: '现场已恢复' }),
      worker('2026-03-02T07:30:01.000Z', 'closed', { closedAt: '2026-03-02T07:30:01.000Z' }),
      action('2026-03-02T08:00:00.000Z', 'rating_given', 'public', null, { rating: 4, satisfied: true }),
      worker('2026-03-02T08:00:01.000Z', 'rated', { rating: 4, satisfaction: 'satisfied' }),
    ];

    // when
    const story = caseStory(timeline, { createdAt: '2026-03-02T01:00:00.000Z', closedAt: '2026-03-02T07:30:01.000Z' });

    // then
    expect(story.steps.map((s) => s.kind)).to.deep.equal([
      'reported',
      'accepted',
      'dispatched',
      'returned',
      'dispatched',
      'handled',
      'verified',
      'closed',
      'rated',
    ]);
    const [reported, accepted, dispatched, returned, redispatched, handled, verified, closed, rated] = story.steps;
    expect(reported).to.include({ actor: 'op1', sinceMs: null });
    expect(accepted).to.include({ actor: 'op1', onTime: true, dueAt: '2026-03-02T01:30:00.000Z', sinceMs: 10 * 60_000 });
    // the centre's 派遣 names who decided, the unit by name and the note; the re-dispatch after the 退单 came from the system
    expect(dispatched).to.include({ actor: 'op2', unitName: '城管局', note: '请核实' });
    expect(returned).to.include({ actor: 'clerk', note: '非本单位职责', onTime: true });
    expect(redispatched).to.include({ actor: null, unitName: '住房和城乡建设局' });
    expect(handled).to.include({ actor: 'clerk2', note: '已修复', onTime: false, dueAt: '2026-03-02T05:20:00.000Z' });
    expect(verified).to.include({ note: '现场已恢复', onTime: null });
    expect(closed).to.include({ actor: null, at: '2026-03-02T07:30:01.000Z' });
    expect(rated).to.include({ actor: 'public', rating: 4 });
    expect(story.totalMs).to.equal(6.5 * 3_600_000 + 1000);
  });

  it("given a case the classifier accepted and the route sent on its own, then 受理 and 派遣 are the system's, with the route's reason", () => {
    const story = caseStory(
      [
        worker('2026-03-02T01:00:01.000Z', 'accepted', {}),
        worker('2026-03-02T01:00:02.000Z', 'routed', { routeReason: '部件「井盖」派往主管单位' }),
        worker('2026-03-02T01:00:03.000Z', 'dispatched', { unitCode: 'E-GPS', unitName: '供排水公司' }),
      ],
      { createdAt: '2026-03-02T01:00:00.000Z', closedAt: null },
    );
    expect(story.steps.map((s) => [s.kind, s.actor])).to.deep.equal([
      ['reported', null],
      ['accepted', null],
      ['dispatched', null],
    ]);
    expect(story.steps[2]).to.include({ note: '部件「井盖」派往主管单位', unitName: '供排水公司' });
    expect(story.totalMs).to.equal(null);
  });

  it('given BPMN with names (escaped, multi-line), then each element id maps to its name', () => {
    const names = elementNamesOf(
      '<bpmn:process id="p" name="通用&amp;流程"><bpmn:userTask id="accept" name="受理&#10;（中心）" /><bpmn:sequenceFlow id="f1" sourceRef="a" targetRef="b" /></bpmn:process>',
    );
    expect(names).to.deep.equal({ p: '通用&流程', accept: '受理 （中心）' });
  });
});
