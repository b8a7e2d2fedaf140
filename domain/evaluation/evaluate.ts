import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { appSql, type Tx } from '../../db/sql/current.js';
import type { Tables } from '../../db/sql/schema.js';
import { type EvaluationScope } from '../../db/vocabulary.js';
import { changeCase, type CaseChange, type ChangeContext } from '../cases/change-case.js';
import { localDay, monthPeriod } from '../shared/local-time.js';
import { DomainError } from '../shared/errors.js';
import { DEFAULT_WEIGHTS, caseMetrics, evaluateCounts, type CohortCounts, type CohortEvaluation, type Weights } from './metrics.js';

interface EvaluationKey {
  scope: EvaluationScope;
  caseId: string | null;
  unitId: number | null;
  periodStart: Date | null;
  periodEnd: Date | null;
}

/** The key's columns equal, a null one IS NULL. */
function sameKey(eb: ExpressionBuilder<Tables, 'evaluations'>, key: EvaluationKey): Expression<SqlBool> {
  const on = eb as unknown as ExpressionBuilder<Record<string, Record<string, unknown>>, string>;
  return on.and(Object.entries(key).map(([column, value]) => (value === null ? on(column, 'is', null) : on(column, '=', value))));
}

/**
 * Keeps one evaluation row per (scope, case) or (scope, unit, period): recomputing overwrites it — and
 * leaves it untouched (its updated_at too) when nothing differs, as the model's save did.
 */
async function upsertEvaluation(
  key: EvaluationKey,
  values: { metrics: Record<string, number | null>; score: number | null; category?: string | null },
  transaction?: Tx,
): Promise<void> {
  const q = appSql(transaction);
  const metrics = JSON.stringify(values.metrics);
  const now = new Date();
  const existing = await q
    .selectFrom('evaluations')
    .select(['id', 'metrics', 'score', 'category'])
    .where((eb) => sameKey(eb, key))
    .limit(1)
    .executeTakeFirst();
  if (existing) {
    const changed = {
      ...(existing.metrics !== metrics ? { metrics } : {}),
      ...(existing.score !== values.score ? { score: values.score } : {}),
      ...(values.category !== undefined && existing.category !== values.category ? { category: values.category } : {}),
    };
    if (Object.keys(changed).length)
      await q
        .updateTable('evaluations')
        .set({ ...changed, updatedAt: now })
        .where('id', '=', existing.id)
        .execute();
    return;
  }
  await q
    .insertInto('evaluations')
    .values({ ...key, metrics, score: values.score, category: values.category ?? null, createdAt: now, updatedAt: now })
    .execute();
}

/**
 * The case's metrics (按期处置, 返工, 延期, 退单, 满意 …) into `evaluations` (scope `case`) and the
 * audit log, in one transaction. The same dedup key again returns what was recorded the first time.
 */
export function evaluateCase(
  caseId: string,
  ctx: ChangeContext,
  weights: Weights = DEFAULT_WEIGHTS,
): Promise<CaseChange & { evaluation: { metrics: Record<string, number | null>; score: number | null } }> {
  return changeCase(caseId, 'evaluated', ctx, async (c, { transaction }) => {
    const { metrics, score } = caseMetrics(c, weights);
    await upsertEvaluation(
      { scope: 'case', caseId: c.id, unitId: c.unitId, periodStart: null, periodEnd: null },
      { metrics, score, category: c.category },
      transaction,
    );
    return { metrics, score };
  }).then((change) => ({ ...change, evaluation: change.detail as { metrics: Record<string, number | null>; score: number | null } }));
}

export type GroupBy = 'unit' | 'township' | 'category' | 'district';

export interface GroupEvaluation extends CohortEvaluation {
  /** unit id, township unit id, category name, or `all`; `none` for cases without one */
  group: string;
}

/** The counters of CohortCounts: the evaluation rollup's columns have their names. */
const COUNTERS: ReadonlyArray<keyof CohortCounts & keyof Tables['case_month_counts']> = [
  'reported',
  'filed',
  'dispatched',
  'dispatchedOnTime',
  'handled',
  'handledOnTime',
  'shelved',
  'closed',
  'closedOnTime',
  'reworked',
  'reworkTimes',
  'extended',
  'returned',
  'responded',
  'rated',
  'resolved',
  'satisfied',
];
const GROUP_COLUMN: Record<GroupBy, 'unitId' | 'townshipId' | 'category' | null> = {
  unit: 'unitId',
  township: 'townshipId',
  category: 'category',
  district: null,
};

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
  const column = GROUP_COLUMN[options.groupBy];
  const rows: Array<Record<string, unknown>> = await appSql()
    .selectFrom('case_month_counts')
    .select((eb) => [column === null ? sql<string>`'all'`.as('grp') : eb.ref(column).as('grp'), ...COUNTERS.map((c) => eb.fn.sum(c).as(c))])
    .where('month', '=', month)
    .groupBy(sql`1`)
    .execute();
  const groupOf = (v: unknown) => (v === null || v === '' || v === 0 || v === '0' ? 'none' : String(v));
  const results = rows
    .filter((r) => Number(r['reported']) > 0)
    .map((r) => ({ group: groupOf(r['grp']), counts: Object.fromEntries(COUNTERS.map((c) => [c, Number(r[c])])) as unknown as CohortCounts }))
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
