/**
 * Fault injection for the restart test of batches (test/api/operations-batch-restart.test.ts), and only for it:
 * with `YWTG_TEST_KILL_BATCH_AFTER=<n>` in its environment the server kills itself (SIGKILL, nothing flushed)
 * once a batch has written the result of its n-th instance, so that a batch is cut off mid-way on purpose
 * rather than by luck. Unset (always, outside that test) it does nothing.
 */
const killAfter = Number(process.env['YWTG_TEST_KILL_BATCH_AFTER'] ?? 0);

export function batchCrashPoint(processed: number): void {
  if (killAfter > 0 && processed === killAfter) process.kill(process.pid, 'SIGKILL');
}
