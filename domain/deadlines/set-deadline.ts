import { appSql } from '../../db/sql/current.js';
import type { BusinessCalendar } from '../calendar/index.js';
import { readEventTypeRecord } from '../cases/case-records.js';
import { changeCase, type CaseChange, type CaseFields, type ChangeContext } from '../cases/change-case.js';
import { assignmentOf } from '../intake/assign-case.js';
import { DomainError } from '../shared/errors.js';
import { extendDeadline, extraStageLimit, lightAt, stageDeadline, stageLimit, type Stage, type StageDeadline } from './stage-deadlines.js';

const COLUMN: Record<Stage, 'acceptDueAt' | 'dispatchDueAt' | 'handleDueAt' | 'verifyDueAt'> = {
  accept: 'acceptDueAt',
  dispatch: 'dispatchDueAt',
  handle: 'handleDueAt',
  verify: 'verifyDueAt',
};

export const DEADLINE_ACTION = 'deadline-set';

function apply(c: CaseFields, deadline: StageDeadline, now: Date): void {
  if (deadline.stage !== 'extra') c[COLUMN[deadline.stage]] = new Date(deadline.dueAt);
  c.dueAt = new Date(deadline.dueAt); // the running stage's due time: what the screen sorts by
  c.warningLight = lightAt(deadline, now); // a new stage clock starts green
}

/**
 * Computes a stage's deadline for a case from its event type's limit, starting `ctx.at`, stores
 * it on the case, and records it (with its start and limit) in the audit log.
 */
export function setStageDeadline(
  caseId: string,
  stage: Stage,
  calendar: BusinessCalendar,
  ctx: ChangeContext & { at: Date },
): Promise<CaseChange & { deadline: StageDeadline }> {
  return changeCase(caseId, DEADLINE_ACTION, ctx, async (c, { transaction }) => {
    const eventType = c.eventTypeId ? await readEventTypeRecord({ id: c.eventTypeId }, transaction) : null;
    // a leader's 交办 sets the 处置 deadline itself: due at the leader's time, on the natural clock (the
    // leader named a moment, not an amount of working time); warn and 督办 marks keep their fractions
    const assigned = stage === 'handle' ? await assignmentOf(c.id, transaction) : null;
    const leaderMinutes = assigned ? Math.ceil((assigned.dueAt.getTime() - ctx.at.getTime()) / 60_000) : 0;
    if (assigned && leaderMinutes > 0) {
      const deadline = stageDeadline(calendar, { stage, limit: `${leaderMinutes}m`, clock: 'natural', start: ctx.at });
      apply(c, deadline, ctx.at);
      return { ...deadline, leaderDueAt: assigned.dueAt.toISOString() };
    }
    const deadline = stageDeadline(calendar, { stage, limit: stageLimit(eventType, stage), clock: eventType?.clock ?? 'working', start: ctx.at });
    apply(c, deadline, ctx.at);
    return { ...deadline, fallbackLimit: eventType === null };
  }).then((change) => ({ ...change, deadline: change.detail as unknown as StageDeadline }));
}

/**
 * 延期: moves the handling deadline by `hours`, from the handling deadline last set (or extended)
 * for the case — so a second extension adds to the first.
 */
export function extendHandleDeadline(
  caseId: string,
  hours: number,
  calendar: BusinessCalendar,
  ctx: ChangeContext & { at: Date },
): Promise<CaseChange & { deadline: StageDeadline }> {
  return changeCase(caseId, DEADLINE_ACTION, ctx, async (c, { transaction }) => {
    const records = await appSql(transaction)
      .selectFrom('audit_log')
      .select('detail')
      .where('caseId', '=', caseId)
      .where('action', '=', DEADLINE_ACTION)
      .orderBy('id', 'desc')
      .execute();
    const base = records.map((r) => (r.detail === null ? null : (JSON.parse(r.detail) as StageDeadline | null))).find((d) => d?.stage === 'handle');
    if (!base) throw new DomainError('INVALID_TRANSITION', `case ${caseId} has no handling deadline to extend (run the handle deadline first)`, { caseId });
    const deadline = extendDeadline(calendar, base, hours);
    apply(c, deadline, ctx.at);
    return { ...deadline, extensionHours: hours, previousDueAt: base.dueAt };
  }).then((change) => ({ ...change, deadline: change.detail as unknown as StageDeadline }));
}

/**
 * An extra stage (`extra_stages` of the event type, e.g. 违法建设 停工=4h;处罚=7d;拆除=20d) starting
 * `ctx.at`, on the event type's clock: stored as the case's running due time and audited. An event
 * type without that stage is refused (the process names a stage the catalogue does not have).
 */
export function setExtraStageDeadline(
  caseId: string,
  name: string,
  calendar: BusinessCalendar,
  ctx: ChangeContext & { at: Date },
): Promise<CaseChange & { deadline: StageDeadline }> {
  return changeCase(caseId, DEADLINE_ACTION, ctx, async (c, { transaction }) => {
    const eventType = c.eventTypeId ? await readEventTypeRecord({ id: c.eventTypeId }, transaction) : null;
    const limit = extraStageLimit(eventType, name);
    if (!limit) {
      const known = eventType?.extraStages?.map((s) => s.name).join(', ') || 'none';
      throw new DomainError(
        'INVALID_ARGUMENT',
        `event type ${eventType?.code ?? '(none)'} of case ${caseId} has no extra stage ${JSON.stringify(name)} (it has: ${known})`,
        { caseId, extraStage: name },
      );
    }
    const deadline = stageDeadline(calendar, { stage: 'extra', extraStage: name, limit, clock: eventType!.clock, start: ctx.at });
    apply(c, deadline, ctx.at);
    return { ...deadline };
  }).then((change) => ({ ...change, deadline: change.detail as unknown as StageDeadline }));
}

/**
 * A centre task's deadline from `at` (派遣, 核查, a review): the event type's limit for the stage on its clock,
 * computed and returned only. The case's own deadlines and light stay the running stage's (a review does not
 * restart the unit's clock), so nothing is written.
 */
export async function centreTaskDeadline(caseId: string, stage: Stage, calendar: BusinessCalendar, at: Date): Promise<StageDeadline> {
  const row = await appSql().selectFrom('cases').select('eventTypeId').where('id', '=', caseId).executeTakeFirst();
  if (!row) throw new DomainError('NOT_FOUND', `case ${caseId} not found`, { caseId });
  const eventType = row.eventTypeId ? await readEventTypeRecord({ id: row.eventTypeId }) : null;
  return stageDeadline(calendar, { stage, limit: stageLimit(eventType, stage), clock: eventType?.clock ?? 'working', start: at });
}
