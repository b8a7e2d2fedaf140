/**
 * What a reporter's tracking code answers (`GET /api/public/reports/:token`). A type only, with no imports,
 * so the report page reads the same type (`import type`) without the server's database code.
 */

/** What a reporter sees through the tracking token: progress, never other people's data. */
export interface PublicCaseView {
  caseNo: string;
  status: string;
  description: string;
  address: string | null;
  reportedAt: string;
  acceptedAt: string | null;
  dispatchedAt: string | null;
  handledAt: string | null;
  closedAt: string | null;
  satisfaction: string | null;
  canRate: boolean;
  /** what the unit wrote when it finished (办结), once the case is handled; personal numbers masked */
  handleResult: string | null;
}
