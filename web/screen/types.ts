/**
 * The dashboard API's shapes (GET /api/dashboard/*; the stream sends the summary): the server's own types,
 * imported as types only (erased from the bundle).
 */
export type {
  CaseMapAnswer as CaseMap,
  DashboardSummaryAnswer as DashboardSummary,
  GridFeature,
  GroupCount,
  Hotspot,
  Position,
  TrendDay,
  UnitRanking,
} from '../../domain/dashboard/dashboard-types.js';
