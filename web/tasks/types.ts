/** The API shapes this page reads (GET /api/tasks, /api/tasks/:key, /api/cases/:id/history, /api/dashboard/map). */
export type Light = 'green' | 'yellow' | 'red';

export interface TaskSummary {
  userTaskKey: string;
  name: string;
  elementId: string;
  formId: string | null;
  state: 'created' | 'completed' | 'cancelled';
  caseId: string | null;
  caseNo: string | null;
  /** the case's event-type category */
  category: string | null;
  unitId: number | null;
  unitCode: string | null;
  assignee: string | null;
  candidateGroups: string[];
  priority: number;
  /** the case's priority (a leader's 交办 is high) */
  casePriority: number | null;
  dueAt: string | null;
  light: Light;
  createdAt: string;
}

export type { CaseDetail } from '../../domain/cases/case-detail-type.js';
import type { CaseDetail } from '../../domain/cases/case-detail-type.js';

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

export interface TaskDetail {
  task: TaskSummary;
  form: FormSchema | null;
  case: CaseDetail | null;
  /** the process variables the task's form reads (GET /api/tasks/:key resolves them at the task, inner scopes first) */
  variables?: Record<string, unknown>;
  /** the centre may 改派 the case from here (an operator or admin on a unit's open task of a process that has it) */
  redispatchable?: boolean;
}

export type TimelineEntry =
  | { at: string; kind: 'element'; intent: string; elementId: string; elementType: string | null }
  | { at: string; kind: 'variables'; elementId: string }
  | { at: string; kind: 'action'; action: string; actor: string; actorRole: string | null; detail: Record<string, unknown> | null }
  | { at: string; kind: 'notification'; channel: string; subject: string | null; status: string };

export interface Attachment {
  id: string;
  kind: string;
  fileName: string;
  mimeType: string;
  sizeBytes: number;
}

export type Position = [number, number];
export interface GridFeature {
  id: string;
  properties: { code: string; name: string };
  geometry: { type: 'Polygon'; coordinates: Position[][] } | { type: 'Point'; coordinates: Position };
}
export interface CaseMap {
  cases: { id: string; caseNo: string; lat: number; lng: number; light: Light }[];
  grids: { features: GridFeature[] };
}

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
