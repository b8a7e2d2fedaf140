/**
 * The API shapes the history page reads (GET /api/cases, /api/cases/:id/history, /api/audit/verify): the
 * server's own types, imported as types only (erased from the bundle).
 */
export type { CaseDetail } from '../../domain/cases/case-detail-type.js';
export type { CaseListItem as CaseRow, CasePage } from '../../domain/dashboard/dashboard-types.js';
export type { Highlights } from '../../domain/history/highlights.js';
export type { CaseHistory, HistoryNames, StoryKind, StoryStep, TimelineEntry } from '../../domain/history/history-types.js';
import type { TimelineEntry } from '../../domain/history/history-types.js';

export type ElementEntry = Extract<TimelineEntry, { kind: 'element' }>;
export type VariablesEntry = Extract<TimelineEntry, { kind: 'variables' }>;

export interface ChainStatus {
  ok: boolean;
  checked: number;
  firstBroken?: { id: string; reason: string } | null;
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
