import { evaluate, parseExpression, FeelDate, FeelDateTime, FeelDuration, FeelTime, type Warning } from 'feelin';
import type { ValueSpec } from '../model/types.js';

export type FeelResult = { ok: true; value: unknown } | { ok: false; message: string };

/** Warnings that mean the expression could not be evaluated as written: strict mode turns them into failures. */
const FATAL: ReadonlySet<Warning['type']> = new Set([
  'NO_VARIABLE_FOUND', 'NO_FUNCTION_FOUND', 'FUNCTION_INVOCATION_FAILURE', 'INVALID_ARGUMENTS', 'UNSUPPORTED',
]);

/** Reads `=expr` as FEEL, anything else as static text. */
export function valueSpec(text: string | undefined | null): ValueSpec | null {
  if (text === undefined || text === null || text === '') return null;
  const trimmed = text.trim();
  return trimmed.startsWith('=') ? { feel: true, text: trimmed.slice(1).trim() } : { feel: false, text };
}

/** A syntax problem in a FEEL expression, or null. Checked at deploy so a bad expression never reaches run time. */
export function feelSyntaxError(expression: string): string | null {
  if (!expression.trim()) return 'empty FEEL expression';
  let message: string | null = null;
  try {
    const tree = parseExpression(expression, {}, undefined);
    tree.iterate({
      enter(node) {
        if (message) return false;
        if (node.type.isError) {
          message = `FEEL syntax error at position ${node.from + 1} in '${expression}'`;
          return false;
        }
        return undefined;
      },
    });
  } catch (err) {
    message = `FEEL syntax error in '${expression}': ${(err as Error).message}`;
  }
  return message;
}

/** Converts FEEL temporal values to the ISO strings Zeebe stores them as; other values stay as they are. */
export function toJsonValue(value: unknown): unknown {
  if (value instanceof FeelDateTime || value instanceof FeelDate || value instanceof FeelTime || value instanceof FeelDuration) {
    return (value as unknown as { iso: string }).iso ?? String(value);
  }
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (typeof value === 'bigint') return Number(value);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonValue(v)]));
  }
  if (typeof value === 'function') return null;
  return value;
}

/** Evaluates strictly: a missing variable or a failed call is an error, not a silent null. Result stays FEEL-typed. */
export function evaluateFeelRaw(expression: string, context: Record<string, unknown>): FeelResult {
  try {
    const { value, warnings } = evaluate(expression, context);
    const fatal = warnings.find((w) => FATAL.has(w.type));
    if (fatal) return { ok: false, message: `failed to evaluate expression '${expression}': ${fatal.message}` };
    return { ok: true, value };
  } catch (err) {
    return { ok: false, message: `failed to evaluate expression '${expression}': ${(err as Error).message}` };
  }
}

export function evaluateFeel(expression: string, context: Record<string, unknown>): FeelResult {
  const r = evaluateFeelRaw(expression, context);
  return r.ok ? { ok: true, value: toJsonValue(r.value) } : r;
}

/** Static text as is, FEEL evaluated. */
export function resolveValue(spec: ValueSpec, context: Record<string, unknown>): FeelResult {
  return spec.feel ? evaluateFeel(spec.text, context) : { ok: true, value: spec.text };
}
