/**
 * The shapes the task endpoints answer with (`GET /api/tasks`, `GET /api/tasks/:key`). Types only,
 * importing nothing but other such modules and the value sets, so the task page reads the same types
 * (`import type`) without the server's database code.
 */
import type { InboxTaskState, WarningLight } from '../../db/vocabulary.js';
import type { CaseDetail } from '../cases/case-detail-type.js';

export interface TaskSummary {
  userTaskKey: string;
  name: string;
  elementId: string;
  formId: string | null;
  state: InboxTaskState;
  caseId: string | null;
  caseNo: string | null;
  /** the case's event-type category */
  category: string | null;
  unitId: number | null;
  unitCode: string | null;
  assignee: string | null;
  candidateGroups: string[];
  priority: number;
  /** the case's priority (0–100; a leader's 交办 is high), which the inbox shows: the task's own is the engine's default */
  casePriority: number | null;
  dueAt: string | null;
  light: WarningLight;
  createdAt: string;
}

export interface TaskPage {
  tasks: TaskSummary[];
  /** cursor of the following page (`after`), null on the last */
  next: string | null;
  /** first pages only (no `after`): see domain/shared/paging.ts */
  total?: number;
  totalCapped?: boolean;
}

/** `GET /api/tasks/:key`: the task with its form (form-js JSON), case and the variables the form reads. */
export interface TaskDetail {
  task: TaskSummary;
  form: unknown;
  case: CaseDetail | null;
  /** the process variables the task's form reads, resolved at the task (inner scopes first) */
  variables: Record<string, unknown>;
  /** the centre may 改派 the case from here (an operator or admin on a unit's open task of a process that has it) */
  redispatchable: boolean;
}
