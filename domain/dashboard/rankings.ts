import { appSql } from '../../db/sql/current.js';
import { evaluatePeriod } from '../evaluation/index.js';
import { evaluationsFor } from '../schedule/monthly-evaluation.js';
import { monthPeriod } from '../shared/local-time.js';
import type { UnitRanking } from './dashboard-types.js';

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** 接办率 = 接办数 / 派遣数 (accepted / received): the share of dispatched cases the unit took up without 退单. */
export function acceptanceRate(received: number, returned: number): number | null {
  return received > 0 ? (received - returned) / received : null;
}

/**
 * 单位排名 for a local month: the stored monthly evaluation (scope `unit`) when the month has been
 * evaluated, else the same formulas (domain/evaluation) over the month's cases now. Best score first;
 * equal scores share a rank. `unitId` limits the list to one unit (department roles).
 */
export async function unitRankings(month: string, unitId: number | null): Promise<UnitRanking[]> {
  type Row = { unitId: number; score: number | null; metrics: Record<string, unknown> };
  let rows: Row[];
  let source: UnitRanking['source'] = 'stored';
  const stored = await evaluationsFor({ scope: 'unit', period: month });
  if (stored.length) {
    rows = stored.filter((r) => r.unitId !== null).map((r) => ({ unitId: r.unitId!, score: r.score, metrics: r.metrics }));
  } else {
    source = 'live';
    const { from, to } = monthPeriod(month);
    rows = (await evaluatePeriod({ groupBy: 'unit', from, to }))
      .filter((g) => g.group !== 'none')
      .map((g) => ({ unitId: Number(g.group), score: g.score, metrics: { ...g.counts, ...g.rates } }));
  }
  const units = new Map(
    (rows.length
      ? await appSql()
          .selectFrom('units')
          .select(['id', 'code', 'name'])
          .where(
            'id',
            'in',
            rows.map((r) => r.unitId),
          )
          .execute()
      : []
    ).map((u) => [u.id, u]),
  );
  const ranked = rows.map((r): UnitRanking => {
    const m = r.metrics;
    const received = num(m['dispatched']) ?? 0;
    const returned = num(m['returned']) ?? 0;
    const unit = units.get(r.unitId);
    return {
      rank: null,
      unitId: r.unitId,
      unitCode: unit?.code ?? null,
      unitName: unit?.name ?? String(r.unitId),
      score: r.score,
      按期办结率: num(m['onTimeCloseRate']),
      接办率: acceptanceRate(received, returned),
      满意率: num(m['satisfactionRate']),
      响应率: num(m['responseRate']),
      解决率: num(m['resolveRate']),
      结案率: num(m['closeRate']),
      按期处置率: num(m['onTimeHandleRate']),
      退单率: num(m['returnRate']),
      返工率: num(m['reworkRate']),
      延期率: num(m['extensionRate']),
      received,
      accepted: received - returned,
      source,
    };
  });
  ranked.sort((a, b) => (b.score ?? -Infinity) - (a.score ?? -Infinity) || a.unitId - b.unitId);
  ranked.forEach((r, i) => {
    if (r.score === null) return;
    const previous = ranked[i - 1];
    r.rank = previous && previous.score === r.score ? previous.rank : i + 1;
  });
  return unitId === null ? ranked : ranked.filter((r) => r.unitId === unitId);
}
