/**
 * The shapes the process and form administration answers with (`GET /api/admin/processes`, its versions
 * and diff, `GET /api/admin/forms`). Types only, with no imports, so the modeler pages read the same types
 * (`import type`) without the server's database code.
 */

export interface ProcessSummary {
  processId: string;
  name: string | null;
  latestVersion: number | null;
  versionCount: number;
  deployedAt: string | null;
  hasDraft: boolean;
}

export interface VersionSummary {
  version: number;
  processDefinitionKey: string;
  name: string | null;
  deployedAt: string;
  deployedBy: string;
  checksum: string;
}

export interface FormSummary {
  formId: string;
  latestVersion: number;
  versionCount: number;
  deployedAt: string;
}

export interface DiffElement {
  id: string;
  type: string;
  name: string | null;
}

export interface ProcessDiff {
  added: DiffElement[];
  removed: DiffElement[];
  changed: Array<DiffElement & { attrs: Record<string, { oldValue: unknown; newValue: unknown }> }>;
  layoutChanged: Array<{ id: string }>;
}
