import type { Log } from '../domain/shared/log.js';
import { loadBusinessCalendar, type CalendarSettings } from '../domain/calendar/index.js';
import type { RunningWorkers, WorkflowEngine } from '../port/workflow-engine.js';
import { createJobHandlers } from './registry.js';
import { backgroundJobs } from '../domain/shared/foreground-load.js';

/**
 * Starts every job worker of the registry against a workflow engine: in the app's own process
 * (`npm start`) or in a process of its own (`npm run workers`, scaled out on Camunda 8).
 */
export async function startJobWorkers(
  engine: WorkflowEngine,
  settings: CalendarSettings & { CLASSIFY_MIN_CONFIDENCE?: number },
  log: Log,
): Promise<RunningWorkers> {
  const calendar = await loadBusinessCalendar(settings);
  // while requests wait, each job type takes one job at a time (see foreground-load)
  return engine.startWorkers(
    createJobHandlers({
      calendar,
      now: () => new Date(),
      log,
      ...(settings.CLASSIFY_MIN_CONFIDENCE !== undefined ? { settings: { classifyThreshold: settings.CLASSIFY_MIN_CONFIDENCE } } : {}),
    }).map((spec) => ({ ...spec, maxJobsActive: backgroundJobs(typeof spec.maxJobsActive === 'number' ? spec.maxJobsActive : 32) })),
  );
}
