import { EngineError } from '../errors.js';
import * as incidents from '../store/incidents.js';
import * as jobs from '../store/jobs.js';
import type { CommandContext } from './context.js';

/**
 * Resolves an incident and retries what failed: the element's step (`data.pending`, after the caller
 * fixed the variables), or the job (give it retries first). Incidents are raised by runtime/incidents.ts.
 */
export async function resolveIncident(ctx: CommandContext, incidentKey: string): Promise<void> {
  await ctx.command(async (run) => {
    const inc = await incidents.selectIncident(ctx.driver, incidentKey);
    if (!inc) throw new EngineError('NOT_FOUND', `incident ${incidentKey} not found`);
    if (inc.state !== 'ACTIVE') throw new EngineError('INVALID_STATE', `incident ${incidentKey} is already resolved`);
    const el = await run.element(inc.element_key);
    if (inc.job_key) {
      const job = await jobs.selectJob(ctx.driver, inc.job_key);
      if (job && job.state === 'FAILED' && Number(job.retries) < 1) {
        throw new EngineError('INVALID_STATE', `job ${inc.job_key} has no retries left: update its retries before resolving incident ${incidentKey}`);
      }
      if (job) {
        await jobs.reactivate(ctx.driver, job.job_key, Math.max(1, Number(job.retries)));
        run.effects.jobTypes.add(job.type);
      }
    }
    await incidents.markResolved(ctx.driver, incidentKey, ctx.clock.now());
    await run.history(el, 'INCIDENT_RESOLVED', { incidentKey }, inc.instance_key);
    if (!inc.job_key && el?.data.pending) run.enqueue(el.data.pending, el.key);
  });
}
