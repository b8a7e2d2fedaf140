import { terminateCalledInstance } from '../behaviours/call-activity.js';
import { processTerminated } from '../behaviours/process.js';
import * as jobs from '../store/jobs.js';
import * as tasks from '../store/user-tasks.js';
import { closeSubscriptions } from './event-subscriptions.js';
import { resolveIncidentsOf } from './incidents.js';
import type { ElementRow } from './rows.js';
import type { Run } from './run.js';

/** Ends an element and everything inside it: jobs, user tasks, timers, subscriptions, called instances. */
export async function terminate(run: Run, el: ElementRow): Promise<void> {
  for (const child of await run.children(el.key)) await terminate(run, child);
  for (const jobKey of await jobs.jobKeysOfElement(run.db, el.key)) {
    await jobs.deleteJob(run.db, jobKey);
    await run.history(el, 'JOB_CANCELED', { jobKey });
  }
  for (const taskKey of await tasks.openTaskKeysOfElement(run.db, el.key)) {
    await tasks.markTaskEnded(run.db, taskKey, 'CANCELED', run.now);
    await run.history(el, 'USER_TASK_CANCELED', { userTaskKey: taskKey });
    run.effects.userTaskEvents.push({ intent: 'CANCELED', taskKey });
  }
  await resolveIncidentsOf(run, el);
  if (el.type === 'callActivity') await terminateCalledInstance(run, el);
  await closeSubscriptions(run, el);
  await run.deleteElement(el);
  await run.history(el, 'ELEMENT_TERMINATED');
  if (el.type === 'process') await processTerminated(run, el);
}
