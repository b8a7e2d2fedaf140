import type { Insertable } from 'kysely';
import { appSql, withTransaction } from '../../db/sql/current.js';
import type { EvaluationsTable } from '../../db/sql/schema.js';
import { DEFAULT_WEIGHTS, evaluatePeriod, type Weights } from '../evaluation/index.js';
import { monthBefore, monthPeriod, type MonthPeriod } from '../shared/local-time.js';

/** The period scopes the monthly run stores (per-case rows are written when a case is evaluated). */
export const PERIOD_SCOPES = ['unit', 'township', 'category'] as const;
export type PeriodScope = (typeof PERIOD_SCOPES)[number];

export interface MonthlyEvaluationResult extends MonthPeriod {
  /** rows stored per scope */
  stored: Record<PeriodScope, number>;
}

/**
 * 月度综合评价: the period aggregates (domain/evaluation's counts, rates and weighted score) per
 * unit, per township and per category for one local month, stored in `evaluations`.
 * `month` is the month to evaluate (`YYYY-MM`), or an instant — then the month before the one it
 * falls in, which is what the 1st-of-month schedule wants.
 * Idempotent: the month's unit/township/category rows are deleted and written again in one
 * transaction, so a re-run replaces them and a reader never sees half a month.
 * Cases without a unit (never dispatched), township or category count in the other scopes only.
 */
export async function monthlyEvaluation(month: string | Date, options: { weights?: Weights } = {}): Promise<MonthlyEvaluationResult> {
  const period = monthPeriod(typeof month === 'string' ? month : monthBefore(month));
  const weights = options.weights ?? DEFAULT_WEIGHTS;
  const rows: Array<Insertable<EvaluationsTable>> = [];
  const now = new Date();
  const stored: Record<PeriodScope, number> = { unit: 0, township: 0, category: 0 };
  for (const scope of PERIOD_SCOPES) {
    for (const r of await evaluatePeriod({ groupBy: scope, from: period.from, to: period.to, weights })) {
      if (r.group === 'none') continue;
      rows.push({
        scope,
        caseId: null,
        unitId: scope === 'category' ? null : Number(r.group),
        category: scope === 'category' ? r.group : null,
        periodStart: period.from,
        periodEnd: period.to,
        metrics: JSON.stringify({ ...r.counts, ...r.rates }),
        score: r.score,
        createdAt: now,
        updatedAt: now,
      });
      stored[scope]++;
    }
  }
  await withTransaction(async (transaction) => {
    const db = appSql(transaction);
    await db
      .deleteFrom('evaluations')
      .where('scope', 'in', [...PERIOD_SCOPES])
      .where('periodStart', '=', period.from)
      .where('periodEnd', '=', period.to)
      .execute();
    // at most 250 rows per INSERT: well under both databases' limits on bound values
    for (let from = 0; from < rows.length; from += 250)
      await db
        .insertInto('evaluations')
        .values(rows.slice(from, from + 250))
        .execute();
  });
  return { ...period, stored };
}

export interface RankedEvaluation {
  /** 1 for the best score; equal scores share a rank (1, 2, 2, 4); rows without a score come last, unranked */
  rank: number | null;
  scope: PeriodScope;
  /** unit id (unit, township) or category name */
  group: string;
  unitId: number | null;
  unitCode: string | null;
  /** the unit's short name, or the category */
  name: string;
  category: string | null;
  periodStart: Date;
  periodEnd: Date;
  score: number | null;
  metrics: Record<string, number | null>;
}

/**
 * The stored evaluations of one scope and month (`YYYY-MM`, or an explicit [from, to) as stored),
 * best score first — what the dashboard's 排名 and the API read. `category` narrows category rows
 * to one category (a column, so the query runs on the index, not through the metrics JSON).
 */
export async function evaluationsFor(query: { scope: PeriodScope; period: string | { from: Date; to: Date }; category?: string }): Promise<RankedEvaluation[]> {
  const { from, to } = typeof query.period === 'string' ? monthPeriod(query.period) : query.period;
  const rows = await appSql()
    .selectFrom('evaluations')
    .selectAll()
    .where('scope', '=', query.scope)
    .where('periodStart', '=', from)
    .where('periodEnd', '=', to)
    .$if(query.category !== undefined, (b) => b.where('category', '=', query.category!))
    .execute();
  const unitIds = [...new Set(rows.map((r) => r.unitId).filter((u): u is number => u !== null))];
  const units = new Map(
    (unitIds.length ? await appSql().selectFrom('units').select(['id', 'code', 'name', 'shortName']).where('id', 'in', unitIds).execute() : []).map((u) => [
      u.id,
      u,
    ]),
  );
  const ranked = rows.map((r): RankedEvaluation => {
    const unit = r.unitId !== null ? units.get(r.unitId) : undefined;
    const label = query.scope === 'category' ? r.category : null;
    return {
      rank: null,
      scope: query.scope,
      group: label ?? String(r.unitId),
      unitId: r.unitId,
      unitCode: unit?.code ?? null,
      name: label ?? unit?.shortName ?? unit?.name ?? String(r.unitId),
      category: label,
      periodStart: r.periodStart!,
      periodEnd: r.periodEnd!,
      score: r.score,
      metrics: JSON.parse(r.metrics) as Record<string, number | null>,
    };
  });
  ranked.sort((a, b) => (b.score ?? -Infinity) - (a.score ?? -Infinity) || a.group.localeCompare(b.group, 'en', { numeric: true }));
  ranked.forEach((r, i) => {
    if (r.score === null) return;
    const previous = ranked[i - 1];
    r.rank = previous && previous.score === r.score ? previous.rank : i + 1;
  });
  return ranked;
}
