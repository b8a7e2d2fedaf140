/**
 * Evaluation formulas (综合评价); their published sources are in docs/domain.md ("Evaluation"). A cohort is the cases
 * reported in a period; merged duplicates (并单) are left out — they live on in the absorbing
 * case's duplicate count. Counts follow the eGova counters; where the standard's denominators are
 * unverified the choice is written next to the formula. A rate whose denominator is 0 is null.
 */

/** What the formulas read from a case (a Case row fits). */
export interface CaseFacts {
  status: string;
  acceptedAt: Date | null;
  dispatchedAt: Date | null;
  dispatchDueAt: Date | null;
  handledAt: Date | null;
  handleDueAt: Date | null;
  verifyDueAt: Date | null;
  closedAt: Date | null;
  reworkCount: number;
  extensionCount: number;
  returnCount: number;
  escalationLevel: number;
  satisfaction: string | null;
}

const t = (d: Date | null): number | null => (d ? d.getTime() : null);
const within = (at: Date | null, due: Date | null): boolean => at !== null && (due === null || t(at)! <= t(due)!);

/** 按期派遣: dispatched by the dispatch deadline (no deadline recorded = nothing to miss). */
export const dispatchedOnTime = (c: CaseFacts): boolean => within(c.dispatchedAt, c.dispatchDueAt);
/** 按期处置: handled by the handling deadline (after any approved extension, which moved it). */
export const handledOnTime = (c: CaseFacts): boolean => within(c.handledAt, c.handleDueAt);
/** 按期结案: closed, handled on time, and closed by the verification deadline when there is one. */
export const closedOnTime = (c: CaseFacts): boolean => c.status === 'closed' && handledOnTime(c) && within(c.closedAt, c.verifyDueAt);
/** 响应: the unit took the dispatched case up (handling began or it was handled) without 退单. */
export const responded = (c: CaseFacts): boolean =>
  c.dispatchedAt !== null && c.returnCount === 0 && (c.handledAt !== null || ['handling', 'verifying', 'closed', 'shelved'].includes(c.status));
/** 解决 as the reporter judged it at 回访: satisfied or basically satisfied. */
export const resolved = (c: CaseFacts): boolean => c.satisfaction === 'satisfied' || c.satisfaction === 'basic';

export type Weights = Record<string, number>;
/** 三率: 响应率 30 %, 解决率 35 %, 满意率 35 % (准格尔旗's published scheme; configurable). */
export const DEFAULT_WEIGHTS: Readonly<Weights> = { responseRate: 30, resolveRate: 35, satisfactionRate: 35 };

/**
 * Composite score 0–100 = Σ wᵢ·rateᵢ / Σ wᵢ × 100 over the weighted rates that have a value; a rate
 * without a denominator drops out and the other weights renormalise. null when none has a value.
 */
export function compositeScore(rates: Record<string, number | null | undefined>, weights: Weights = DEFAULT_WEIGHTS): number | null {
  let sum = 0;
  let weight = 0;
  for (const [key, w] of Object.entries(weights)) {
    const rate = rates[key];
    if (rate === null || rate === undefined || !(w > 0)) continue;
    sum += w * rate;
    weight += w;
  }
  return weight === 0 ? null : Math.round((sum / weight) * 100 * 100) / 100;
}

/** One case's metrics (0/1 flags, counts, null where not applicable yet). */
export function caseMetrics(c: CaseFacts, weights: Weights = DEFAULT_WEIGHTS): { metrics: Record<string, number | null>; score: number | null } {
  const flag = (b: boolean) => (b ? 1 : 0);
  const rated = c.satisfaction !== null;
  const metrics: Record<string, number | null> = {
    filed: flag(c.acceptedAt !== null),
    dispatchedOnTime: c.dispatchedAt ? flag(dispatchedOnTime(c)) : null,
    handledOnTime: c.handledAt ? flag(handledOnTime(c)) : null,
    closed: flag(c.status === 'closed'),
    closedOnTime: c.status === 'closed' ? flag(closedOnTime(c)) : null,
    reworkCount: c.reworkCount,
    extended: flag(c.extensionCount > 0),
    returned: flag(c.returnCount > 0),
    escalationLevel: c.escalationLevel,
    responded: c.dispatchedAt ? flag(responded(c)) : null,
    resolved: rated ? flag(resolved(c)) : null,
    satisfied: rated ? flag(c.satisfaction === 'satisfied') : null,
  };
  const score = compositeScore({ responseRate: metrics['responded'], resolveRate: metrics['resolved'], satisfactionRate: metrics['satisfied'] }, weights);
  return { metrics, score };
}

export interface CohortCounts {
  reported: number;
  filed: number;
  dispatched: number;
  dispatchedOnTime: number;
  handled: number;
  handledOnTime: number;
  shelved: number;
  closed: number;
  closedOnTime: number;
  reworked: number;
  reworkTimes: number;
  extended: number;
  returned: number;
  responded: number;
  rated: number;
  resolved: number;
  satisfied: number;
}

export interface CohortRates {
  filingRate: number | null;
  onTimeDispatchRate: number | null;
  onTimeHandleRate: number | null;
  onTimeCloseRate: number | null;
  closeRate: number | null;
  reworkRate: number | null;
  extensionRate: number | null;
  returnRate: number | null;
  responseRate: number | null;
  resolveRate: number | null;
  satisfactionRate: number | null;
}

export const RATE_LABELS: Readonly<Record<keyof CohortRates, string>> = {
  filingRate: '立案率',
  onTimeDispatchRate: '按期派遣率',
  onTimeHandleRate: '按期处置率',
  onTimeCloseRate: '按期结案率',
  closeRate: '结案率',
  reworkRate: '返工率',
  extensionRate: '延期率',
  returnRate: '退单率',
  responseRate: '响应率',
  resolveRate: '解决率',
  satisfactionRate: '满意率',
};

export function countCohort(cases: readonly CaseFacts[]): CohortCounts {
  const n = (p: (c: CaseFacts) => boolean) => cases.filter((c) => c.status !== 'merged' && p(c)).length;
  return {
    reported: n(() => true), // 上报数 (有效: duplicates merged away are not counted)
    filed: n((c) => c.acceptedAt !== null), // 立案数 = 应派遣数 = 应结案数
    dispatched: n((c) => c.dispatchedAt !== null), // 派遣数 = 应处置数
    dispatchedOnTime: n((c) => c.acceptedAt !== null && dispatchedOnTime(c)),
    handled: n((c) => c.handledAt !== null), // 处置数
    handledOnTime: n((c) => c.dispatchedAt !== null && handledOnTime(c)),
    shelved: n((c) => c.status === 'shelved'), // 缓办数 (挂账)
    closed: n((c) => c.status === 'closed'),
    closedOnTime: n(closedOnTime),
    reworked: n((c) => c.reworkCount > 0), // 返工数 (cases); 返工次数 below
    reworkTimes: cases.filter((c) => c.status !== 'merged').reduce((s, c) => s + c.reworkCount, 0),
    extended: n((c) => c.extensionCount > 0),
    returned: n((c) => c.returnCount > 0),
    responded: n(responded),
    rated: n((c) => c.satisfaction !== null), // 回访数
    resolved: n(resolved),
    satisfied: n((c) => c.satisfaction === 'satisfied'),
  };
}

const ratio = (num: number, den: number): number | null => (den > 0 ? num / den : null);

export function cohortRates(k: CohortCounts): CohortRates {
  const dueToClose = k.filed - k.shelved; // 应结案数 − 缓办数
  return {
    filingRate: ratio(k.filed, k.reported), // 立案率 = 立案数 / 上报数
    onTimeDispatchRate: ratio(k.dispatchedOnTime, k.filed), // 按期派遣率 = 按期派遣数 / 应派遣数
    onTimeHandleRate: ratio(k.handledOnTime, k.dispatched), // 按期处置率 = 按期处置数 / 应处置数
    onTimeCloseRate: ratio(k.closedOnTime, dueToClose), // 按期结案率 = 按期结案数 / (应结案数 − 缓办数)
    closeRate: ratio(k.closed, dueToClose), // 结案率 = 结案数 / (应结案数 − 缓办数)
    reworkRate: ratio(k.reworked, k.handled), // 返工率 = 返工数 / 处置数
    extensionRate: ratio(k.extended, k.filed), // 延期率 = 延期数 / 应结案数
    returnRate: ratio(k.returned, k.dispatched), // 退单率 = 退单数 / 派遣数
    responseRate: ratio(k.responded, k.dispatched), // 响应率 = 响应数 / 派遣数
    resolveRate: ratio(k.resolved, k.rated), // 解决率 = 解决数 / 回访数
    satisfactionRate: ratio(k.satisfied, k.rated), // 满意率 = 满意数 / 回访数
  };
}

export interface CohortEvaluation {
  counts: CohortCounts;
  rates: CohortRates;
  score: number | null;
}

export function evaluateCohort(cases: readonly CaseFacts[], weights: Weights = DEFAULT_WEIGHTS): CohortEvaluation {
  return evaluateCounts(countCohort(cases), weights);
}

/** The rates and score of a cohort already counted (the evaluation rollup holds the counts). */
export function evaluateCounts(counts: CohortCounts, weights: Weights = DEFAULT_WEIGHTS): CohortEvaluation {
  const rates = cohortRates(counts);
  return { counts, rates, score: compositeScore(rates as unknown as Record<string, number | null>, weights) };
}
