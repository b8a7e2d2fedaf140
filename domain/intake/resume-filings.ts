import type { WorkflowEngine } from '../../port/workflow-engine.js';
import { finishFiling, interruptedFilings } from './file-case.js';

/**
 * The recovery step at start: finishes every filing a crash interrupted (a `cases` row whose intake intent is
 * still set, see fileCase), oldest first. Idempotent: a filing whose instance was started before the crash
 * gets that instance, not a second; run twice, the second run finds nothing to do. `graceMs`: only rows
 * older than this, so that filings another live process has under way (several app processes on one MySQL
 * database with Camunda) are left to it; the embedded engine runs in one process only, and passes 0.
 * A filing the engine refuses now (its process not deployed) stays for the next start and is reported.
 */
export async function resumeInterruptedFilings(
  port: WorkflowEngine,
  options: { graceMs: number },
): Promise<{ finished: string[]; failed: Array<{ caseId: string; error: string }> }> {
  const before = new Date(Date.now() - options.graceMs);
  const finished: string[] = [];
  const failed: Array<{ caseId: string; error: string }> = [];
  const seen = new Set<string>();
  for (;;) {
    const batch = (await interruptedFilings(before)).filter((c) => !seen.has(String(c.id)));
    if (!batch.length) break;
    // together: their instances share the engine's transactions and their records the chain's
    await Promise.all(
      batch.map(async (c) => {
        seen.add(String(c.id));
        try {
          finished.push((await finishFiling(port, c)).caseId);
        } catch (err) {
          failed.push({ caseId: String(c.id), error: (err as Error).message });
        }
      }),
    );
  }
  return { finished, failed };
}
