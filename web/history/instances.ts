/**
 * The process instances of a case, read from its timeline: the case's own instance and the ones it called
 * (案件处置 runs as a called process). Each carries the definition it ran (process id, version, key) and
 * what the diagram marks for it, computed the same way the server computes the case's own highlights.
 */
import type { CaseHistory, ElementEntry, Highlights } from './types.js';

export interface InstanceInfo {
  processInstanceKey: string;
  bpmnProcessId: string | null;
  version: number | null;
  processDefinitionKey: string | null;
  parentInstanceKey: string | null;
  startedAt: string;
  main: boolean;
  highlights: Highlights;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : null);

/** Done, running, failing elements and the flows taken, from one instance's element events (in order). */
export function highlightsOf(events: ElementEntry[]): Highlights {
  const completed = new Set<string>();
  const taken = new Set<string>();
  const running = new Map<string, string>();
  const incidents = new Map<string, string>();
  for (const e of events) {
    if (e.elementType === 'process') continue;
    const instance = e.elementInstanceKey ?? '';
    switch (e.intent) {
      case 'ACTIVATED': running.set(instance, e.elementId); break;
      case 'COMPLETED': completed.add(e.elementId); running.delete(instance); break;
      case 'TERMINATED': running.delete(instance); break;
      case 'FLOW_TAKEN': taken.add(e.elementId); break;
      case 'INCIDENT_CREATED': incidents.set(String(e.detail?.['incidentKey'] ?? instance), e.elementId); break;
      case 'INCIDENT_RESOLVED': incidents.delete(String(e.detail?.['incidentKey'] ?? instance)); break;
    }
  }
  return { completed: [...completed], active: [...new Set(running.values())], incidents: [...new Set(incidents.values())], takenFlows: [...taken] };
}

/** The instances in the order they started; the case's own first (with the server's highlights). */
export function instancesOf(history: CaseHistory): InstanceInfo[] {
  const byInstance = new Map<string, ElementEntry[]>();
  for (const e of history.timeline) {
    if (e.kind !== 'element') continue;
    const list = byInstance.get(e.processInstanceKey) ?? [];
    list.push(e);
    byInstance.set(e.processInstanceKey, list);
  }
  const infos: InstanceInfo[] = [];
  for (const [key, events] of byInstance) {
    const root = events.find((e) => e.elementType === 'process' && e.intent === 'ACTIVATED');
    const version = root?.detail?.['version'];
    infos.push({
      processInstanceKey: key,
      bpmnProcessId: root?.bpmnProcessId ?? events[0]!.bpmnProcessId,
      version: typeof version === 'number' ? version : typeof version === 'string' && /^\d+$/.test(version) ? Number(version) : null,
      processDefinitionKey: str(root?.detail?.['processDefinitionKey']),
      parentInstanceKey: str(root?.detail?.['parentInstanceKey'] ?? root?.detail?.['parentProcessInstanceKey']),
      startedAt: events[0]!.at,
      main: false,
      highlights: highlightsOf(events),
    });
  }
  const wanted = history.diagram.processDefinitionKey;
  const main = infos.find((i) => wanted !== null && i.processDefinitionKey === wanted && i.parentInstanceKey === null)
    ?? infos.find((i) => i.parentInstanceKey === null && i.bpmnProcessId === history.diagram.bpmnProcessId)
    ?? infos.find((i) => i.parentInstanceKey === null);
  if (main) {
    main.main = true;
    main.highlights = history.highlights;
  }
  return infos.sort((a, b) => Number(b.main) - Number(a.main) || a.startedAt.localeCompare(b.startedAt));
}
