import { parseDuration } from '../../domain/calendar/duration.js';
import { CATEGORIES } from '../vocabulary.js';
import { EXAMPLE_CHANNELS, EXAMPLE_SOURCES } from '../vocabulary.js';
import { UNIT_KINDS } from '../vocabulary.js';

/**
 * What each CSV column accepts (db/csv-formats.md is the human version of this table).
 * A check returns an error message, or null when the value is fine.
 */
export interface ColumnSpec {
  name: string;
  required: boolean;
  check?: (value: string) => string | null;
}

const CODE = /^[A-Za-z0-9_-]{2,32}$/;
const code = (v: string) => (CODE.test(v) ? null : 'must be 2–32 letters, digits, _ or -');
const oneOf = (allowed: readonly string[]) => (v: string) => (allowed.includes(v) ? null : `must be one of ${allowed.join(', ')}`);
const maxLen = (n: number) => (v: string) => ([...v].length <= n ? null : `longer than ${n} characters`);
const numberIn = (min: number, max: number) => (v: string) => {
  const n = Number(v);
  return /^-?\d+(\.\d+)?$/.test(v) && n >= min && n <= max ? null : `must be a number from ${min} to ${max}`;
};
const duration = (v: string) => (parseDuration(v) ? null : 'must be a duration like 30m, 4h or 0.5d');
const phone = (v: string) => (/^[0-9+\- ]{7,20}$/.test(v) ? null : 'must be 7–20 digits, +, - or spaces');
const codeList = (v: string) => (v.split('|').every((c) => CODE.test(c.trim())) ? null : 'must be codes separated by |');

export function parsePolygon(v: string): Array<[number, number]> | null {
  const points = v.split(',').map((p) => p.trim().split(/\s+/).map(Number));
  if (points.length < 4 || points.some((p) => p.length !== 2 || p.some((n) => !Number.isFinite(n)))) return null;
  const [first, last] = [points[0]!, points[points.length - 1]!];
  if (first[0] !== last[0] || first[1] !== last[1]) return null;
  return points as Array<[number, number]>;
}

/** Twice the signed area of a ring (shoelace); 0 for a ring that encloses nothing. */
function ringArea2(points: Array<[number, number]>): number {
  let sum = 0;
  for (let i = 0; i + 1 < points.length; i++) sum += points[i]![0] * points[i + 1]![1] - points[i + 1]![0] * points[i]![1];
  return sum;
}

/**
 * Why a grid outline is impossible, or null: a closed ring of at least 4 points, every point inside
 * the longitude/latitude range of the centroid columns, enclosing some area (not all on one line).
 */
export function polygonProblem(v: string): string | null {
  const points = parsePolygon(v);
  if (!points) return 'must be a closed ring "lng lat, lng lat, ..." of at least 4 points';
  if (points.some(([lng, lat]) => lng < 73 || lng > 136 || lat < 3 || lat > 54)) return 'has a point outside longitude 73–136 / latitude 3–54';
  if (Math.abs(ringArea2(points)) < 1e-12) return 'encloses no area';
  return null;
}

export function parseExtraStages(v: string): Array<{ name: string; limit: string }> | null {
  const stages = v.split(';').map((s) => s.split('='));
  if (stages.some((s) => s.length !== 2 || !s[0]!.trim() || !parseDuration(s[1]!))) return null;
  return stages.map(([name, limit]) => ({ name: name!.trim(), limit: limit!.trim() }));
}

export const UNIT_COLUMNS: ColumnSpec[] = [
  { name: 'code', required: true, check: code },
  { name: 'name', required: true, check: maxLen(100) },
  { name: 'short_name', required: false, check: maxLen(50) },
  { name: 'kind', required: true, check: oneOf(UNIT_KINDS) },
  { name: 'parent_code', required: false, check: code },
  { name: 'contact_person', required: false, check: maxLen(50) },
  { name: 'contact_phone', required: false, check: phone },
];

export const GRID_COLUMNS: ColumnSpec[] = [
  { name: 'code', required: true, check: code },
  { name: 'name', required: true, check: maxLen(100) },
  { name: 'township_code', required: true, check: code },
  { name: 'community_code', required: true, check: code },
  { name: 'centroid_lng', required: true, check: numberIn(73, 136) },
  { name: 'centroid_lat', required: true, check: numberIn(3, 54) },
  { name: 'polygon', required: false, check: polygonProblem },
  { name: 'grid_kind', required: false, check: oneOf(['综合', '专属']) },
];

export const EVENT_TYPE_COLUMNS: ColumnSpec[] = [
  { name: 'code', required: true, check: code },
  { name: 'name', required: true, check: maxLen(64) },
  { name: 'kind', required: true, check: oneOf(['部件', '事件']) },
  { name: 'major', required: true, check: maxLen(64) },
  { name: 'category', required: true, check: oneOf(CATEGORIES) },
  { name: 'filing_condition', required: true },
  { name: 'closing_condition', required: true },
  { name: 'routing_rule', required: true, check: oneOf(['属地', '属主']) },
  { name: 'owner_unit_code', required: true, check: code },
  { name: 'clock', required: true, check: oneOf(['working', 'natural']) },
  { name: 'accept_limit', required: true, check: duration },
  { name: 'dispatch_limit', required: true, check: duration },
  { name: 'handle_limit', required: true, check: duration },
  { name: 'verify_limit', required: true, check: duration },
  { name: 'extra_stages', required: false, check: (v) => (parseExtraStages(v) ? null : 'must be name=duration pairs separated by ;') },
  { name: 'emergency', required: true, check: oneOf(['0', '1']) },
  { name: 'keywords', required: false },
];

export const ITEM_COLUMNS: ColumnSpec[] = [
  { name: 'code', required: true, check: code },
  { name: 'name', required: true, check: maxLen(200) },
  { name: 'category', required: true, check: oneOf(CATEGORIES) },
  { name: 'event_type_code', required: false, check: code },
  { name: 'responsible_unit_code', required: true, check: code },
  { name: 'assisting_unit_codes', required: false, check: codeList },
  { name: 'basis', required: false },
];

/** Labelled reports for the classifier; `label` is checked against the catalogue with the references. */
export const CLASSIFY_EXAMPLE_COLUMNS: ColumnSpec[] = [
  { name: 'code', required: true, check: code },
  { name: 'text', required: true, check: maxLen(2000) },
  { name: 'label', required: true, check: code },
  { name: 'channel', required: false, check: oneOf(EXAMPLE_CHANNELS) },
  { name: 'source', required: false, check: oneOf(EXAMPLE_SOURCES) },
];
