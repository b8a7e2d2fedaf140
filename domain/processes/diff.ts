/* eslint-disable @typescript-eslint/no-explicit-any -- moddle trees are untyped at this boundary */
import { diff as bpmnDiff } from 'bpmn-js-differ';
import type { DiffElement, ProcessDiff } from './process-admin-types.js';
import { readBpmn } from './xml-input.js';

type M = any;

/** Properties that hold other elements (reported on their own) or the diagram (reported as layout). */
const CHILDREN = new Set(['flowElements', 'artifacts', 'laneSets', 'rootElements', 'diagrams', 'participants', 'messageFlows']);

/** A moddle value as plain JSON: references become ids, contained elements their own plain form. */
function plain(value: M, depth = 0): unknown {
  if (value === null || value === undefined || typeof value !== 'object') return value ?? null;
  if (Array.isArray(value)) return value.map((v) => plain(v, depth));
  if (!value.$descriptor || depth > 8) return typeof value.id === 'string' ? value.id : null;
  const out: Record<string, unknown> = { $type: value.$type };
  for (const p of value.$descriptor.properties as Array<{ name: string; isReference?: boolean }>) {
    const v = value[p.name];
    if (v === undefined || CHILDREN.has(p.name) || p.name === 'di') continue;
    if (p.isReference) out[p.name] = Array.isArray(v) ? v.map((r: M) => r?.id ?? null) : (v?.id ?? null);
    else out[p.name] = plain(v, depth + 1);
  }
  return out;
}

/** Every element with an id contained in the definitions (the diagram interchange left out). */
function elementsById(definitions: M): Map<string, M> {
  const byId = new Map<string, M>();
  const walk = (el: M) => {
    if (!el || typeof el !== 'object' || !el.$descriptor) return;
    if (typeof el.id === 'string') byId.set(el.id, el);
    for (const p of el.$descriptor.properties as Array<{ name: string; isReference?: boolean }>) {
      if (p.isReference || p.name === 'diagrams') continue;
      const v = el[p.name];
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') walk(v);
    }
  };
  walk(definitions);
  return byId;
}

/** The own properties of an element that differ between two versions, as plain values. */
function changedAttrs(a: M, b: M): Record<string, { oldValue: unknown; newValue: unknown }> {
  const attrs: Record<string, { oldValue: unknown; newValue: unknown }> = {};
  const pa = plain(a) as Record<string, unknown>;
  const pb = plain(b) as Record<string, unknown>;
  for (const key of new Set([...Object.keys(pa), ...Object.keys(pb)])) {
    if (JSON.stringify(pa[key] ?? null) !== JSON.stringify(pb[key] ?? null)) attrs[key] = { oldValue: pa[key] ?? null, newValue: pb[key] ?? null };
  }
  return attrs;
}

const described = (el: M, id: string): DiffElement => ({ id, type: String(el?.$type ?? ''), name: typeof el?.name === 'string' ? el.name : null });

/**
 * bpmn-js-differ over the bpmn-moddle definitions of two versions. The differ decides what was added, removed,
 * changed or moved; the attributes of a changed element are computed here from both versions, because the
 * differ 3.2 reports old and new swapped and gives no values for changes inside an element (zeebe:* extension
 * elements, condition expressions) — exactly the changes that matter on Zeebe.
 */
export async function diffProcessXml(fromXml: string, toXml: string): Promise<ProcessDiff> {
  const from = (await readBpmn(fromXml)).definitions as M;
  const to = (await readBpmn(toXml)).definitions as M;
  const result = bpmnDiff(from, to);
  const fromIds = elementsById(from);
  const toIds = elementsById(to);
  const changed: ProcessDiff['changed'] = [];
  for (const [id, c] of Object.entries(result._changed)) {
    const a = fromIds.get(id);
    const b = toIds.get(id);
    let attrs = a && b ? changedAttrs(a, b) : {};
    if (!Object.keys(attrs).length) {
      attrs = Object.fromEntries(Object.entries(c.attrs).map(([k, v]) => [k, { oldValue: plain(v.newValue), newValue: plain(v.oldValue) }]));
    }
    changed.push({ ...described(b ?? c.model, id), attrs });
  }
  return {
    added: Object.entries(result._added).map(([id, el]) => described(el, id)),
    removed: Object.entries(result._removed).map(([id, el]) => described(el, id)),
    changed,
    layoutChanged: Object.keys(result._layoutChanged).map((id) => ({ id })),
  };
}
