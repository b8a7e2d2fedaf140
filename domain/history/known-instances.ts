/**
 * instance → case, for the instances seen lately (most events of an instance come in a row). Intake puts
 * each new case's instance here as soon as the engine has started it: its first events reach the case
 * history before intake has committed the mapping, and each such event cost three look-ups that found
 * nothing (the mapping, the case by its instance key, a parent in the history).
 */
const known = new Map<string, string>();

export function knownCaseOf(instanceKey: string): string | undefined {
  return known.get(instanceKey);
}

export function rememberCaseOf(instanceKey: string, caseId: string): void {
  known.set(instanceKey, caseId);
  if (known.size > 5_000) known.delete(known.keys().next().value!);
}

/** instance keys are only unique within one engine: a new subscription (another database, as in the tests) starts afresh */
export function forgetKnownInstances(): void {
  known.clear();
}
