/**
 * What a diagram viewer marks for one process instance, from its element events in order: done,
 * running, failing elements and the sequence flows taken. Pure and free of imports, so the server (the
 * case's own instance) and the history page (the instances it called) compute it with the same code.
 */
export interface Highlights {
  completed: string[];
  active: string[];
  incidents: string[];
  takenFlows: string[];
}

/** The parts of an element event the highlights read (a stored `case_events` row or a timeline entry). */
export interface HighlightEvent {
  intent: string;
  elementId: string;
  elementType: string | null;
  elementInstanceKey: string | null;
  detail: Record<string, unknown> | null;
}

export function highlightsOf(events: readonly HighlightEvent[]): Highlights {
  const completed = new Set<string>();
  const takenFlows = new Set<string>();
  const running = new Map<string, string>(); // element instance → element id
  const incidents = new Map<string, string>(); // incident key → element id
  for (const e of events) {
    if (e.elementType === 'process') continue;
    const instance = e.elementInstanceKey ?? '';
    switch (e.intent) {
      case 'ACTIVATED':
        running.set(instance, e.elementId);
        break;
      case 'COMPLETED':
        completed.add(e.elementId);
        running.delete(instance);
        break;
      case 'TERMINATED':
        running.delete(instance);
        break;
      case 'FLOW_TAKEN':
        takenFlows.add(e.elementId);
        break;
      case 'INCIDENT_CREATED':
        incidents.set(String(e.detail?.['incidentKey'] ?? instance), e.elementId);
        break;
      case 'INCIDENT_RESOLVED':
        incidents.delete(String(e.detail?.['incidentKey'] ?? instance));
        break;
    }
  }
  return { completed: [...completed], active: [...new Set(running.values())], incidents: [...new Set(incidents.values())], takenFlows: [...takenFlows] };
}
