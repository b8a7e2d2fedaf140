import type { WorkflowEngine } from '../../port/workflow-engine.js';
import { caseOfInstance } from './instance-cases.js';

/** An open incident as the inbox shows it: where the case stopped and why. */
export interface StuckIncident {
  incidentKey: string;
  processInstanceKey: string;
  bpmnProcessId: string;
  elementId: string;
  errorType: string;
  errorMessage: string;
  createdAt: string;
}

export interface StuckCase {
  caseId: string;
  caseNo: string;
  status: string;
  /** the oldest open incident's time: how long the case has been stuck */
  since: string;
  incidents: StuckIncident[];
}

/** How many cases the inbox lists (the count goes on: `total`). */
const SHOWN = 100;

/**
 * The cases the engine has stopped on an open incident, longest stuck first, for the centre's inbox: a case
 * whose job ran out of retries or whose expression failed waits at no user task, so no task list would show
 * it. Each with where it stopped and why; instances that serve no case (probes, tests) are left out. The
 * engine answers at most 1,000 open incidents per call, so a larger backlog shows its oldest part.
 */
export async function stuckCases(port: WorkflowEngine): Promise<{ total: number; items: StuckCase[] }> {
  const incidents = await port.listIncidents({});
  const caseOf = new Map<string, Awaited<ReturnType<typeof caseOfInstance>>>();
  const byCase = new Map<string, StuckCase>();
  for (const i of incidents) {
    if (!caseOf.has(i.processInstanceKey)) caseOf.set(i.processInstanceKey, await caseOfInstance(port, i.processInstanceKey));
    const c = caseOf.get(i.processInstanceKey);
    if (!c) continue;
    const entry = byCase.get(c.id) ?? { caseId: c.id, caseNo: c.caseNo, status: c.status, since: i.createdAt, incidents: [] };
    entry.incidents.push({
      incidentKey: i.incidentKey,
      processInstanceKey: i.processInstanceKey,
      bpmnProcessId: i.bpmnProcessId,
      elementId: i.elementId,
      errorType: i.errorType,
      errorMessage: i.errorMessage,
      createdAt: i.createdAt,
    });
    if (Date.parse(i.createdAt) < Date.parse(entry.since)) entry.since = i.createdAt;
    byCase.set(c.id, entry);
  }
  const all = [...byCase.values()].sort((a, b) => Date.parse(a.since) - Date.parse(b.since) || a.caseNo.localeCompare(b.caseNo));
  return { total: all.length, items: all.slice(0, SHOWN) };
}
