/**
 * The process variables a task's form shows: what the engine resolves at the user task (its scope and
 * every enclosing one), cut down to the names the form reads. A task never hands the page the whole
 * instance: only what its texts, expressions and fields reference, plus a few case basics, and the
 * reporter's phone only in the form each role may see it. The form's decision fields (decision-fields.ts)
 * are left out: they open empty, whatever an earlier round of the same task answered.
 */
import { allComponents, decisionKeys, type FormDefinition } from '../forms/index.js';
import { phoneFor } from '../auth/access.js';
import type { Actor } from '../auth/sessions.js';
import { PortError, type Variables, type WorkflowEngine } from '../../port/workflow-engine.js';

/** Case basics every task form may show (the case panel shows them too); never personal data. */
export const ALWAYS_SHOWN = ['caseId', 'caseNo', 'description', 'eventTypeCode', 'category', 'gridCode', 'unitCode', 'priority', 'address'] as const;

/** FEEL words that look like names but are not variables. */
const FEEL_WORDS = new Set([
  'if',
  'then',
  'else',
  'null',
  'true',
  'false',
  'and',
  'or',
  'not',
  'for',
  'in',
  'return',
  'some',
  'every',
  'satisfies',
  'between',
  'instance',
  'of',
  'function',
  'date',
  'time',
  'duration',
]);

/**
 * The leading names an expression reads: `a.b` → `a`, function names (`string(x)` → `x`) and text in
 * quotes skipped. It over-approximates a little (a name a FEEL context literal defines), which is harmless:
 * only names the instance actually holds come back.
 */
export function namesInExpression(expression: string): string[] {
  const code = expression.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const names: string[] = [];
  const identifier = /(\.\s*)?([A-Za-z_$][A-Za-z0-9_$]*)(\s*\()?/g;
  for (let m = identifier.exec(code); m; m = identifier.exec(code)) {
    if (m[1] || m[3] || FEEL_WORDS.has(m[2]!)) continue;
    names.push(m[2]!);
  }
  return names;
}

/** The names in a form-js string: a whole `=` FEEL expression, or the `{{ … }}` templates inside a text. */
function namesInString(value: string): string[] {
  const trimmed = value.trimStart();
  if (trimmed.startsWith('=')) return namesInExpression(trimmed.slice(1));
  const names: string[] = [];
  for (const m of value.matchAll(/\{\{([\s\S]*?)\}\}/g)) names.push(...namesInExpression(m[1]!));
  return names;
}

function stringsIn(value: unknown, out: string[]): void {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsIn(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) stringsIn(v, out);
}

/** Every variable name a form reads: field keys, `valuesKey` option lists, and names in its templates and expressions. */
export function referencedNames(form: FormDefinition): Set<string> {
  const names = new Set<string>();
  for (const c of allComponents(form)) {
    if (typeof c.key === 'string') names.add(c.key.split('.')[0]!);
    if (typeof c.valuesKey === 'string') names.add(c.valuesKey);
    const { components: _children, ...own } = c;
    const strings: string[] = [];
    stringsIn(own, strings);
    for (const s of strings) for (const n of namesInString(s)) names.add(n);
  }
  return names;
}

/** The variables of an open task its form reads, as the actor may see them. An unknown task (engine side) has none. */
export async function formVariables(port: WorkflowEngine, actor: Actor, userTaskKey: string, form: FormDefinition | null): Promise<Variables> {
  let all: Variables;
  try {
    all = await port.userTaskVariables(userTaskKey);
  } catch (err) {
    // the inbox may still list a task the engine has forgotten (a finished instance): the case panel still shows the case
    if (err instanceof PortError && err.code === 'NOT_FOUND') return {};
    throw err;
  }
  const wanted = new Set<string>([...ALWAYS_SHOWN, ...(form ? referencedNames(form) : [])]);
  // the form's own decisions start empty each round: an earlier round's answer is not offered as this one's
  for (const name of form ? decisionKeys(form) : []) wanted.delete(name);
  const out: Variables = {};
  for (const name of wanted) {
    if (name === '__proto__' || !Object.hasOwn(all, name)) continue;
    const value = all[name];
    if (name === 'reporterPhone') {
      // the same rule as the case detail: only the roles that call reporters back see the number
      if (typeof value === 'string' || value === null) out[name] = phoneFor(actor, value);
      continue;
    }
    out[name] = value;
  }
  return out;
}
