/**
 * The process instances of a case, read from its timeline: the case's own instance and the ones it called
 * (案件处置 runs as a called process). Each carries the definition it ran (process id, version, key) and
 * what the diagram marks for it, computed the same way the server computes the case's own highlights.
 */
import { highlightsOf, type Highlights } from '../../domain/history/highlights.js';
import type { CaseHistory, ElementEntry } from './types.js';

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
  const main =
    infos.find((i) => wanted !== null && i.processDefinitionKey === wanted && i.parentInstanceKey === null) ??
    infos.find((i) => i.parentInstanceKey === null && i.bpmnProcessId === history.diagram.bpmnProcessId) ??
    infos.find((i) => i.parentInstanceKey === null);
  if (main) {
    main.main = true;
    main.highlights = history.highlights;
  }
  return infos.sort((a, b) => Number(b.main) - Number(a.main) || a.startedAt.localeCompare(b.startedAt));
}
