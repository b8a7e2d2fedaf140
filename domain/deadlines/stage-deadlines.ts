import { type WarningLight } from '../../db/vocabulary.js';
import type { EventTypeRecord as EventType } from '../cases/case-records.js';
import type { BusinessCalendar, Clock } from '../calendar/index.js';
import { DomainError } from '../shared/errors.js';

export const STAGES = ['accept', 'dispatch', 'handle', 'verify'] as const;
export type Stage = (typeof STAGES)[number];

/** 80 % yellow (催办), 100 % due (红灯/督办), 150 % 挂牌督办. */
export const MARK_FRACTIONS = { warn: 0.8, due: 1, supervise: 1.5 } as const;

/** Used while a case has no event type yet (受理 of an unclassified report): the common working-time limits. */
export const FALLBACK_LIMITS: Readonly<Record<Stage, string>> = { accept: '1h', dispatch: '1h', handle: '5d', verify: '1d' };

/** `extra`: a named extra stage of the event type (`extra_stages`, e.g. 违法建设 停工/处罚/拆除). */
export type DeadlineStage = Stage | 'extra';

/** One stage's deadline marks, as recorded in the audit log and handed to the process. */
export interface StageDeadline {
  stage: DeadlineStage;
  /** the extra stage's name (only for stage `extra`) */
  extraStage?: string;
  clock: Clock;
  startAt: string;
  /** the limit as written (`4h`, `2d`, `60m`), plus any extensions, e.g. `4h+8h` */
  limit: string;
  /** the limit's length on its clock, ms */
  limitMillis: number;
  warnAt: string;
  dueAt: string;
  superviseAt: string;
}

export function isStage(value: unknown): value is Stage {
  return typeof value === 'string' && (STAGES as readonly string[]).includes(value);
}

export function stageLimit(eventType: Pick<EventType, 'acceptLimit' | 'dispatchLimit' | 'handleLimit' | 'verifyLimit'> | null, stage: Stage): string {
  if (!eventType) return FALLBACK_LIMITS[stage];
  return { accept: eventType.acceptLimit, dispatch: eventType.dispatchLimit, handle: eventType.handleLimit, verify: eventType.verifyLimit }[stage];
}

function marks(calendar: BusinessCalendar, start: Date, limitMillis: number, clock: Clock): { warnAt: string; dueAt: string; superviseAt: string } {
  const [warn, due, supervise] = calendar.deadlineMarks(start, { amount: limitMillis / 60_000, unit: 'm' }, clock, [
    MARK_FRACTIONS.warn,
    MARK_FRACTIONS.due,
    MARK_FRACTIONS.supervise,
  ]);
  return { warnAt: warn!.at.toISOString(), dueAt: due!.at.toISOString(), superviseAt: supervise!.at.toISOString() };
}

/** A stage's marks from its start, on the event type's clock (working time, or 24×7 for emergencies). */
export function stageDeadline(
  calendar: BusinessCalendar,
  input: { stage: DeadlineStage; extraStage?: string; limit: string; clock: Clock; start: Date },
): StageDeadline {
  const limitMillis = calendar.durationMillis(input.limit, input.clock);
  return {
    stage: input.stage,
    ...(input.extraStage !== undefined ? { extraStage: input.extraStage } : {}),
    clock: input.clock,
    startAt: input.start.toISOString(),
    limit: input.limit,
    limitMillis,
    ...marks(calendar, input.start, limitMillis, input.clock),
  };
}

/**
 * The limit of an extra stage by name (`停工` of `停工=4h;处罚=7d;拆除=20d`), or null when the event
 * type has no such stage.
 */
export function extraStageLimit(eventType: Pick<EventType, 'extraStages'> | null, name: string): string | null {
  return eventType?.extraStages?.find((s) => s.name === name)?.limit ?? null;
}

/**
 * 延期: the handling limit grows by `hours` on the same clock (working hours on the working-day
 * calendar), counted from the same start, so all three marks move and stay at 80/100/150 %.
 */
export function extendDeadline(calendar: BusinessCalendar, base: StageDeadline, hours: number): StageDeadline {
  if (typeof hours !== 'number' || !Number.isFinite(hours) || hours <= 0) {
    throw new DomainError('INVALID_ARGUMENT', `extensionHours must be a positive number of hours (got ${JSON.stringify(hours)})`);
  }
  const limitMillis = base.limitMillis + Math.round(hours * 3_600_000);
  return { ...base, stage: 'handle', limit: `${base.limit}+${hours}h`, limitMillis, ...marks(calendar, new Date(base.startAt), limitMillis, base.clock) };
}

/** The light a stage shows at `now`: green before the warning mark, yellow to the due time, red after. */
export function lightAt(deadline: Pick<StageDeadline, 'warnAt' | 'dueAt'>, now: Date): WarningLight {
  if (now.getTime() >= Date.parse(deadline.dueAt)) return 'red';
  if (now.getTime() >= Date.parse(deadline.warnAt)) return 'yellow';
  return 'green';
}
