/**
 * The shapes `GET /api/cases/:id/history` answers with: the merged timeline, the case told as a story and
 * the names for the ids in it. Types only, importing nothing but other such modules, so the history and
 * task pages read the same types (`import type`) without the server's database code.
 */
import type { CaseDetail } from '../cases/case-detail-type.js';
import type { Highlights } from './highlights.js';

export type TimelineEntry =
  | {
      at: string;
      kind: 'element';
      intent: string;
      elementId: string;
      elementType: string | null;
      elementInstanceKey: string | null;
      processInstanceKey: string;
      bpmnProcessId: string | null;
      detail: Record<string, unknown> | null;
    }
  | { at: string; kind: 'variables'; elementId: string; elementInstanceKey: string | null; processInstanceKey: string; variables: Record<string, unknown> }
  | { at: string; kind: 'action'; auditId: string; action: string; actor: string; actorRole: string | null; detail: Record<string, unknown> | null }
  | {
      at: string;
      kind: 'notification';
      id: string;
      channel: string;
      recipient: string;
      subject: string | null;
      body: string;
      status: string;
      sentAt: string | null;
    };

/** The steps of a case's story (domain/history/case-story.ts). */
export type StoryKind =
  | 'reported'
  | 'accepted'
  | 'rejected'
  | 'dispatched'
  | 'handled'
  | 'returned'
  | 'extended'
  | 'shelved'
  | 'verified'
  | 'verify_failed'
  | 'closed'
  | 'rated'
  | 'reopened'
  | 'task';

export interface StoryStep {
  kind: StoryKind;
  at: string;
  /** the user who acted (their login); null when the system did it on its own */
  actor: string | null;
  actorRole: string | null;
  unitCode: string | null;
  unitName: string | null;
  /** what the person wrote (result, reason, comment), or the route's reason */
  note: string | null;
  /** for `task`: the user task's element */
  elementId: string | null;
  /** the stage's deadline as it stood when the step was done */
  dueAt: string | null;
  onTime: boolean | null;
  /** since the step before (for the first: null) */
  sinceMs: number | null;
  rating: number | null;
}

export interface CaseStory {
  steps: StoryStep[];
  /** 上报 to 结案 */
  totalMs: number | null;
}

/** Names for the ids a history shows: people by login, units by code, and each process's elements by id. */
export interface HistoryNames {
  people: Record<string, { name: string; role: string }>;
  units: Record<string, string>;
  /** bpmnProcessId → elementId → the element's name in the diagram the instance ran */
  elements: Record<string, Record<string, string>>;
}

export interface CaseHistory {
  case: CaseDetail;
  timeline: TimelineEntry[];
  diagram: { bpmnProcessId: string | null; version: number | null; processDefinitionKey: string | null };
  highlights: Highlights;
  variablesByElement: Record<string, Record<string, unknown>>;
  /** the case told step by step (case-story.ts): what an auditor reads first */
  story: CaseStory;
  /** names for the ids in the timeline: people, units, process elements */
  names: HistoryNames;
}
