import { type CaseStatus, type WarningLight } from '../../db/vocabulary.js';
import { appSql, type Tx } from '../../db/sql/current.js';
import { DomainError } from '../shared/errors.js';
import { readCaseRecord, readEventTypeRecord, type EventTypeRecord } from './case-records.js';
import { changeCase, changedAt, saveCase, type CaseChange, type CaseFields, type ChangeContext } from './change-case.js';
import { OPEN_STATUSES, assertTransition } from './transitions.js';

/** Moves the case to `to` after checking the transitions table; returns the from/to pair for the record. */
function moveTo(current: CaseFields, to: CaseStatus): { from: CaseStatus; to: CaseStatus } {
  const from = current.status;
  assertTransition(current.id, from, to);
  current.status = to;
  return { from, to };
}

/**
 * Some steps are narrower than the table's edge they use: 重办 (closed → handling) is only for a
 * closed case, and 返工 only for one being handled or verified (a closed case is reopened instead).
 */
function requireStatus(current: CaseFields, allowed: readonly CaseStatus[], what: string): void {
  if (!allowed.includes(current.status)) {
    throw new DomainError('INVALID_TRANSITION', `case ${current.id} is ${current.status}: ${what} needs it ${allowed.join(' or ')}`, {
      caseId: current.id,
      status: current.status,
    });
  }
}

async function eventTypeByCode(code: string, transaction: Tx): Promise<EventTypeRecord> {
  const eventType = await readEventTypeRecord({ code }, transaction);
  if (!eventType) throw new DomainError('INVALID_ARGUMENT', `unknown event type ${code}`, { eventTypeCode: code });
  return eventType;
}

const LIGHT_RANK: Record<WarningLight, number> = { green: 0, yellow: 1, red: 2 };

/** Lights only get brighter here (yellow never hides a red); a new deadline resets them elsewhere. */
function brighter(current: WarningLight, wanted: WarningLight): WarningLight {
  return LIGHT_RANK[wanted] > LIGHT_RANK[current] ? wanted : current;
}

/** The open tasks of the case carry the light too, so the task list shows it without a join. */
async function lightOpenTasks(caseId: string, light: WarningLight, transaction: Tx): Promise<void> {
  const dimmer = (Object.keys(LIGHT_RANK) as WarningLight[]).filter((l) => LIGHT_RANK[l] < LIGHT_RANK[light]);
  if (!dimmer.length) return; // nothing is dimmer than green (the model's IN () matched no task either)
  await appSql(transaction)
    .updateTable('inbox_tasks')
    .set({ warningLight: light, updatedAt: new Date() })
    .where('caseId', '=', caseId)
    .where('state', '=', 'created')
    .where('warningLight', 'in', dimmer)
    .execute();
}

/** 立案 (optionally with the event type the operator chose in 受理). */
export function acceptCase(caseId: string, ctx: ChangeContext, input: { eventTypeCode?: string | null; note?: string | null } = {}): Promise<CaseChange> {
  return changeCase(caseId, 'accepted', ctx, async (c, { transaction }) => {
    const move = moveTo(c, 'accepted');
    if (input.eventTypeCode) {
      const eventType = await eventTypeByCode(input.eventTypeCode, transaction);
      c.eventTypeId = eventType.id;
      c.category = eventType.category;
    }
    c.acceptedAt = changedAt(ctx);
    return { ...move, eventTypeCode: input.eventTypeCode ?? null, note: input.note ?? null };
  });
}

/** 不予立案. */
export function rejectCase(caseId: string, ctx: ChangeContext, input: { reason?: string | null } = {}): Promise<CaseChange> {
  return changeCase(caseId, 'rejected', ctx, async (c) => ({ ...moveTo(c, 'rejected'), reason: input.reason ?? null }));
}

/** 派遣 to a unit, or 改派 to another one; the new stage starts with a green light. */
export function dispatchCase(caseId: string, ctx: ChangeContext, input: { unitCode: string; note?: string | null }): Promise<CaseChange> {
  return changeCase(caseId, 'dispatched', ctx, async (c, { transaction }) => {
    const unit = await appSql(transaction).selectFrom('units').select(['id', 'code', 'name', 'active']).where('code', '=', input.unitCode).executeTakeFirst();
    if (!unit || !unit.active) throw new DomainError('INVALID_ARGUMENT', `unknown or inactive unit ${input.unitCode}`, { unitCode: input.unitCode });
    const previousUnitId = c.unitId;
    const move = moveTo(c, 'dispatched');
    c.unitId = unit.id;
    c.dispatchedAt = changedAt(ctx);
    c.warningLight = 'green';
    return { ...move, unitCode: unit.code, unitName: unit.name, previousUnitId, redispatch: move.from !== 'accepted', note: input.note ?? null };
  });
}

/** Where a case may be moved to another unit by the centre (改派): a unit has it and has not finished. */
export const REDISPATCHABLE_STATUSES: readonly CaseStatus[] = ['dispatched', 'handling', 'returned'];

/**
 * 改派 ordered by the centre while a unit has the case: to another unit, with the reason and who ordered it in
 * the audit record. Not a 退单 (the first unit did not return it, so nothing counts against it); the new unit's
 * stage starts with a green light and, in the process, a fresh handling deadline (docs/domain.md).
 */
export function redispatchCase(
  caseId: string,
  ctx: ChangeContext,
  input: { unitCode: string; reason: string | null; orderedBy: string | null },
): Promise<CaseChange> {
  return changeCase(caseId, 'redispatched', ctx, async (c, { transaction }) => {
    requireStatus(c, REDISPATCHABLE_STATUSES, '改派 (redispatch)');
    const unit = await appSql(transaction).selectFrom('units').select(['id', 'code', 'name', 'active']).where('code', '=', input.unitCode).executeTakeFirst();
    if (!unit || !unit.active)
      throw new DomainError('INVALID_ARGUMENT', `unknown or inactive unit ${input.unitCode}`, { unitCode: input.unitCode, apiCode: 'unknown_unit' });
    const previous = c.unitId
      ? await appSql(transaction).selectFrom('units').select(['id', 'code', 'name']).where('id', '=', c.unitId).executeTakeFirst()
      : null;
    const move = moveTo(c, 'dispatched');
    c.unitId = unit.id;
    c.dispatchedAt = changedAt(ctx);
    c.warningLight = 'green';
    return {
      ...move,
      unitCode: unit.code,
      unitName: unit.name,
      previousUnitCode: previous?.code ?? null,
      previousUnitName: previous?.name ?? null,
      reason: input.reason,
      orderedBy: input.orderedBy,
    };
  });
}

/** 退单: the unit says the case is not theirs; counted against the dispatch. */
export function returnCase(caseId: string, ctx: ChangeContext, input: { reason?: string | null } = {}): Promise<CaseChange> {
  return changeCase(caseId, 'returned', ctx, async (c) => {
    const move = moveTo(c, 'returned');
    c.returnCount += 1;
    return { ...move, returnCount: c.returnCount, reason: input.reason ?? null };
  });
}

/** 延期 approved: counted; the deadline itself moves with the `extend` deadline computation. */
export function extendCase(caseId: string, ctx: ChangeContext, input: { hours?: number | null; reason?: string | null } = {}): Promise<CaseChange> {
  return changeCase(caseId, 'extended', ctx, async (c) => {
    requireStatus(c, ['dispatched', 'handling', 'returned'], '延期 (extension)');
    c.extensionCount += 1;
    return { status: c.status, extensionCount: c.extensionCount, hours: input.hours ?? null, reason: input.reason ?? null };
  });
}

/** 挂账: parked; leaves 应结案 in the evaluation. */
export function shelveCase(caseId: string, ctx: ChangeContext, input: { reason?: string | null } = {}): Promise<CaseChange> {
  return changeCase(caseId, 'shelved', ctx, async (c) => ({ ...moveTo(c, 'shelved'), reason: input.reason ?? null }));
}

/** The unit took the case up (签收/处置中). */
export function startHandling(caseId: string, ctx: ChangeContext): Promise<CaseChange> {
  return changeCase(caseId, 'handling', ctx, async (c) => moveTo(c, 'handling'));
}

/** The unit reports it done: handled time taken here, then 核查. */
export function submitForVerification(caseId: string, ctx: ChangeContext, input: { result?: string | null } = {}): Promise<CaseChange> {
  return changeCase(caseId, 'handled', ctx, async (c) => {
    const move = moveTo(c, 'verifying');
    c.handledAt = changedAt(ctx);
    return { ...move, result: input.result ?? null };
  });
}

/** 返工: verification failed, back to the unit, counted. */
export function reworkCase(caseId: string, ctx: ChangeContext, input: { comment?: string | null } = {}): Promise<CaseChange> {
  return changeCase(caseId, 'rework', ctx, async (c) => {
    requireStatus(c, ['verifying', 'handling', 'dispatched'], '返工 (rework)');
    const move = c.status === 'handling' ? { from: c.status, to: c.status } : moveTo(c, 'handling');
    c.reworkCount += 1;
    return { ...move, reworkCount: c.reworkCount, comment: input.comment ?? null };
  });
}

/** 结案. */
export function closeCase(caseId: string, ctx: ChangeContext, input: { note?: string | null } = {}): Promise<CaseChange> {
  return changeCase(caseId, 'closed', ctx, async (c) => {
    const move = moveTo(c, 'closed');
    const at = changedAt(ctx);
    c.closedAt = at;
    if (!c.handledAt) c.handledAt = at;
    return { ...move, closedAt: at.toISOString(), note: input.note ?? null };
  });
}

/** 重办 after an unsatisfied 回访: open again, with the unit. */
export function reopenCase(caseId: string, ctx: ChangeContext, input: { reason?: string | null } = {}): Promise<CaseChange> {
  return changeCase(caseId, 'reopened', ctx, async (c) => {
    requireStatus(c, ['closed'], '重办 (reopen)');
    const move = moveTo(c, 'handling');
    const closedAt = c.closedAt;
    c.closedAt = null;
    // the next 回访 rates the new handling; the unsatisfied answer stays in this audit record
    const previousSatisfaction = c.satisfaction;
    c.satisfaction = null;
    return { ...move, previousClosedAt: closedAt ? closedAt.toISOString() : null, previousSatisfaction, reason: input.reason ?? null };
  });
}

/**
 * 并单: the case joins an open one that absorbs it (the target's duplicate count goes up, and the
 * target gets its own audit record). Refuses a target that is closed, merged or the case itself.
 */
export function mergeCase(caseId: string, intoCaseId: string, ctx: ChangeContext): Promise<CaseChange> {
  return changeCase(caseId, 'merged', ctx, async (c, chain) => {
    const { transaction } = chain;
    if (intoCaseId === c.id) throw new DomainError('INVALID_ARGUMENT', `case ${c.id} cannot be merged into itself`);
    const target = await readCaseRecord(intoCaseId, transaction, true);
    if (!target) throw new DomainError('NOT_FOUND', `case ${intoCaseId} (merge target) not found`, { caseId: intoCaseId });
    if (!OPEN_STATUSES.includes(target.status)) {
      throw new DomainError('INVALID_TRANSITION', `case ${intoCaseId} is ${target.status} and cannot absorb case ${c.id}`, { caseId: intoCaseId });
    }
    const move = moveTo(c, 'merged');
    c.mergedIntoId = target.id;
    const before = { ...target };
    target.duplicateCount += 1;
    await saveCase(before, target, transaction);
    await chain.append({
      caseId: target.id,
      actor: ctx.actor,
      actorRole: ctx.actorRole ?? null,
      action: 'absorbed',
      at: changedAt(ctx),
      detail: { absorbedCaseId: c.id, absorbedCaseNo: c.caseNo, duplicateCount: target.duplicateCount },
      dedupKey: ctx.dedupKey ? `${ctx.dedupKey}:target` : null,
    });
    return { ...move, mergedIntoId: target.id, mergedIntoCaseNo: target.caseNo, duplicateCount: target.duplicateCount };
  });
}

/** 督办 (1) / 挂牌督办 (2): the level only rises; the light turns red on the case and its open tasks. */
export function raiseEscalation(caseId: string, level: number, ctx: ChangeContext, extra: Record<string, unknown> = {}): Promise<CaseChange> {
  return changeCase(caseId, 'escalated', ctx, async (c, { transaction }) => {
    const previousLevel = c.escalationLevel;
    c.escalationLevel = Math.max(previousLevel, level);
    c.warningLight = 'red';
    await lightOpenTasks(c.id, 'red', transaction);
    return { ...extra, level, previousLevel, escalationLevel: c.escalationLevel, warningLight: c.warningLight };
  });
}

/** 催办: the yellow light (never dimming a red one) on the case and its open tasks. */
export function markReminded(caseId: string, ctx: ChangeContext, extra: Record<string, unknown> = {}): Promise<CaseChange> {
  return changeCase(caseId, 'reminded', ctx, async (c, { transaction }) => {
    c.warningLight = brighter(c.warningLight, 'yellow');
    await lightOpenTasks(c.id, c.warningLight, transaction);
    return { ...extra, warningLight: c.warningLight };
  });
}

/** Sets the event type (classification or a person's choice in 受理). */
export function setCaseEventType(caseId: string, ctx: ChangeContext, input: { eventTypeCode: string; detail?: Record<string, unknown> }): Promise<CaseChange> {
  return changeCase(caseId, 'classified', ctx, async (c, { transaction }) => {
    const eventType = await eventTypeByCode(input.eventTypeCode, transaction);
    c.eventTypeId = eventType.id;
    c.category = eventType.category;
    return { ...input.detail, eventTypeCode: eventType.code, category: eventType.category };
  });
}

export type Satisfaction = 'satisfied' | 'basic' | 'unsatisfied';

/** 回访 result: a 1–5 rating wins (≥4 satisfied, 3 basically, ≤2 not); else the yes/no answer. */
export function satisfactionOf(input: { satisfied?: unknown; rating?: unknown }): Satisfaction | null {
  const rating = typeof input.rating === 'number' ? input.rating : typeof input.rating === 'string' && input.rating.trim() !== '' ? Number(input.rating) : NaN;
  if (Number.isFinite(rating) && rating >= 1 && rating <= 5) return rating >= 4 ? 'satisfied' : rating >= 3 ? 'basic' : 'unsatisfied';
  if (typeof input.satisfied === 'boolean') return input.satisfied ? 'satisfied' : 'unsatisfied';
  return null;
}

/** Records what the reporter said at 回访. */
export function recordSatisfaction(
  caseId: string,
  ctx: ChangeContext,
  input: { satisfaction: Satisfaction; rating?: number | null; comment?: string | null },
): Promise<CaseChange> {
  return changeCase(caseId, 'rated', ctx, async (c) => {
    c.satisfaction = input.satisfaction;
    return { satisfaction: input.satisfaction, rating: input.rating ?? null, comment: input.comment ?? null };
  });
}

/** A machine step that changes nothing on the case but belongs in its history (routing advice, a dedup check …). */
export function noteOnCase(caseId: string, action: string, ctx: ChangeContext, detail: Record<string, unknown>): Promise<CaseChange> {
  return changeCase(caseId, action, ctx, async () => detail);
}
