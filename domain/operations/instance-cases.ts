import { appSql } from '../../db/sql/current.js';
import { instancesOf } from '../history/case-history.js';
import type { WorkflowEngine } from '../../port/workflow-engine.js';

export interface CaseRef {
  id: string;
  caseNo: string;
  status: string;
}

/**
 * Which case a process instance works for: its own key, or (for a called instance: 处置 runs in
 * `case-handling`, 回访 in its own process) the first ancestor's, as intake (`cases.process_instance_key`)
 * and the inbox (`case_instances`) recorded it. At most 10 levels up, the depth case history follows too.
 */
export async function caseOfInstance(port: WorkflowEngine, processInstanceKey: string): Promise<CaseRef | null> {
  let key: string | null = processInstanceKey;
  for (let depth = 0; key && depth < 10; depth++) {
    const found = (await casesOf([key])).get(key);
    if (found) return found;
    key = (await port.getInstance(key))?.parentProcessInstanceKey ?? null;
  }
  return null;
}

/** The case of each of these instance keys that intake or the inbox mapped directly. */
export async function casesOf(keys: string[]): Promise<Map<string, CaseRef>> {
  const out = new Map<string, CaseRef>();
  if (!keys.length) return out;
  const db = appSql();
  const ref = (c: CaseRef): CaseRef => ({ id: c.id, caseNo: c.caseNo, status: c.status });
  for (const c of await db.selectFrom('cases').select(['id', 'caseNo', 'status', 'processInstanceKey']).where('processInstanceKey', 'in', keys).execute()) {
    out.set(c.processInstanceKey!, ref(c));
  }
  const unmapped = keys.filter((k) => !out.has(k));
  const mapped = unmapped.length
    ? await db.selectFrom('case_instances').select(['processInstanceKey', 'caseId']).where('processInstanceKey', 'in', unmapped).execute()
    : [];
  if (mapped.length) {
    const cases = await db
      .selectFrom('cases')
      .select(['id', 'caseNo', 'status'])
      .where('id', 'in', [...new Set(mapped.map((m) => m.caseId))])
      .execute();
    const byId = new Map(cases.map((c) => [c.id, c]));
    for (const m of mapped) {
      const c = byId.get(m.caseId);
      if (c) out.set(m.processInstanceKey, ref(c));
    }
  }
  return out;
}

/** Every instance of the case with this number (its own and the ones it called), or null for no such case. */
export async function instancesOfCaseNo(caseNo: string): Promise<string[] | null> {
  const c = await appSql().selectFrom('cases').select(['id', 'processInstanceKey']).where('caseNo', '=', caseNo).executeTakeFirst();
  return c ? instancesOf(c) : null;
}

/** Cases of a page of instances: direct mappings first, then one parent step for the called instances left. */
export async function casesOfPage(instances: Array<{ processInstanceKey: string; parentProcessInstanceKey: string | null }>): Promise<Map<string, CaseRef>> {
  const direct = await casesOf(instances.map((i) => i.processInstanceKey));
  const parents = instances.filter((i) => !direct.has(i.processInstanceKey) && i.parentProcessInstanceKey).map((i) => i.parentProcessInstanceKey!);
  const viaParent = await casesOf([...new Set(parents)]);
  for (const i of instances) {
    if (!direct.has(i.processInstanceKey) && i.parentProcessInstanceKey && viaParent.has(i.parentProcessInstanceKey))
      direct.set(i.processInstanceKey, viaParent.get(i.parentProcessInstanceKey)!);
  }
  return direct;
}
