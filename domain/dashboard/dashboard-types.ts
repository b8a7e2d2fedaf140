/**
 * The shapes the dashboard and case-search endpoints answer with (`GET /api/dashboard/*`, `GET /api/cases`).
 * Types only, importing nothing but the value sets, so the pages read the same types (`import type`)
 * without the server's database code.
 */
import type { WarningLight } from '../../db/vocabulary.js';

export interface GroupCount {
  total: number;
  open: number;
  overdue: number;
}

export interface DashboardSummary {
  totals: { open: number; closed: number; overdue: number; today: number; total: number };
  byStatus: Record<string, number>;
  byCategory: Record<string, number>;
  byUnit: Array<{ unitId: number | null; unitName: string | null } & GroupCount>;
  byTownship: Array<{ townshipId: number | null; township: string | null } & GroupCount>;
  /** the lights of the open cases */
  lights: Record<WarningLight, number>;
  at: string;
}

/** `GET /api/dashboard/summary` and the stream's events: the summary with the engine's open incidents (null for a unit's view). */
export interface DashboardSummaryAnswer extends DashboardSummary {
  openIncidents: number | null;
}

export interface TrendDay {
  date: string;
  created: number;
  closed: number;
  overdue: number;
}

export interface UnitRanking {
  rank: number | null;
  unitId: number;
  unitCode: string | null;
  unitName: string;
  score: number | null;
  按期办结率: number | null;
  接办率: number | null;
  满意率: number | null;
  响应率: number | null;
  解决率: number | null;
  结案率: number | null;
  按期处置率: number | null;
  退单率: number | null;
  返工率: number | null;
  延期率: number | null;
  /** 派遣数: cases sent to the unit */
  received: number;
  /** 接办数: of those, taken up rather than returned (退单) */
  accepted: number;
  /** `stored`: the monthly evaluation's rows; `live`: computed now (a month not evaluated yet, e.g. the running one) */
  source: 'stored' | 'live';
}

export interface Hotspot {
  kind: 'grid' | 'eventType';
  code: string;
  name: string;
  thisWeek: number;
  baseline: number;
  ratio: number;
}

export interface CaseListItem {
  id: string;
  caseNo: string;
  status: string;
  category: string | null;
  eventTypeCode: string | null;
  eventTypeName: string | null;
  unitId: number | null;
  unitName: string | null;
  townshipId: number | null;
  township: string | null;
  channel: string;
  light: WarningLight;
  escalationLevel: number;
  createdAt: string;
  dueAt: string | null;
  description: string;
  address: string | null;
  reporterName: string | null;
  reporterPhone: string | null;
}

export interface CasePage {
  items: CaseListItem[];
  /** cursor of the following page (`after`), null on the last */
  next: string | null;
  pageSize: number;
  /** offset paging only: the page asked for */
  page?: number;
  /** first pages only (no `after`): see domain/shared/paging.ts */
  total?: number;
  totalCapped?: boolean;
}

/** [lng, lat] in degrees */
export type Position = [number, number];

/** A grid on the map (GeoJSON Feature): its polygon, or its centre when it has none. */
export interface GridFeature {
  type: 'Feature';
  id: string;
  properties: { code: string; name: string; townshipId: number | null; gridKind: string | null; openCases: number };
  geometry: { type: 'Polygon'; coordinates: Position[][] } | { type: 'Point'; coordinates: Position };
}

export interface CaseMap {
  cases: Array<{ id: string; caseNo: string; lat: number; lng: number; light: WarningLight; category: string | null; status: string }>;
  /** true when more open cases lie in the bounds than MAP_CASE_LIMIT: the newest are shown */
  truncated: boolean;
  grids: { type: 'FeatureCollection'; features: GridFeature[] };
}

/** `GET /api/dashboard/map`: the map with the configured tile URL template ({z}/{x}/{y}), null when the map works offline. */
export interface CaseMapAnswer extends CaseMap {
  tileUrl: string | null;
}
