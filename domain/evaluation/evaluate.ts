import { Op, type Transaction } from 'sequelize';
import { Case, Evaluation, Grid } from '../../db/models/index.js';
import type { EvaluationScope } from '../../db/models/evaluations.js';
import { changeCase, type CaseChange, type ChangeContext } from '../cases/change-case.js';
import { DEFAULT_WEIGHTS, caseMetrics, evaluateCohort, type CohortEvaluation, type Weights } from './metrics.js';

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

/**
 * Per unit / township / category (or the whole district) over cases reported in [from, to).
 * With `store`, unit and township results are kept in `evaluations` for the screen and reports.
 */
export async function evaluatePeriod(options: { groupBy: GroupBy; from: Date; to: Date; weights?: Weights; store?: boolean }): Promise<GroupEvaluation[]> {
  const cases = await Case.findAll({ where: { createdAt: { [Op.gte]: options.from, [Op.lt]: options.to } }, order: [['id', 'ASC']] });
  const gridIds = [...new Set(cases.map((c) => c.gridId).filter((g): g is number => g !== null))];
  const grids = new Map((gridIds.length ? await Grid.findAll({ where: { id: gridIds } }) : []).map((g) => [g.id, g]));
  const keyOf = (c: Case): string => {
    switch (options.groupBy) {
      case 'unit': return c.unitId === null ? 'none' : String(c.unitId);
      case 'township': {
        const township = (c.gridId !== null ? grids.get(c.gridId)?.townshipId : undefined) ?? c.townshipId;
        return township === null || township === undefined ? 'none' : String(township);
      }
      case 'category': return c.category ?? 'none';
      default: return 'all';
    }
  };
  const groups = new Map<string, Case[]>();
  for (const c of cases) groups.set(keyOf(c), [...(groups.get(keyOf(c)) ?? []), c]);
  const results = [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([group, members]) => ({ group, ...evaluateCohort(members, options.weights ?? DEFAULT_WEIGHTS) }));
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
