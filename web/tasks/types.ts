/**
 * The API shapes this page reads (GET /api/tasks, /api/tasks/:key, /api/cases/:id/history, /api/dashboard/map):
 * the server's own types, imported as types only (erased from the bundle), and the parts of a form-js schema
 * the page looks into.
 */
import type { TaskDetail as TaskAnswer } from '../../domain/inbox/task-types.js';

export type { AttachmentView as Attachment } from '../../domain/attachments/attachment-type.js';
export type { CaseDetail } from '../../domain/cases/case-detail-type.js';
export type { CaseMap, GridFeature, Position } from '../../domain/dashboard/dashboard-types.js';
export type { TimelineEntry } from '../../domain/history/history-types.js';
export type { TaskPage, TaskSummary } from '../../domain/inbox/task-types.js';

export interface FormComponent {
  type: string;
  id?: string;
  key?: string;
  label?: string;
  values?: { label: string; value: unknown }[];
  validate?: { pattern?: string };
  components?: FormComponent[];
}

export interface FormSchema {
  id: string;
  components: FormComponent[];
  [k: string]: unknown;
}

/** GET /api/tasks/:key, its form read as a form-js schema */
export type TaskDetail = Omit<TaskAnswer, 'form'> & { form: FormSchema | null };

/** GET /api/tasks/incidents: the cases the engine stopped on an open incident (the centre's inbox) */
export interface StuckCases {
  total: number;
  items: Array<{
    caseId: string;
    caseNo: string;
    status: string;
    since: string;
    incidents: Array<{ incidentKey: string; elementId: string; errorType: string; errorMessage: string; createdAt: string }>;
  }>;
}
