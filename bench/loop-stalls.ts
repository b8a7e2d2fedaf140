import { performance, PerformanceObserver } from 'node:perf_hooks';
import { activitySpans, enableActivityTrace, type ActivitySpan } from '../engine/index.js';

/**
 * `LOOP_TRACE=1` in a bench's server process: notes every event-loop stall (a 2 ms timer that came more
 * than STALL_MS late) and, from the activity trace (engine/activity-trace.ts) and the GC's own entries,
 * which activity was running during it. A synchronous activity that holds the loop lies inside the stall;
 * one that overlaps it only in part was waiting for part of the time.
 */
const STALL_MS = 50;
const TICK_MS = 2;

interface Stall {
  start: number;
  end: number;
}

export function watchLoopStalls(): { reset(): void; report(): string } {
  enableActivityTrace();
  let stalls: Stall[] = [];
  let gcs: ActivitySpan[] = [];
  let last = performance.now();
  const tick = setInterval(() => {
    const now = performance.now();
    if (now - last - TICK_MS > STALL_MS) stalls.push({ start: last, end: now });
    last = now;
  }, TICK_MS);
  tick.unref();
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcs.push({ name: 'gc', start: e.startTime, end: e.startTime + e.duration, size: 0 });
  });
  gc.observe({ entryTypes: ['gc'] });

  return {
    reset() {
      stalls = [];
      gcs = [];
      activitySpans(true);
    },
    report() {
      const spans = [...activitySpans(), ...gcs];
      const kind = (s: ActivitySpan) => s.name;
      const byKind = new Map<string, ActivitySpan[]>();
      for (const s of spans) (byKind.get(kind(s)) ?? byKind.set(kind(s), []).get(kind(s))!).push(s);
      const q = (xs: number[], p: number) => {
        const s = [...xs].sort((a, b) => a - b);
        return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : 0;
      };
      const r1 = (x: number) => Math.round(x * 10) / 10;
      const kinds = [...byKind]
        .map(([name, list]) => {
          const d = list.map((s) => s.end - s.start);
          return {
            name,
            count: list.length,
            ms_p50: r1(q(d, 50)),
            ms_p99: r1(q(d, 99)),
            ms_max: r1(Math.max(...d)),
            over_50ms: d.filter((x) => x > STALL_MS).length,
            size_mean: r1(list.reduce((n, s) => n + s.size, 0) / list.length),
            size_max: Math.max(...list.map((s) => s.size)),
          };
        })
        .filter((k) => k.ms_max >= 1)
        .sort((a, b) => b.count - a.count);
      // per stall: what overlapped it, largest overlap first
      const blame = new Map<string, number>();
      let stallMs = 0;
      const detail = stalls.map((st) => {
        const len = st.end - st.start;
        stallMs += len;
        const over = spans
          .map((s) => ({ s, ms: Math.min(s.end, st.end) - Math.max(s.start, st.start) }))
          .filter((o) => o.ms > 1)
          .sort((a, b) => b.ms - a.ms);
        const top = over[0];
        const culprit = top && top.ms >= 0.5 * len ? kind(top.s) : 'unattributed';
        blame.set(culprit, (blame.get(culprit) ?? 0) + 1);
        return `${r1(len)} ms: ${
          over
            .slice(0, 4)
            .map((o) => `${kind(o.s)}(n=${o.s.size}, ${r1(o.s.end - o.s.start)} ms, ${r1(o.ms)} in stall)`)
            .join(', ') || 'nothing traced'
        }`;
      });
      return JSON.stringify({
        stalls: stalls.length,
        stall_ms: r1(stallMs),
        blamed: Object.fromEntries(blame),
        kinds,
        worst: detail
          .map((d, i) => ({ d, len: stalls[i]!.end - stalls[i]!.start }))
          .sort((a, b) => b.len - a.len)
          .slice(0, 25)
          .map((x) => x.d),
      });
    },
  };
}
