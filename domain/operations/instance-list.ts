import { PortError, type InstanceSearch, type InstanceState, type InstanceSummary, type WorkflowEngine } from '../../port/workflow-engine.js';
import { badCursor, decodeCursor, encodeCursor } from '../shared/cursor.js';
import { casesOfPage, instancesOfCaseNo, type CaseRef } from './instance-cases.js';

/** The instance list's filter as the API takes it; `state: 'INCIDENT'` is Operate's "with an open incident". */
export interface InstanceFilter {
  bpmnProcessId?: string;
  version?: number;
  state?: InstanceState | 'INCIDENT';
  elementId?: string;
  incidentType?: string;
  caseNo?: string;
  startedFrom?: string;
  startedTo?: string;
}

export interface InstanceListItem extends InstanceSummary {
  case: CaseRef | null;
}

const LIST = 'ops-instances';

/** The port search for a filter: null when a case number names no case (nothing can match). */
export async function portSearch(f: InstanceFilter, limit: number, after?: string): Promise<InstanceSearch | null> {
  const keys = f.caseNo !== undefined ? await instancesOfCaseNo(f.caseNo) : undefined;
  if (keys === null || (keys && !keys.length)) return null;
  return {
    ...(f.bpmnProcessId !== undefined ? { bpmnProcessId: f.bpmnProcessId } : {}),
    ...(f.version !== undefined ? { version: f.version } : {}),
    ...(f.state === 'INCIDENT' ? { withIncident: true } : f.state !== undefined ? { state: f.state } : {}),
    ...(f.elementId !== undefined ? { elementId: f.elementId } : {}),
    ...(f.incidentType !== undefined ? { incidentType: f.incidentType } : {}),
    ...(keys ? { processInstanceKeys: keys } : {}),
    ...(f.startedFrom !== undefined ? { startedFrom: new Date(f.startedFrom).toISOString() } : {}),
    ...(f.startedTo !== undefined ? { startedTo: new Date(f.startedTo).toISOString() } : {}),
    ...(after !== undefined ? { after } : {}),
    limit,
  };
}

/**
 * One page of instances, newest first, each with its case. `after`/`next` wrap the adapter's own cursor
 * (the embedded engine's last key, the cluster's endCursor) in the API's opaque cursor; a forged one is 400 `bad_cursor`.
 */
export async function listInstances(
  port: WorkflowEngine,
  f: InstanceFilter,
  page: { pageSize: number; after?: string },
): Promise<{ items: InstanceListItem[]; next: string | null }> {
  let inner: string | undefined;
  if (page.after !== undefined) {
    const [value] = decodeCursor(LIST, page.after, 1);
    if (typeof value !== 'string' || !value) throw badCursor('not a cursor of this list');
    inner = value;
  }
  const search = await portSearch(f, page.pageSize, inner);
  if (!search) return { items: [], next: null };
  let found: Awaited<ReturnType<WorkflowEngine['searchInstances']>>;
  try {
    found = await port.searchInstances(search);
  } catch (err) {
    if (err instanceof PortError && err.code === 'INVALID_ARGUMENT' && inner !== undefined) throw badCursor('not a cursor of this list');
    throw err;
  }
  const cases = await casesOfPage(found.items);
  return {
    items: found.items.map((i) => ({ ...i, case: cases.get(i.processInstanceKey) ?? null })),
    next: found.next === null ? null : encodeCursor(LIST, [found.next]),
  };
}
