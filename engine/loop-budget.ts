import { performance } from 'node:perf_hooks';

/**
 * How long a group commit may hold the event loop: the time since the loop last had a turn. On
 * better-sqlite3 a transaction's statements run through on this thread without one (the answers come
 * by process.nextTick), so a group of 32 intakes held the loop for the whole group — hundreds of
 * milliseconds on a loaded machine, every request in the meantime waiting. Over MySQL every statement
 * waits for the network and the loop turns between them, so the budget is never spent there and
 * groups stay as large as they were.
 *
 * The loop's turn is seen by a setImmediate armed when the budget is made and again at each `spent()`
 * after the last one ran: one callback per check at most, and none left pending while the loop waits
 * for I/O (a pending immediate would make it poll without blocking). The time the loop then sat idle
 * waiting for I/O (its event-loop utilisation's idle time) is not work: it does not count either.
 */
export class LoopBudget {
  private lastTurn = 0;
  private idleAtTurn = 0;
  private armed = false;

  constructor(readonly ms: number) {
    this.turned();
    this.arm();
  }

  /** true once the work since the loop's last turn has taken `ms` or more */
  spent(): boolean {
    this.arm();
    const held = performance.now() - this.lastTurn - (idleMs() - this.idleAtTurn);
    return held >= this.ms;
  }

  private turned(): void {
    this.lastTurn = performance.now();
    this.idleAtTurn = idleMs();
  }

  private arm(): void {
    if (this.armed) return;
    this.armed = true;
    setImmediate(() => {
      this.armed = false;
      this.turned();
    });
  }
}

const idleMs = () => performance.eventLoopUtilization().idle;

/**
 * The default: a group ends at the first member boundary after 12 ms without a turn of the loop. Long
 * enough for a few dozen ordinary members (a group's fixed cost, the COMMIT and its fsync, is still
 * shared), short enough that with the COMMIT and a member that ran over it stays well under the 50 ms
 * the event loop may be held (issue 12).
 */
export const GROUP_LOOP_BUDGET_MS = 12;
