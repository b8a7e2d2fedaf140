import type { RollupSql } from './sql-dialect.js';

/**
 * What the rollups count, written once as SQL expressions over one `cases` row. The same definitions
 * make the triggers that keep the rollups current (OLD subtracted, NEW added, in the transaction of
 * the write that moves them, whichever code path writes) and the rebuild (GROUP BY over all cases),
 * so the two cannot drift apart.
 *
 * - `case_tally_status`, `case_tally_category`, `case_tally_place`: every case by unit and status, by unit
 *   and category, by unit, township and standing light (open cases) — the dashboard's totals.
 * - `case_day_counts`: per local day and unit: cases reported, closed (结案), deadlines missed by a
 *   finished case (on the day the deadline fell), and reports per grid and per event type (热点).
 *   Each is counted for the case's unit and again under ALL_UNITS, so the district's figures read
 *   one row per day rather than one per unit.
 * - `case_month_counts`: per local month of reporting × unit × township × category, the counters of
 *   the evaluation formulas (domain/evaluation/metrics.ts: countCohort), merged duplicates left out.
 * - `open_cases`: a copy of the few columns the screen needs of the cases still in the loop; bounded
 *   by the work in hand, not by history. Lights and overdue counts depend on the clock, so they are
 *   computed from here at read time.
 * Missing ids are keyed 0 and a missing category '' (a NULL would not meet itself in a unique key).
 */

/** Bump when a definition below changes: the next start rebuilds the rollups and recreates the triggers. */
export const ROLLUP_VERSION = 1;

/** Statuses of a case still in the loop (its deadlines run). */
export const OPEN_CASE_STATUSES = ['reported', 'accepted', 'dispatched', 'handling', 'returned', 'verifying'] as const;

/** `unit_id` of the district-wide rows in `case_day_counts` (no real unit has it). */
export const ALL_UNITS = -1;
/** `unit_id` / `township_id` of cases without one. */
export const NO_UNIT = 0;

/** Expression over the row named `r` (`NEW`, `OLD`, or the alias of `cases` in the rebuild). */
type Expr = (r: string, sql: RollupSql) => string;

export interface Additive {
  table: string;
  keys: Record<string, Expr>;
  values: Record<string, Expr>;
  /** whether the row counts at all */
  when: Expr;
}

const col =
  (name: string): Expr =>
  (r) =>
    `${r}.${name}`;
const orZero =
  (name: string): Expr =>
  (r) =>
    `COALESCE(${r}.${name}, 0)`;
const literal =
  (value: string | number): Expr =>
  () =>
    typeof value === 'number' ? String(value) : `'${value}'`;
const flag =
  (cond: Expr): Expr =>
  (r, sql) =>
    `CASE WHEN ${cond(r, sql)} THEN 1 ELSE 0 END`;
const always: Expr = () => '1 = 1';
const inList = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');
const OPEN = inList(OPEN_CASE_STATUSES);

/** done at all, and by its deadline when there is one (metrics.ts: `within`) */
const within =
  (at: string, due: string): Expr =>
  (r, sql) =>
    `(${r}.${at} IS NOT NULL AND (${r}.${due} IS NULL OR ${sql.atOrBefore(`${r}.${at}`, `${r}.${due}`)}))`;

/** The light a case carries by itself (催办 yellow; 督办/red), before the clock is asked; '' once it is finished. */
const standingLight: Expr = (r) =>
  `CASE WHEN ${r}.status NOT IN (${OPEN}) THEN '' WHEN ${r}.escalation_level > 0 OR ${r}.warning_light = 'red' THEN 'red' WHEN ${r}.warning_light = 'yellow' THEN 'yellow' ELSE 'green' END`;

/** Small tallies shaped for the summary's reads: each a few rows per unit, whatever the history. */
const tallies: Additive[] = [
  { table: 'case_tally_status', keys: { unit_id: orZero('unit_id'), status: col('status') }, values: { n: literal(1) }, when: always },
  {
    table: 'case_tally_category',
    keys: { unit_id: orZero('unit_id'), category: (r) => `COALESCE(${r}.category, '')` },
    values: { n: literal(1) },
    when: always,
  },
  {
    table: 'case_tally_place',
    keys: { unit_id: orZero('unit_id'), township_id: orZero('township_id'), light: standingLight },
    values: { n: literal(1) },
    when: always,
  },
];

function dayCount(measure: string, dayOf: string, when: Expr, ref: Expr, allUnits: boolean): Additive {
  return {
    table: 'case_day_counts',
    keys: {
      day: (r, sql) => sql.localDay(`${r}.${dayOf}`),
      unit_id: allUnits ? literal(ALL_UNITS) : orZero('unit_id'),
      measure: literal(measure),
      ref_id: ref,
    },
    values: { n: literal(1) },
    when,
  };
}

const closed: Expr = (r) => `${r}.status = 'closed' AND ${r}.closed_at IS NOT NULL`;
/** finished, and finished after the running deadline (open cases past it are counted live) */
const missed: Expr = (r, sql) =>
  `${r}.status NOT IN (${OPEN}) AND ${r}.closed_at IS NOT NULL AND ${r}.due_at IS NOT NULL AND NOT (${sql.atOrBefore(`${r}.closed_at`, `${r}.due_at`)})`;
const hasGrid: Expr = (r) => `${r}.grid_id IS NOT NULL`;
const hasType: Expr = (r) => `${r}.event_type_id IS NOT NULL`;

const dayCounts: Additive[] = [false, true].flatMap((all) => [
  dayCount('created', 'created_at', always, literal(0), all),
  dayCount('closed', 'closed_at', closed, literal(0), all),
  dayCount('missed', 'due_at', missed, literal(0), all),
  dayCount('grid', 'created_at', hasGrid, col('grid_id'), all),
  dayCount('type', 'created_at', hasType, col('event_type_id'), all),
]);

/** the counters of countCohort (domain/evaluation/metrics.ts), one 0/1 (or count) per case */
const monthCounts: Additive = {
  table: 'case_month_counts',
  keys: {
    month: (r, sql) => sql.localMonth(`${r}.created_at`),
    unit_id: orZero('unit_id'),
    township_id: orZero('township_id'),
    category: (r) => `COALESCE(${r}.category, '')`,
  },
  values: {
    reported: literal(1),
    filed: flag((r) => `${r}.accepted_at IS NOT NULL`),
    dispatched: flag((r) => `${r}.dispatched_at IS NOT NULL`),
    dispatched_on_time: flag((r, sql) => `${r}.accepted_at IS NOT NULL AND ${within('dispatched_at', 'dispatch_due_at')(r, sql)}`),
    handled: flag((r) => `${r}.handled_at IS NOT NULL`),
    handled_on_time: flag((r, sql) => `${r}.dispatched_at IS NOT NULL AND ${within('handled_at', 'handle_due_at')(r, sql)}`),
    shelved: flag((r) => `${r}.status = 'shelved'`),
    closed: flag((r) => `${r}.status = 'closed'`),
    closed_on_time: flag(
      (r, sql) => `${r}.status = 'closed' AND ${within('handled_at', 'handle_due_at')(r, sql)} AND ${within('closed_at', 'verify_due_at')(r, sql)}`,
    ),
    reworked: flag((r) => `${r}.rework_count > 0`),
    rework_times: col('rework_count'),
    extended: flag((r) => `${r}.extension_count > 0`),
    returned: flag((r) => `${r}.return_count > 0`),
    responded: flag(
      (r) =>
        `${r}.dispatched_at IS NOT NULL AND ${r}.return_count = 0 AND (${r}.handled_at IS NOT NULL OR ${r}.status IN ('handling', 'verifying', 'closed', 'shelved'))`,
    ),
    rated: flag((r) => `${r}.satisfaction IS NOT NULL`),
    resolved: flag((r) => `${r}.satisfaction IN ('satisfied', 'basic')`),
    satisfied: flag((r) => `${r}.satisfaction = 'satisfied'`),
  },
  when: (r) => `${r}.status <> 'merged'`,
};

export const ADDITIVE_ROLLUPS: readonly Additive[] = [...tallies, ...dayCounts, monthCounts];

/** `open_cases` columns, copied from the `cases` column of the same name (`case_id` from `id`). */
export const OPEN_CASE_COLUMNS = [
  'case_no',
  'status',
  'category',
  'unit_id',
  'township_id',
  'grid_id',
  'due_at',
  'warning_light',
  'escalation_level',
  'lat',
  'lng',
  'created_at',
] as const;
export const isOpenCase: Expr = (r) => `${r}.status IN (${OPEN})`;

/** The cases columns any rollup reads: an UPDATE that changes none of them leaves the rollups alone. */
export const WATCHED_COLUMNS = [
  'unit_id',
  'township_id',
  'category',
  'status',
  'created_at',
  'closed_at',
  'due_at',
  'grid_id',
  'event_type_id',
  'accepted_at',
  'dispatched_at',
  'dispatch_due_at',
  'handled_at',
  'handle_due_at',
  'verify_due_at',
  'rework_count',
  'extension_count',
  'return_count',
  'satisfaction',
  'case_no',
  'warning_light',
  'escalation_level',
  'lat',
  'lng',
] as const;

/** The tables the rollups are kept in (all of them emptied by a rebuild). */
export const ROLLUP_TABLES = ['case_tally_status', 'case_tally_category', 'case_tally_place', 'case_day_counts', 'case_month_counts', 'open_cases'] as const;
