import { evaluate } from 'feelin';
import { evaluateFeel, toJsonValue } from '../../../engine/feel/feel.js';
import type { DocExample } from './camunda-docs-examples.js';

/** Equal as FEEL values after conversion to JSON (temporals as ISO strings); numbers to 12 significant digits. */
function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b || Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => same(v, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a as object).sort();
    const kb = Object.keys(b as object).sort();
    return same(ka, kb) && ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

/** Evaluates one documented example; returns null when it gives what the page says, else what went wrong. */
export function checkExample(ex: DocExample): string | null {
  const r = evaluateFeel(ex.expr, ex.context ?? {});
  if (typeof ex.expected === 'object' && 'error' in ex.expected) return r.ok ? `expected a failure, got ${JSON.stringify(r.value)}` : null;
  if (!r.ok) return r.message;
  if (typeof ex.expected === 'object') {
    return ex.expected.matches.test(String(r.value)) ? null : `got ${JSON.stringify(r.value)}, expected to match ${ex.expected.matches}`;
  }
  // the page's result is a FEEL literal (a number, a list, date("…")): plain feelin reads literals correctly
  const expected = toJsonValue(evaluate(ex.expected).value);
  return same(r.value, expected) ? null : `got ${JSON.stringify(r.value)}, the page says ${ex.expected}`;
}
