/** The dashboard API's shapes (GET /api/dashboard/*; the stream sends DashboardSummary). */
export type Light = 'green' | 'yellow' | 'red';

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
  lights: Record<Light, number>;
  /** open incidents in the workflow engine (null for a unit's own view) */
  openIncidents?: number | null;
  at: string;
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
  unitName: string;
  score: number | null;
  按期办结率: number | null;
  接办率: number | null;
  满意率: number | null;
  received: number;
}

export interface Hotspot {
  kind: 'grid' | 'eventType';
  code: string;
  name: string;
  thisWeek: number;
  baseline: number;
  ratio: number;
}

export type Position = [number, number];
export interface GridFeature {
  type: 'Feature';
  id: string;
  properties: { code: string; name: string; openCases: number } & Record<string, unknown>;
  geometry: { type: 'Polygon'; coordinates: Position[][] } | { type: 'Point'; coordinates: Position };
}

export interface CaseMap {
  cases: Array<{ id: string; caseNo: string; lat: number; lng: number; light: Light; category: string | null; status: string }>;
  grids: { type: 'FeatureCollection'; features: GridFeature[] };
  /** the configured MAP_TILE_URL template ({z}/{x}/{y}), when the server has one */
  tileUrl?: string | null;
}
