/**
 * One of a grid worker's own reports as `GET /api/field-reports` lists it. A type only, with no imports, so
 * the 巡查上报 page reads the same type (`import type`) without the server's database code.
 */
export interface FieldReportItem {
  id: string;
  caseNo: string;
  description: string;
  status: string;
  createdAt: string;
}
