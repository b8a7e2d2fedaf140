/**
 * One line of `GET /api/revisits`: a closed case whose reporter the centre calls back. A type only, with no
 * imports, so the 回访 page reads the same type (`import type`) without the server's database code.
 */
export interface RevisitItem {
  id: string;
  caseNo: string;
  description: string;
  reporterName: string | null;
  reporterPhone: string;
  channel: string;
  closedAt: string | null;
  attempts: number;
}
