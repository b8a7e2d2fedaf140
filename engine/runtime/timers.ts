import type { FlowNode } from '../model/types.js';
import * as store from '../store/timers.js';
import { createInstance } from '../behaviours/process.js';
import type { ElementRow, TimerRow } from './rows.js';
import { json, type Run } from './run.js';
import type { TimerPlan } from './timer-plan.js';
import { nextCronTime, parseCron } from './cron.js';
import { trigger } from './triggers.js';

/**
 * Timers of a running engine: a timer row is written when its event is reached (start timers at deploy),
 * the scheduler (../scheduler.ts) finds it by due time and fires it here. Parsing the ISO 8601 values is
 * timer-spec.ts, the first due time timer-plan.ts.
 */

export async function insertTimer(run: Run, owner: ElementRow | null, elementId: string, plan: TimerPlan, defKey?: string): Promise<void> {
  const def = owner ? (await run.definitionOf(owner)).defKey : defKey!;
  await store.insertTimer(run.db, {
    timerKey: run.nextKey(),
    dueAt: plan.dueAt,
    instanceKey: owner?.instanceKey ?? null,
    elementKey: owner?.key ?? null,
    elementId,
    defKey: def,
    repetitions: plan.repetitions,
    spec: plan.interval ? json(plan.interval) : null,
  });
  if (run.effects.earliestDue === null || plan.dueAt < run.effects.earliestDue) run.effects.earliestDue = plan.dueAt;
}

/** A due timer fires: a start timer starts an instance, any other triggers its event; a cycle schedules its next repetition. */
export async function fireTimer(run: Run, timer: TimerRow): Promise<void> {
  const interval = timer.spec ? (JSON.parse(timer.spec) as TimerPlan['interval']) : null;
  const again = interval && (timer.repetitions === -1 || timer.repetitions > 1);
  if (timer.element_key === null) {
    // a process start timer
    const def = run.ctx.definition(timer.def_key);
    await store.deleteTimer(run.db, timer.timer_key);
    const next = again ? nextRepetition(timer, interval!) : null;
    if (next) await insertTimer(run, null, timer.element_id, next, timer.def_key);
    const key = await createInstance(run, def, {}, timer.element_id);
    await run.history(null, 'TIMER_TRIGGERED', { timerKey: timer.timer_key, elementId: timer.element_id }, key);
    return;
  }
  const owner = await run.element(timer.element_key);
  await store.deleteTimer(run.db, timer.timer_key);
  if (!owner) return;
  await run.history(owner, 'TIMER_TRIGGERED', { timerKey: timer.timer_key, eventId: timer.element_id, dueAt: timer.due_at });
  const event: FlowNode = (await run.definitionOf(owner)).model.nodes[timer.element_id]!;
  const next = again && !event.interrupting ? nextRepetition(timer, interval!) : null;
  if (next) await insertTimer(run, owner, timer.element_id, next);
  await trigger(run, owner.key, timer.element_id, {});
}

function nextRepetition(timer: TimerRow, interval: NonNullable<TimerPlan['interval']>): TimerPlan | null {
  const dueAt = addInterval(timer.due_at, interval);
  if (dueAt === null) return null;
  return { dueAt, repetitions: timer.repetitions === -1 ? -1 : timer.repetitions - 1, interval };
}

/** The next repetition after `from`: an ISO interval added, or the cron expression's next match (null: none left). */
function addInterval(from: number, interval: NonNullable<TimerPlan['interval']>): number | null {
  if ('cron' in interval) {
    const schedule = parseCron(interval.cron);
    return schedule ? nextCronTime(schedule, from) : null;
  }
  const d = new Date(from);
  if (interval.months) d.setUTCMonth(d.getUTCMonth() + interval.months);
  return d.getTime() + interval.millis;
}
