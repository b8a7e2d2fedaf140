import { EngineError } from '../errors.js';
import type { FlowNode } from '../model/types.js';
import * as store from '../store/variables.js';
import { appendHistory } from '../store/history.js';
import type { ElementRow } from './rows.js';
import { json, type Run, type Vars } from './run.js';

/**
 * Zeebe's variable scoping: every element instance is a scope, the process instance the root; an element
 * sees its own scope and every scope above it, the closest winning; results propagate up to where a
 * variable already lives, else to the root. The command's knowledge of whole scopes is `run.knownVariables`.
 */

/** Scope keys from the element up to the process instance: closest first. */
export async function scopeChain(run: Run, key: string): Promise<string[]> {
  const chain: string[] = [];
  let current: ElementRow | null = await run.element(key);
  while (current) {
    chain.push(current.key);
    current = current.scopeKey ? await run.element(current.scopeKey) : null;
  }
  return chain;
}

export async function variablesOf(run: Run, scopeKeys: string[]): Promise<Map<string, Map<string, unknown>>> {
  const unknown = scopeKeys.filter((k) => !run.knownVariables.has(k));
  if (unknown.length) {
    const rows = await store.selectScopesVariables(run.db, unknown);
    for (const k of unknown) run.knownVariables.set(k, new Map());
    for (const r of rows) run.knownVariables.get(r.scope_key)!.set(r.name, r.value);
  }
  const result = new Map<string, Map<string, unknown>>();
  for (const k of scopeKeys) {
    const known = run.knownVariables.get(k)!;
    if (known.size) result.set(k, new Map([...known].map(([name, text]) => [name, JSON.parse(text) as unknown])));
  }
  return result;
}

/** Every variable the element can see, the closest scope winning: the FEEL context. */
export async function visible(run: Run, key: string): Promise<Vars> {
  const chain = await scopeChain(run, key);
  const byScope = await variablesOf(run, chain);
  const vars: Vars = {};
  for (const scope of [...chain].reverse()) for (const [name, value] of byScope.get(scope) ?? []) vars[name] = value;
  return vars;
}

export async function localVariables(run: Run, scopeKey: string): Promise<Vars> {
  return Object.fromEntries((await variablesOf(run, [scopeKey])).get(scopeKey) ?? []);
}

/**
 * Sets one variable in one scope. `known` saves the lookup when the caller already read the scope:
 * `false` = not there, `{ value }` = there with that value; left out, the row is looked up.
 */
export async function setLocal(
  run: Run,
  scopeKey: string,
  instanceKey: string,
  name: string,
  value: unknown,
  known?: false | { value: unknown },
): Promise<void> {
  const text = json(value);
  let current: string | undefined;
  const scope = run.knownVariables.get(scopeKey);
  if (known === undefined) {
    current = scope ? scope.get(name) : await store.selectVariableText(run.db, scopeKey, name);
  } else if (known) current = json(known.value);
  if (current === text) return; // unchanged: Zeebe records no update either
  const present = current !== undefined;
  if (present) await store.updateVariable(run.db, scopeKey, name, text);
  else await store.insertVariable(run.db, scopeKey, name, instanceKey, text);
  scope?.set(name, text);
  await appendHistory(run.db, {
    instanceKey,
    processId: (await run.instance(instanceKey)).process_id,
    elementKey: scopeKey,
    elementId: null,
    elementType: null,
    intent: present ? 'VARIABLE_UPDATED' : 'VARIABLE_CREATED',
    at: run.now,
    payload: json({ name, value }),
  });
}

/** Zeebe propagation: update each variable where it already exists up the chain, else create it at the root. */
export async function propagate(run: Run, fromScopeKey: string, vars: Vars): Promise<void> {
  const names = Object.keys(vars);
  if (!names.length) return;
  const chain = await scopeChain(run, fromScopeKey);
  const byScope = await variablesOf(run, chain);
  const root = chain[chain.length - 1]!;
  const instanceKey = (await run.element(root))!.instanceKey;
  for (const name of names) {
    const owner = chain.find((s) => byScope.get(s)?.has(name)) ?? root;
    const held = byScope.get(owner);
    await setLocal(run, owner, instanceKey, name, vars[name], held?.has(name) ? { value: held.get(name) } : false);
  }
}

/** Sets every variable locally on the element, reading its scope once. */
export async function setLocals(run: Run, el: ElementRow, vars: Vars): Promise<void> {
  const existing = await localVariables(run, el.key);
  for (const [name, value] of Object.entries(vars))
    await setLocal(run, el.key, el.instanceKey, name, value, name in existing ? { value: existing[name] } : false);
}

/** Variables arriving with a job completion, a message or a user task: local when output mappings follow, else propagated. */
export async function applyResultVariables(run: Run, el: ElementRow, node: FlowNode, vars: Vars | undefined): Promise<void> {
  if (!vars || !Object.keys(vars).length) return;
  if (node.outputs.length) {
    await setLocals(run, el, vars);
  } else {
    // Zeebe merges from the element itself: a variable it holds locally (input mapping, MI output element) stays there
    await propagate(run, el.key, vars);
  }
}

/** The `setVariables` command: on an element instance or the process instance, local or propagated. */
export async function setVariables(run: Run, scopeKey: string, vars: Vars, local: boolean): Promise<void> {
  const el = await run.element(scopeKey);
  if (!el) throw new EngineError('NOT_FOUND', `no active element instance or process instance with key ${scopeKey}`);
  if (local) await setLocals(run, el, vars);
  else await propagate(run, el.key, vars);
}
