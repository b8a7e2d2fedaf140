import { QueryTypes, type Transaction } from 'sequelize';
import { Case, Evaluation } from '../../db/models/index.js';
import { type EvaluationScope } from '../../db/vocabulary.js';
import { changeCase, type CaseChange, type ChangeContext } from '../cases/change-case.js';
import { localDay, monthPeriod } from '../shared/local-time.js';
import { DomainError } from '../shared/errors.js';
import { DEFAULT_WEIGHTS, caseMetrics, evaluateCounts, type CohortCounts, type CohortEvaluation, type Weights } from './metrics.js';

/** Keeps one evaluation row per (scope, case) or (scope, unit, period): recomputing overwrites it. */
async function upsertEvaluation(
  key: { scope: EvaluationScope; caseId: string | null; unitId: number | null; periodStart: Date | null; periodEnd: Date | null },
  values: { metrics: Record<string, number | null>; score: number | null; category?: string | null },
  transaction?: Transaction,
): Promise<Evaluation> {
  const t = transaction ? { transaction } : {};
  const existing = await Evaluation.findOne({ where: key, ...t });
  if (existing) {
    existing.metrics = values.metrics;
    existing.score = values.score;
    if (values.category !== undefined) existing.category = values.category;
    return existing.save(t);
  }
  return Evaluation.create({ ...key, ...values }, t);
}

/**
 * The case's metrics (按期处置, 返工, 延期, 退单, 满意 …) into `evaluations` (scope `case`) and the
 * audit log, in one transaction. The same dedup key again returns what was recorded the first time.
 */
export function evaluateCase(caseId: string, ctx: ChangeContext, weights: Weights = DEFAULT_WEIGHTS): Promise<CaseChange & { evaluation: { metrics: Record<string, number | null>; score: number | null } }> {
  return changeCase(caseId, 'evaluated', ctx, async (c, { transaction }) => {
    const { metrics, score } = caseMetrics(c, weights);
    await upsertEvaluation({ scope: 'case', caseId: c.id, unitId: c.unitId, periodStart: null, periodEnd: null }, { metrics, score, category: c.category }, transaction);
    return { metrics, score };
  }).then((change) => ({ ...change, evaluation: change.detail as { metrics: Record<string, number | null>; score: number | null } }));
}

export type GroupBy = 'unit' | 'township' | 'category' | 'district';

export interface GroupEvaluation extends CohortEvaluation {
  /** unit id, township unit id, category name, or `all`; `none` for cases without one */
  group: string;
}

/** The counters of CohortCounts as the evaluation rollup names its columns. */
const COUNTER_COLUMNS: Record<keyof CohortCounts, string> = {
  reported: 'reported', filed: 'filed', dispatched: 'dispatched', dispatchedOnTime: 'dispatched_on_time', handled: 'handled',
  handledOnTime: 'handled_on_time', shelved: 'shelved', closed: 'closed', closedOnTime: 'closed_on_time', reworked: 'reworked',
  reworkTimes: 'rework_times', extended: 'extended', returned: 'returned', responded: 'responded', rated: 'rated',
  resolved: 'resolved', satisfied: 'satisfied',
};
const GROUP_COLUMN: Record<GroupBy, string> = { unit: 'unit_id', township: 'township_id', category: 'category', district: "'all'" };

/** The local month `[from, to)` is, or an error: the evaluation rollup counts whole months. */
function monthOf(from: Date, to: Date): string {
  const month = localDay(from).slice(0, 7);
  const period = monthPeriod(month);
  if (period.from.getTime() !== from.getTime() || period.to.getTime() !== to.getTime()) {
    throw new DomainError('INVALID_ARGUMENT', `an evaluation period is one local month (got ${from.toISOString()} – ${to.toISOString()})`);
  }
  return month;
}

/**
 * Per unit / township / category (or the whole district) over the cases reported in one local month
 * [from, to), read from the evaluation rollup (db/rollups: the counters of countCohort, kept current as
 * cases change), so a month costs the same in year five as on day one. The township is the one the
 * case was filed in. With `store`, unit and township results are kept in `evaluations` for the screen
 * and reports.
 */
export async function evaluatePeriod(options: { groupBy: GroupBy; from: Date; to: Date; weights?: Weights; store?: boolean }): Promise<GroupEvaluation[]> {
  const month = monthOf(options.from, options.to);
  const columns = Object.entries(COUNTER_COLUMNS);
  const rows = await Case.sequelize!.query<Record<string, unknown>>(
    `SELECT ${GROUP_COLUMN[options.groupBy]} AS grp, ${columns.map(([, c]) => `SUM(${c}) AS ${c}`).join(', ')} FROM case_month_counts WHERE month = ? GROUP BY 1`,
    { type: QueryTypes.SELECT, replacements: [month] },
  );
  const groupOf = (v: unknown) => (v === null || v === '' || v === 0 || v === '0' ? 'none' : String(v));
  const results = rows
    .filter((r) => Number(r['reported']) > 0)
    .map((r) => ({ group: groupOf(r['grp']), counts: Object.fromEntries(columns.map(([k, c]) => [k, Number(r[c])])) as unknown as CohortCounts }))
    .sort((a, b) => a.group.localeCompare(b.group, 'en', { numeric: true }))
    .map(({ group, counts }) => ({ group, ...evaluateCounts(counts, options.weights ?? DEFAULT_WEIGHTS) }));
  if (options.store && (options.groupBy === 'unit' || options.groupBy === 'township')) {
    for (const r of results) {
      if (r.group === 'none') continue;
      await upsertEvaluation(
        { scope: options.groupBy, caseId: null, unitId: Number(r.group), periodStart: options.from, periodEnd: options.to },
        { metrics: { ...r.counts, ...r.rates }, score: r.score },
      );
    }
  }
  return results;
}
