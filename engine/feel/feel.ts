import { evaluate, parseExpression, FeelDate, FeelDateTime, FeelDuration, FeelTime, type Warning } from 'feelin';
import type { ValueSpec } from '../model/types.js';
import { CAMUNDA_BUILTINS, FeelAssertionError } from './camunda-builtins.js';
import { needsRewrite, rewriteFeel } from './rewrite.js';

/**
 * FEEL as Camunda 8.8 evaluates it (feel-scala 1.19): "if something goes wrong, return null". A missing
 * variable, a missing context entry, a failed call or a type mismatch give `null` and a warning; only
 * a syntax error or an `assert` fails the evaluation. Whether a null is acceptable is decided by the
 * caller, as Zeebe does (a gateway condition must be a boolean, a job type a string…): see
 * `evaluateCondition` and `expectedTypeFailure`, whose messages carry the warnings as Zeebe's incidents do.
 */
export type FeelResult = { ok: true; value: unknown; warnings: string[] } | { ok: false; message: string };

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
    const { text } = rewriteFeel(expression);
    const tree = parseExpression(text, CAMUNDA_BUILTINS as Record<string, unknown>, undefined);
    tree.iterate({
      enter(node) {
        if (message) return false;
        if (node.type.isError) {
          message = `FEEL syntax error at position ${Math.min(node.from + 1, expression.length)} in '${expression}'`;
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
  if (value === undefined) return null;
  return value;
}

/** Zeebe writes a warning as `[TYPE] message`. */
const formatWarning = (w: Warning): string => `[${w.type}] ${w.message}`;

/** Whether a path of names exists in the variables (for `is defined`, which must tell missing from null). */
function pathExists(root: Record<string, unknown>, path: unknown): boolean | null {
  if (!Array.isArray(path) || !path.length) return null;
  const [head, ...rest] = path as string[];
  if (!(head! in root)) return false;
  let cur: unknown = root[head!];
  for (const k of rest) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !(k in (cur as object))) return false;
    cur = (cur as Record<string, unknown>)[k];
  }
  return true;
}

/**
 * What an expression needs beyond feelin, worked out once per expression text (a process runs the same few
 * expressions over and over): whether Camunda-only syntax must be rewritten, and which added built-ins it
 * names. Only those built-ins go into the context: feelin copies the whole context and its parser tracks
 * every key, so handing it all ~40 functions per evaluation halved the engine's throughput.
 */
type Plan = { rewrite: boolean; builtins: readonly string[] };
const plans = new Map<string, Plan>();
const PLANS_MAX = 2000;
const BUILTIN_KEYS = Object.keys(CAMUNDA_BUILTINS);

/** The added built-ins a (rewritten) text names; a name may span line breaks or several spaces. */
function builtinsIn(text: string): string[] {
  const squashed = text.replace(/\s+/g, ' ');
  return BUILTIN_KEYS.filter((k) => squashed.includes(k));
}

function planOf(expression: string): Plan {
  let plan = plans.get(expression);
  if (!plan) {
    const rewrite = needsRewrite(expression);
    plan = { rewrite, builtins: builtinsIn(rewrite ? rewriteFeel(expression).text : expression) };
    if (plans.size >= PLANS_MAX) plans.delete(plans.keys().next().value as string);
    plans.set(expression, plan);
  }
  return plan;
}

/** The variables' names with a space: the rewrite's parser must know them (rare, so no array of all names). */
function spacedNames(variables: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const name in variables) if (name.includes(' ')) out.push(name);
  return out;
}

/**
 * The context feelin needs for `text`: the added built-ins it names, then the variables (a variable of the same
 * name wins). Without built-ins it is the variables object itself: feelin copies its context, never changes it.
 */
export function contextFor(text: string, variables: Record<string, unknown>): Record<string, unknown> {
  return withBuiltins(planOf(text).builtins, variables);
}

function withBuiltins(builtins: readonly string[], variables: Record<string, unknown>): Record<string, unknown> {
  if (!builtins.length) return variables;
  const context: Record<string, unknown> = {};
  for (const name of builtins) context[name] = CAMUNDA_BUILTINS[name];
  return Object.assign(context, variables);
}

const finish = ({ value, warnings }: { value: unknown; warnings: Warning[] }): FeelResult => ({
  ok: true,
  value: value === undefined ? null : value,
  warnings: warnings.map(formatWarning),
});

/** Evaluates with Camunda's null rule. The result stays FEEL-typed (dates as feelin values). */
export function evaluateFeelRaw(expression: string, variables: Record<string, unknown>): FeelResult {
  try {
    const plan = planOf(expression);
    if (!plan.rewrite) {
      // the fast path (nearly every expression of a process): feelin reads it as written, handed the variables
      // themselves unless the text names an added built-in
      return finish(evaluate(expression, withBuiltins(plan.builtins, variables)));
    }
    // a variable name with a space changes how the text parses, so the rewrite (and what it calls) may differ
    const spaced = spacedNames(variables);
    const rewritten = rewriteFeel(expression, spaced);
    const base = withBuiltins(spaced.length ? builtinsIn(rewritten.text) : plan.builtins, variables);
    const context = base === variables ? { ...variables } : base; // entries are added below: never to the caller's object
    for (const alias in rewritten.aliases) context[alias] = variables[rewritten.aliases[alias]!] ?? null;
    if (rewritten.needsFound) context.__feel_found = (path: unknown) => pathExists(variables, path);
    return finish(evaluate(rewritten.text, context));
  } catch (err) {
    if (err instanceof FeelAssertionError) return { ok: false, message: `Assertion failure on evaluate the expression '${expression}': ${err.message}` };
    return { ok: false, message: `failed to evaluate expression '${expression}': ${(err as Error).message}` };
  }
}

export function evaluateFeel(expression: string, context: Record<string, unknown>): FeelResult {
  const r = evaluateFeelRaw(expression, context);
  return r.ok ? { ok: true, value: toJsonValue(r.value), warnings: r.warnings } : r;
}

/** Static text as is, FEEL evaluated. */
export function resolveValue(spec: ValueSpec, context: Record<string, unknown>): FeelResult {
  return spec.feel ? evaluateFeel(spec.text, context) : { ok: true, value: spec.text, warnings: [] };
}

/** The FEEL type name Zeebe reports for a value. */
export function feelTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return 'BOOLEAN';
  if (typeof value === 'number' || typeof value === 'bigint') return 'NUMBER';
  if (typeof value === 'string') return 'STRING';
  if (Array.isArray(value)) return 'ARRAY';
  if (value instanceof FeelDuration) return 'DURATION';
  if (value instanceof FeelDateTime) return 'DATE_TIME';
  if (value instanceof FeelDate || value instanceof FeelTime) return 'STRING';
  return 'OBJECT';
}

/**
 * Zeebe's message when a result is not of the type the element needs, with the evaluation's warnings:
 * "Expected result of the expression 'x > 10' to be 'BOOLEAN', but was 'NULL'. The evaluation reported
 * the following warnings: [NO_VARIABLE_FOUND] …".
 */
export function expectedTypeFailure(expression: string, expected: string, value: unknown, warnings: readonly string[]): string {
  const base = `Expected result of the expression '${expression}' to be '${expected}', but was '${feelTypeName(value)}'.`;
  return warnings.length ? `${base} The evaluation reported the following warnings:\n${warnings.join('\n')}` : base;
}

/**
 * A gateway / completion condition as Zeebe evaluates it: the result must be a boolean; `null` (e.g. a
 * comparison with a missing variable) is a failure whose message carries FEEL's warnings, not "false".
 * `a != null and a > 10` and `is defined(a)` are false, not null, when `a` is missing: no incident.
 */
export function evaluateCondition(expression: string, context: Record<string, unknown>): FeelResult {
  const r = evaluateFeel(expression, context);
  if (!r.ok) return r;
  if (typeof r.value !== 'boolean') return { ok: false, message: expectedTypeFailure(expression, 'BOOLEAN', r.value, r.warnings) };
  return r;
}
