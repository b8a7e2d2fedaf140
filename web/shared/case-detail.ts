/** A case as `GET /api/cases/:id` returns it (and as the history and task endpoints embed it). */
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
