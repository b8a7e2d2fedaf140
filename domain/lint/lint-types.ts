/**
 * A lint finding as `POST /api/admin/lint` and a refused deploy (`details.problems`) carry it. Types only,
 * importing nothing but the wording's types, so the modeler reads the same type (`import type`).
 */
import type { MessageParams } from '../shared/wording.js';

export type LintSeverity = 'error' | 'warning';
export type LintSource = 'camunda-compat' | 'recommended' | 'engine';

export interface LintProblem {
  /** the BPMN element the problem is about; null when it is about the document as a whole */
  elementId: string | null;
  message: string;
  severity: LintSeverity;
  rule: string;
  source: LintSource;
  /** what is wrong, for the caller's language: `engine.<key>` (the engine's refusals), `lint.<key>` (this lint's own); none for bpmnlint's */
  key?: string;
  params?: MessageParams;
}
