/** The process and form administration API (H3's /api/admin/...) as the modeler pages use it. */
import { ApiError, api, goToLogin, token } from '../../web/shared/api.js';
import { acceptLanguage } from '../../web/shared/i18n.js';

export interface ProcessSummary {
  processId: string;
  name: string | null;
  latestVersion: number | null;
  versionCount: number;
  deployedAt: string | null;
  hasDraft: boolean;
}
export interface ProcessVersion {
  version: number;
  processDefinitionKey: string;
  deployedAt: string;
  deployedBy: string | null;
  checksum: string;
}
export interface LintProblem {
  elementId: string | null;
  message: string;
  severity: 'error' | 'warning';
  rule: string;
  source: string;
}
export interface DiffEntry {
  id: string;
  type?: string;
  name?: string | null;
  attrs?: Record<string, { oldValue: unknown; newValue: unknown }>;
}
export interface ProcessDiff {
  added: DiffEntry[];
  removed: DiffEntry[];
  changed: DiffEntry[];
  layoutChanged: DiffEntry[];
}
export interface Deployed {
  processId: string;
  version: number;
  processDefinitionKey: string;
  isNew?: boolean;
}
export interface FormSummary {
  formId: string;
  latestVersion: number;
  versionCount: number;
  deployedAt: string | null;
}
export interface FormVersion {
  version: number;
  formKey?: string;
  deployedAt?: string;
  deployedBy?: string | null;
}
export interface DecisionFileSummary {
  drgId: string;
  name: string | null;
  decisionIds: string[];
  latestVersion: number;
  versionCount: number;
  deployedAt: string;
}
export interface DecisionFileVersion {
  version: number;
  name: string | null;
  deployedAt: string;
  deployedBy: string | null;
}
export type FormSchema = { id: string; components: unknown[] } & Record<string, unknown>;

const enc = encodeURIComponent;
const get = <T>(path: string) => api<T>(path);
const send = <T>(method: string, path: string, body?: unknown) => api<T>(path, { method, ...(body === undefined ? {} : { body }) });

/** A text (XML) answer: the shared client parses JSON only. */
async function text(path: string): Promise<string> {
  const t = token();
  const res = await fetch(`/api${path}`, { headers: { 'Accept-Language': acceptLanguage(), ...(t ? { Authorization: `Bearer ${t}` } : {}) } });
  if (res.status === 401) goToLogin();
  const body = await res.text();
  if (!res.ok) {
    let parsed: { code?: string; message?: string } = {};
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch {
      /* not JSON */
    }
    throw new ApiError(res.status, parsed.code ?? `http_${res.status}`, parsed.message ?? res.statusText);
  }
  return body;
}

export const adminApi = {
  processes: () => get<ProcessSummary[]>('/admin/processes'),
  versions: (processId: string) => get<ProcessVersion[]>(`/admin/processes/${enc(processId)}/versions`),
  versionXml: (processId: string, version: number | 'latest') => text(`/admin/processes/${enc(processId)}/versions/${version}/xml`),
  draft: async (processId: string) => (await get<{ xml: string }>(`/admin/processes/${enc(processId)}/draft`)).xml,
  saveDraft: (processId: string, xml: string) => send<unknown>('PUT', `/admin/processes/${enc(processId)}/draft`, { xml }),
  deleteDraft: (processId: string) => send<unknown>('DELETE', `/admin/processes/${enc(processId)}/draft`),
  lint: (xml: string) => send<{ problems: LintProblem[] }>('POST', '/admin/lint', { xml }),
  deploy: (xml: string) => send<Deployed>('POST', '/admin/processes/deploy', { xml }),
  diff: (processId: string, from: number, to: number) => get<ProcessDiff>(`/admin/processes/${enc(processId)}/diff?from=${from}&to=${to}`),
  elementTemplates: () => get<unknown[]>('/admin/element-templates'),
  forms: () => get<FormSummary[]>('/admin/forms'),
  formVersions: (formId: string) => get<FormVersion[]>(`/admin/forms/${enc(formId)}/versions`),
  formSchema: (formId: string, version: number | 'latest') => get<FormSchema>(`/admin/forms/${enc(formId)}/versions/${version}`),
  decisionFiles: () => get<DecisionFileSummary[]>('/admin/decisions'),
  decisionVersions: (drgId: string) => get<DecisionFileVersion[]>(`/admin/decisions/${enc(drgId)}/versions`),
  decisionXml: (drgId: string, version: number | 'latest') => text(`/admin/decisions/${enc(drgId)}/versions/${version}`),
  lintDecision: (xml: string) => send<{ problems: LintProblem[] }>('POST', '/admin/decisions/lint', { xml }),
  deployDecision: (drgId: string, xml: string) =>
    send<{ drgId: string; version: number; isNew: boolean; problems: LintProblem[] }>('POST', `/admin/decisions/${enc(drgId)}/deploy`, { xml }),
  deployForm: (formId: string, schema: unknown) =>
    send<{ formId: string; version: number; formKey: string; isNew?: boolean }>('POST', `/admin/forms/${enc(formId)}/deploy`, { schema }),
};
