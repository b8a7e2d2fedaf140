import { resolveValue } from '../feel/feel.js';
import type { Mapping, ValueSpec } from '../model/types.js';
import type { ElementRow } from './rows.js';
import { Incident, json, type Run, type Vars } from './run.js';
import { visible } from './variables.js';

/** Expressions evaluated inside a step: a failure becomes an `Incident` on the element, never an exception. */

export async function evaluate(run: Run, el: ElementRow, spec: ValueSpec, what: string, context?: Vars): Promise<unknown> {
  const vars = context ?? (await visible(run, el.key));
  const r = resolveValue(spec, vars);
  if (!r.ok) throw new Incident('EXTRACT_VALUE_ERROR', `${what}: ${r.message}`);
  return r.value;
}

export async function evaluateString(run: Run, el: ElementRow, spec: ValueSpec, what: string, context?: Vars): Promise<string> {
  const v = await evaluate(run, el, spec, what, context);
  if (typeof v === 'number' && !spec.feel) return String(v);
  if (typeof v !== 'string') throw new Incident('EXTRACT_VALUE_ERROR', `${what}: expected a string but '${spec.text}' gave ${json(v)}`);
  return v;
}

/** Input or output mappings, in order: a later mapping sees the earlier ones' targets. */
export function evaluateMappings(mappings: Mapping[], context: Vars, what: string): Vars {
  const out: Vars = {};
  for (const m of mappings) {
    const r = resolveValue(m.source, { ...context, ...out });
    if (!r.ok) throw new Incident('IO_MAPPING_ERROR', `${what} mapping '${m.target}': ${r.message}`);
    setPath(out, m.target, r.value);
  }
  return out;
}

/** Sets `a.b.c` targets the way Zeebe mappings do: nested contexts are created as needed. */
function setPath(target: Vars, path: string, value: unknown): void {
  const parts = path.split('.');
  let current: Vars = target;
  for (const part of parts.slice(0, -1)) {
    const next = current[part];
    if (!next || typeof next !== 'object' || Array.isArray(next)) current[part] = {};
    current = current[part] as Vars;
  }
  current[parts[parts.length - 1]!] = value;
}
