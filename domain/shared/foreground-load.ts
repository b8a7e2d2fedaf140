/**
 * How many HTTP requests this process is answering right now. Job workers, the history and the inbox
 * share the one event loop with the requests; while people are waiting for answers (an intake burst),
 * background work takes fewer jobs at once and catches up when the burst is over. A process that serves
 * no requests (`npm run workers`) is never busy.
 */
let inFlight = 0;

/** more requests than this in hand and background work steps back */
const BUSY_ABOVE = 4;

export function requestStarted(): () => void {
  inFlight++;
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    inFlight--;
  };
}

export function foregroundBusy(): boolean {
  return inFlight > BUSY_ABOVE;
}

/** jobs of one type a worker takes at once: all it may while the requests are few, one while they are many */
export function backgroundJobs(max: number): () => number {
  return () => (foregroundBusy() ? 1 : max);
}
