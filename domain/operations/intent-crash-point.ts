/**
 * Fault injection for the restart test of cancel and migration (test/api/operations-intent-restart.test.ts),
 * and only for it: with `YWTG_TEST_KILL_OPS_AT=<step>` in its environment the server kills itself (SIGKILL,
 * nothing flushed) once the engine has done that action and before the case's side is recorded, so the gap
 * between the two stores is crossed on purpose. Unset (always, outside that test) it does nothing.
 */
export type OpsStep = 'cancel-engine-done' | 'migrate-engine-done';

const killAt = process.env['YWTG_TEST_KILL_OPS_AT'] as OpsStep | undefined;

export function opsCrashPoint(step: OpsStep): void {
  if (killAt === step) process.kill(process.pid, 'SIGKILL');
}
