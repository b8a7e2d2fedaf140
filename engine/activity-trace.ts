import { performance } from 'node:perf_hooks';

/**
 * Diagnostics (off unless `enableActivityTrace` is called, as `LOOP_TRACE=1 npm run bench:api` does):
 * the spans of the work that may hold the event loop — each group commit, each batch of jobs a worker
 * hands its handlers — so that a bench can say which of them was running when the loop stalled.
 */
export interface ActivitySpan {
  name: string;
  /** performance.now() at the start and the end, ms */
  start: number;
  end: number;
  /** members of the group, jobs of the batch */
  size: number;
}

const KEEP = 100_000;
let spans: ActivitySpan[] | null = null;
const noop = () => {};

export function enableActivityTrace(): void {
  spans ??= [];
}

/** Starts a span; call the result when the activity ends (kept if it took `minMs` or more). Free when tracing is off. */
export function traceActivity(name: string, size = 0, minMs = 0): () => void {
  if (!spans) return noop;
  const start = performance.now();
  return () => {
    const end = performance.now();
    if (!spans || end - start < minMs) return;
    spans.push({ name, start, end, size });
    if (spans.length > 2 * KEEP) spans = spans.slice(-KEEP);
  };
}

/** The spans recorded so far, oldest first; `clear` forgets them. */
export function activitySpans(clear = false): ActivitySpan[] {
  const out = spans ?? [];
  if (clear && spans) spans = [];
  return out;
}
