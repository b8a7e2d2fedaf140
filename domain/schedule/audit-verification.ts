import { verifyAuditChain, type VerifyFrom } from '../audit/index.js';
import type { Log } from '../shared/log.js';

/**
 * The audit chain verified as a scheduled job: nightly `checkpoint` (reads only what was appended since
 * the last run: seconds), and now and then `start` (every record again: the only run that proves the
 * records before the checkpoint unchanged; minutes at ten million records, yielding to the loop
 * throughout). A broken chain is an error in the log, naming the first broken record; the summary
 * returned is what the scheduler logs for a run.
 */
export async function scheduledAuditVerification(log: Log, from: VerifyFrom): Promise<Record<string, unknown>> {
  const run = await verifyAuditChain({ from });
  const summary = {
    ok: run.ok,
    from: run.from,
    resumedAfter: run.resumedAfter,
    checked: run.checked,
    checkedThisRun: run.checkedThisRun,
    verifiedThrough: run.verifiedThrough,
    ...(run.firstBroken ? { firstBroken: run.firstBroken } : {}),
  };
  if (!run.ok) log.error(summary, 'audit chain broken');
  return summary;
}
