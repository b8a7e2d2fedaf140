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
