/**
 * Per-account back-off on wrong passwords (issue #16, item 5: the per-address limit let 85 guesses from
 * rotating addresses through). The first FREE_FAILURES wrong passwords in a row cost nothing; each further one
 * closes the account to logins for 1 s, 2 s, 4 s … at most MAX_WAIT_MS. An attempt while closed is refused
 * unchecked and not counted, so hammering does not lengthen the wait: an attacker can keep an account waiting
 * at most MAX_WAIT_MS past their last counted guess, and gets about one guess per MAX_WAIT_MS. A right password
 * clears the record; FORGET_AFTER_MS of quiet clears it too. Counted in this process (the one-machine
 * deployment, as the address limits in api/http/security.ts); unknown user names are counted like real ones,
 * so the answers do not tell which names exist.
 */
export const FREE_FAILURES = 5;
export const MAX_WAIT_MS = 5 * 60_000;
export const FORGET_AFTER_MS = 15 * 60_000;
/** names remembered at most; the oldest record goes first beyond it (memory stays bounded under a spray) */
const MAX_NAMES = 10_000;

interface Record {
  failures: number;
  closedUntil: number;
  lastFailure: number;
}

export class LoginBackoff {
  private readonly byName = new Map<string, Record>();

  /** Milliseconds until `username` may try again (0: now). */
  waitMs(username: string, now: number): number {
    const r = this.current(username, now);
    return r ? Math.max(0, r.closedUntil - now) : 0;
  }

  failed(username: string, now: number): void {
    const key = username.toLowerCase();
    const r = this.current(username, now) ?? { failures: 0, closedUntil: 0, lastFailure: now };
    r.failures += 1;
    r.lastFailure = now;
    if (r.failures > FREE_FAILURES) r.closedUntil = now + Math.min(MAX_WAIT_MS, 1000 * 2 ** Math.min(30, r.failures - FREE_FAILURES - 1));
    this.byName.delete(key);
    this.byName.set(key, r);
    if (this.byName.size > MAX_NAMES) this.byName.delete(this.byName.keys().next().value!);
  }

  succeeded(username: string): void {
    this.byName.delete(username.toLowerCase());
  }

  private current(username: string, now: number): Record | null {
    const key = username.toLowerCase();
    const r = this.byName.get(key);
    if (r && now - r.lastFailure > FORGET_AFTER_MS && now >= r.closedUntil) {
      this.byName.delete(key);
      return null;
    }
    return r ?? null;
  }
}
