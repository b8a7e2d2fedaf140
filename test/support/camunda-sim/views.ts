import type { IncidentView, ProcessInstance, UserTask } from '../../../engine/index.js';

/** Engine rows as the REST search/get endpoints answer them (only the fields the adapter and tests read, plus a few obvious ones). */

const iso = (ms: number | null) => (ms === null ? undefined : new Date(ms).toISOString());

export function userTaskView(t: UserTask, version: number, formKey: string | null) {
  return {
    userTaskKey: t.userTaskKey,
    state: t.state,
    name: t.name ?? undefined,
    assignee: t.assignee ?? undefined,
    elementId: t.elementId,
    elementInstanceKey: t.elementInstanceKey,
    candidateGroups: t.candidateGroups,
    candidateUsers: t.candidateUsers,
    processDefinitionId: t.bpmnProcessId,
    processDefinitionKey: t.processDefinitionKey,
    processDefinitionVersion: version,
    processInstanceKey: t.processInstanceKey,
    creationDate: iso(t.createdAt),
    completionDate: t.state === 'CREATED' ? undefined : iso(t.endedAt),
    dueDate: t.dueDate ?? undefined,
    followUpDate: t.followUpDate ?? undefined,
    priority: t.priority,
    formKey: formKey ?? undefined,
    tenantId: '<default>',
    customHeaders: {},
  };
}

export function incidentView(i: IncidentView, processDefinitionKey: string) {
  return {
    incidentKey: i.incidentKey,
    processDefinitionKey,
    processDefinitionId: i.bpmnProcessId,
    processInstanceKey: i.processInstanceKey,
    errorType: i.errorType,
    errorMessage: i.errorMessage,
    elementId: i.elementId,
    elementInstanceKey: i.elementInstanceKey,
    creationTime: iso(i.createdAt),
    state: i.state,
    jobKey: i.jobKey ?? undefined,
    tenantId: '<default>',
  };
}

export function processInstanceView(p: ProcessInstance, hasIncident: boolean) {
  return {
    processInstanceKey: p.processInstanceKey,
    processDefinitionKey: p.processDefinitionKey,
    processDefinitionId: p.bpmnProcessId,
    processDefinitionName: p.bpmnProcessId,
    processDefinitionVersion: p.version,
    startDate: iso(p.startedAt),
    endDate: iso(p.endedAt),
    state: p.state === 'TERMINATED' ? 'TERMINATED' : p.state,
    hasIncident,
    tenantId: '<default>',
    parentProcessInstanceKey: p.parentProcessInstanceKey ?? undefined,
    parentElementInstanceKey: p.parentElementInstanceKey ?? undefined,
  };
}

/** `{ items, page }` with offset paging (`page.from`, `page.limit`). */
export function page<T>(all: T[], request: { page?: { from?: number; limit?: number } } | undefined) {
  const from = Math.max(0, Number(request?.page?.from ?? 0));
  const limit = Math.max(1, Math.min(10_000, Number(request?.page?.limit ?? 100)));
  return { items: all.slice(from, from + limit), page: { totalItems: all.length } };
}
