/**
 * A case as `GET /api/cases/:id` returns it (and the history and task endpoints embed it): staff see it with
 * the reporter's phone masked for roles that do not call reporters back. No imports, so the web pages use
 * the same type.
 */
export interface CaseDetail {
  id: string;
  caseNo: string;
  channel: string;
  status: string;
  priority: number;
  description: string;
  reporterName: string | null;
  reporterPhone: string | null;
  lat: number | null;
  lng: number | null;
  address: string | null;
  gridCode: string | null;
  eventTypeCode: string | null;
  category: string | null;
  unitCode: string | null;
  warningLight: string;
  escalationLevel: number;
  dueAt: string | null;
  createdAt: string;
  closedAt: string | null;
}
