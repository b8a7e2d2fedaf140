/**
 * Canonical JSON: object keys sorted, `undefined` members dropped, Dates as ISO strings. The audit
 * hash is computed over this text, so the same record always hashes the same whatever order its
 * fields were written in and whichever database returned it.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalValue(value));
}

/** The plain JSON value canonicalJson serialises (what a JSON column gives back after a round trip). */
export function canonicalValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : canonicalValue(v)));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as Record<string, unknown>).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined && typeof v !== 'function') out[key] = canonicalValue(v);
    }
    return out;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return null; // as JSON.stringify does
  if (typeof value === 'bigint') return value.toString();
  return value;
}
