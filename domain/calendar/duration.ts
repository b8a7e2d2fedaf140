/** A stage time limit as written in the catalogue: `30m`, `4h`, `0.5d`. */
export type DurationUnit = 'm' | 'h' | 'd';

export interface Duration {
  amount: number;
  unit: DurationUnit;
}

const DURATION = /^(\d+(?:\.\d+)?)([mhd])$/;

/** Parses `<n>m|h|d`; returns null when the text is not a positive duration. */
export function parseDuration(text: string): Duration | null {
  const m = DURATION.exec(text.trim());
  if (!m) return null;
  const amount = Number(m[1]);
  if (!(amount > 0) || !Number.isFinite(amount)) return null;
  return { amount, unit: m[2] as DurationUnit };
}

export function formatDuration(d: Duration): string {
  return `${d.amount}${d.unit}`;
}

/** Like parseDuration, for callers that must not continue with a bad limit. */
export function requireDuration(text: string): Duration {
  const d = parseDuration(text);
  if (!d) throw new Error(`Invalid duration ${JSON.stringify(text)}: expected a positive <n>m, <n>h or <n>d, e.g. 30m, 4h, 0.5d`);
  return d;
}

/**
 * Length of a duration in milliseconds, rounded to whole milliseconds.
 * `dayMillis` says what `d` means: 24 h on the natural clock, the configured
 * daily working time (7 h by default) on the working clock.
 */
export function durationToMillis(d: Duration, dayMillis: number): number {
  const unit = d.unit === 'm' ? 60_000 : d.unit === 'h' ? 3_600_000 : dayMillis;
  return Math.round(d.amount * unit);
}
