/**
 * Multinomial naive Bayes over binary features with Laplace smoothing. The serialised form keeps only
 * the counts seen (sparse), so a model of ~2,000 reports is a few hundred kB of JSON.
 */
export interface NaiveBayesState {
  kind: 'naive-bayes';
  alpha: number;
  labels: string[];
  /** examples per label */
  docs: number[];
  /** feature → [labelIndex, count, labelIndex, count, ...] */
  counts: Record<string, number[]>;
  /** total feature occurrences per label */
  totals: number[];
}

export function trainNaiveBayes(examples: ReadonlyArray<{ features: readonly string[]; label: string }>, alpha = 0.3): NaiveBayesState {
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  const index = new Map(labels.map((l, i) => [l, i]));
  const docs = labels.map(() => 0);
  const totals = labels.map(() => 0);
  const perFeature = new Map<string, Map<number, number>>();
  for (const e of examples) {
    const li = index.get(e.label)!;
    docs[li]!++;
    for (const f of e.features) {
      const m = perFeature.get(f) ?? new Map<number, number>();
      m.set(li, (m.get(li) ?? 0) + 1);
      perFeature.set(f, m);
      totals[li]!++;
    }
  }
  const counts: Record<string, number[]> = {};
  for (const [f, m] of perFeature) counts[f] = [...m].flat();
  return { kind: 'naive-bayes', alpha, labels, docs, counts, totals };
}

/** Scorer built once from a state: log-priors and per-feature log-likelihood rows. */
export class NaiveBayes {
  readonly labels: string[];
  private readonly prior: Float64Array;
  private readonly unseen: Float64Array;
  private readonly rows = new Map<string, Array<[number, number]>>();

  constructor(state: NaiveBayesState) {
    this.labels = state.labels;
    const n = state.labels.length;
    const vocabulary = Object.keys(state.counts).length + 1;
    const docs = state.docs.reduce((a, b) => a + b, 0);
    this.prior = Float64Array.from(state.docs, (d) => Math.log((d + 1) / (docs + n)));
    this.unseen = Float64Array.from(state.totals, (t) => Math.log(state.alpha / (t + state.alpha * vocabulary)));
    for (const [f, flat] of Object.entries(state.counts)) {
      const row: Array<[number, number]> = [];
      for (let i = 0; i < flat.length; i += 2) {
        const li = flat[i]!;
        // stored as the gain over an unseen feature, so scoring adds only the labels that saw it
        row.push([li, Math.log((flat[i + 1]! + state.alpha) / state.alpha)]);
      }
      this.rows.set(f, row);
    }
  }

  /** Probabilities per label (softmax of the log-scores) and each feature's gain per label. */
  scores(features: readonly string[]): Float64Array {
    const s = Float64Array.from(this.prior);
    let known = 0;
    for (const f of features) {
      const row = this.rows.get(f);
      if (!row) continue;
      known++;
      for (const [li, gain] of row) s[li]! += gain;
    }
    for (let i = 0; i < s.length; i++) s[i]! += known * this.unseen[i]!;
    return softmax(s);
  }

  /** Whether the model learned anything about this feature. */
  knows(feature: string): boolean {
    return this.rows.has(feature);
  }

  /** How much a feature speaks for a label (log-likelihood gain over unseen), for explanations. */
  weight(feature: string, label: number): number {
    const row = this.rows.get(feature);
    const hit = row?.find(([li]) => li === label);
    return hit ? hit[1] + this.unseen[label]! - Math.max(...this.unseen) : 0;
  }
}

export function softmax(s: Float64Array): Float64Array {
  let max = -Infinity;
  for (const v of s) if (v > max) max = v;
  let sum = 0;
  for (let i = 0; i < s.length; i++) sum += s[i] = Math.exp(s[i]! - max);
  for (let i = 0; i < s.length; i++) s[i]! /= sum;
  return s;
}
