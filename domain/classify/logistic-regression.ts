import { softmax } from './naive-bayes.js';

/**
 * Multinomial logistic regression (softmax) over binary features, trained by AdaGrad with L2,
 * deterministic (fixed shuffle seed). Weights below a small magnitude are dropped when serialised.
 */
export interface LogisticState {
  kind: 'logistic';
  labels: string[];
  bias: number[];
  /** feature → [labelIndex, weight, ...] */
  weights: Record<string, number[]>;
}

export function trainLogistic(
  examples: ReadonlyArray<{ features: readonly string[]; label: string }>,
  options: { epochs?: number; rate?: number; l2?: number } = {},
): LogisticState {
  const { epochs = 25, rate = 0.5, l2 = 1e-5 } = options;
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  const n = labels.length;
  const index = new Map(labels.map((l, i) => [l, i]));
  const featureIndex = new Map<string, number>();
  const rows = examples.map((e) => ({
    y: index.get(e.label)!,
    x: Int32Array.from(e.features, (f) => {
      let i = featureIndex.get(f);
      if (i === undefined) featureIndex.set(f, (i = featureIndex.size));
      return i;
    }),
  }));
  const w = new Float64Array(featureIndex.size * n);
  const g2 = new Float64Array(featureIndex.size * n).fill(1e-8);
  const b = new Float64Array(n);
  const bg2 = new Float64Array(n).fill(1e-8);
  let seed = 7;
  const order = rows.map((_, i) => i);
  const s = new Float64Array(n);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const j = seed % (i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const k of order) {
      const { x, y } = rows[k]!;
      for (let c = 0; c < n; c++) {
        let v = b[c]!;
        for (const f of x) v += w[f * n + c]!;
        s[c] = v;
      }
      const p = softmax(s);
      for (let c = 0; c < n; c++) {
        const g = p[c]! - (c === y ? 1 : 0);
        if (Math.abs(g) < 1e-4) continue;
        bg2[c]! += g * g;
        b[c]! -= (rate * g) / Math.sqrt(bg2[c]!);
        for (const f of x) {
          const at = f * n + c;
          const gw = g + l2 * w[at]!;
          g2[at]! += gw * gw;
          w[at]! -= (rate * gw) / Math.sqrt(g2[at]!);
        }
      }
    }
  }
  const weights: Record<string, number[]> = {};
  for (const [f, fi] of featureIndex) {
    const flat: number[] = [];
    for (let c = 0; c < n; c++) {
      const v = w[fi * n + c]!;
      if (Math.abs(v) >= 1e-3) flat.push(c, Math.round(v * 1e4) / 1e4);
    }
    if (flat.length) weights[f] = flat;
  }
  return { kind: 'logistic', labels, bias: [...b].map((v) => Math.round(v * 1e4) / 1e4), weights };
}

export class Logistic {
  readonly labels: string[];
  private readonly bias: Float64Array;
  private readonly rows = new Map<string, Array<[number, number]>>();

  constructor(state: LogisticState) {
    this.labels = state.labels;
    this.bias = Float64Array.from(state.bias);
    for (const [f, flat] of Object.entries(state.weights)) {
      const row: Array<[number, number]> = [];
      for (let i = 0; i < flat.length; i += 2) row.push([flat[i]!, flat[i + 1]!]);
      this.rows.set(f, row);
    }
  }

  scores(features: readonly string[]): Float64Array {
    const s = Float64Array.from(this.bias);
    for (const f of features) for (const [c, v] of this.rows.get(f) ?? []) s[c]! += v;
    return softmax(s);
  }

  knows(feature: string): boolean {
    return this.rows.has(feature);
  }

  weight(feature: string, label: number): number {
    return this.rows.get(feature)?.find(([c]) => c === label)?.[1] ?? 0;
  }
}
