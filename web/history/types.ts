/** The API shapes the history page reads (GET /api/cases, /api/cases/:id/history, /api/audit/verify). */
export type Light = 'green' | 'yellow' | 'red';

export interface CaseRow {
  id: string;
  caseNo: string;
  status: string;
  category: string | null;
  eventTypeCode: string | null;
  eventTypeName: string | null;
  unitId: number | null;
  unitName: string | null;
  township: string | null;
  channel: string;
  light: Light;
  escalationLevel: number;
  createdAt: string;
  dueAt: string | null;
  description: string;
}

/** One page of GET /api/cases: `next` is the cursor of the following page; the total comes with the first page only, counted up to 10,000 (`totalCapped`: at least that many). */
export interface CasePage {
  items: CaseRow[];
  next: string | null;
  pageSize: number;
  total?: number;
  totalCapped?: boolean;
}

export type { CaseDetail } from '../../domain/cases/case-detail-type.js';
import type { CaseDetail } from '../../domain/cases/case-detail-type.js';

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

export type ElementEntry = Extract<TimelineEntry, { kind: 'element' }>;
export type VariablesEntry = Extract<TimelineEntry, { kind: 'variables' }>;

export type { Highlights } from '../../domain/history/highlights.js';
import type { Highlights } from '../../domain/history/highlights.js';

/** domain/history/case-story.ts */
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
  actor: string | null;
  actorRole: string | null;
  unitCode: string | null;
  unitName: string | null;
  note: string | null;
  elementId: string | null;
  dueAt: string | null;
  onTime: boolean | null;
  sinceMs: number | null;
  rating: number | null;
}
/** domain/history/history-names.ts */
export interface HistoryNames {
  people: Record<string, { name: string; role: string }>;
  units: Record<string, string>;
  elements: Record<string, Record<string, string>>;
}

export interface CaseHistory {
  case: CaseDetail;
  timeline: TimelineEntry[];
  diagram: { bpmnProcessId: string | null; version: number | null; processDefinitionKey: string | null };
  highlights: Highlights;
  variablesByElement: Record<string, Record<string, unknown>>;
  story: { steps: StoryStep[]; totalMs: number | null };
  names: HistoryNames;
}

export interface ChainStatus {
  ok: boolean;
  checked: number;
  firstBroken?: { id: string; reason: string };
}

/** The detail of a `DECISION_EVALUATED` element entry (the port's DecisionEvaluation): a business-rule task's DMN decision. */
export interface DecisionEvaluation {
  decisionId: string;
  decisionName: string | null;
  decisionVersion: number | null;
  resultVariable: string | null;
  result: unknown;
  evaluatedDecisions: Array<{
    decisionId: string;
    decisionName: string | null;
    decisionType: string | null;
    inputs: Array<{ inputId: string; inputName: string | null; value: unknown }>;
    matchedRules: Array<{ ruleId: string; ruleIndex: number; outputs: Record<string, unknown> }>;
    result: unknown;
  }>;
}
