import type { InstanceSummary, MigrationPlan, WorkflowEngine } from '../../port/workflow-engine.js';
import { dropIntent, leftIntents, type OperationIntent } from './intents.js';
import { recordMigration } from './migration.js';
import { recordCancel } from './repair.js';

/**
 * The recovery step at start for cancels and migrations a crash cut between the engine and the case's record
 * (intents.ts): what the engine did is recorded now — the case closed, or on the target process, audited once
 * with the operator's name and reason — and what it did not do is dropped (the operator had no answer and
 * may ask again), so each action is all or nothing. `graceMs`: only intents that old, so that actions another
 * live process is running (several processes on one MySQL database with Camunda) are left to it; the
 * embedded engine runs in one process only, and passes 0. Answers the instances whose action was recorded.
 */
export async function resumeOperationIntents(
  port: WorkflowEngine,
  options: { graceMs: number },
): Promise<{ recorded: string[]; dropped: string[]; failed: Array<{ key: string; error: string }> }> {
  const recorded: string[] = [];
  const dropped: string[] = [];
  const failed: Array<{ key: string; error: string }> = [];
  for (const intent of await leftIntents(new Date(Date.now() - options.graceMs))) {
    try {
      if (await finish(port, intent)) recorded.push(intent.processInstanceKey);
      else dropped.push(intent.processInstanceKey);
    } catch (err) {
      // the intent stays: the next start tries again
      failed.push({ key: intent.processInstanceKey, error: (err as Error).message });
    }
  }
  return { recorded, dropped, failed };
}

/** Records what the engine did for the intent (true), or drops the intent when it did nothing (false). */
async function finish(port: WorkflowEngine, intent: OperationIntent): Promise<boolean> {
  const key = intent.processInstanceKey;
  const now = await port.getInstance(key);
  if (intent.action === 'cancel' && now?.state === 'TERMINATED') {
    await recordCancel(key, intent.caseId, intent.operator, intent.detail);
    return true;
  }
  if (intent.action === 'migrate') {
    const { plan, before, intentId } = intent.detail as { plan: MigrationPlan; before: InstanceSummary; intentId: string };
    if (now && now.processDefinitionKey === plan.targetProcessDefinitionKey && before.processDefinitionKey !== plan.targetProcessDefinitionKey) {
      await recordMigration(port, key, plan, intent.operator, before, intentId);
      return true;
    }
  }
  await dropIntent(key);
  return false;
}
