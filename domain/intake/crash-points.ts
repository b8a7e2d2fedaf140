/**
 * Fault injection for the kill tests (test/api/intake-crash.test.ts), and only for them: with
 * `YWTG_TEST_KILL_INTAKE_AT=<step>` in its environment the server kills itself (SIGKILL, nothing flushed,
 * nothing cleaned up) the first time a filing reaches that step, so that each gap between two of intake's
 * transactions is crossed on purpose rather than by luck. Unset (always, outside those tests) it does nothing.
 */
export type IntakeStep =
  /** the `cases` row and its intent are committed; no instance yet */
  | 'row-committed'
  /** the engine has committed the instance; the case does not know it yet */
  | 'instance-started'
  /** the instance key, the mapping and the audit record are committed; the reporter has no answer yet */
  | 'filing-recorded';

const killAt = process.env['YWTG_TEST_KILL_INTAKE_AT'] as IntakeStep | undefined;

export function intakeCrashPoint(step: IntakeStep): void {
  if (killAt === step) process.kill(process.pid, 'SIGKILL');
}
