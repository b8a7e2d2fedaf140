/**
 * Isotonic calibration (pool-adjacent-violators) of the model's top score: fitted on out-of-fold
 * predictions, it maps a raw score to the share of predictions with that score that were right.
 * So "confidence ≥ 0.9" means about 9 in 10 such filings were right when the model was measured,
 * and the configured threshold bounds the wrong share of automatic filings.
 */
export interface Calibration {
  /** raw-score upper bounds of the blocks, ascending */
  bounds: number[];
  /** the measured share right in each block */
  values: number[];
}

export function fitIsotonic(points: ReadonlyArray<{ score: number; right: boolean }>): Calibration {
  const sorted = [...points].sort((a, b) => a.score - b.score);
  const blocks: Array<{ sum: number; n: number; hi: number }> = [];
  for (const p of sorted) {
    blocks.push({ sum: p.right ? 1 : 0, n: 1, hi: p.score });
    while (blocks.length > 1) {
      const [a, b] = [blocks[blocks.length - 2]!, blocks[blocks.length - 1]!];
      if (a.sum / a.n < b.sum / b.n) break;
      blocks.splice(blocks.length - 2, 2, { sum: a.sum + b.sum, n: a.n + b.n, hi: b.hi });
    }
  }
  return {
    bounds: blocks.map((b) => Math.round(b.hi * 1e6) / 1e6),
    // a little shrinkage toward the block's neighbourhood: a block of 3 all right is not "certain"
    values: blocks.map((b) => Math.round(((b.sum + 0.5) / (b.n + 1)) * 1e4) / 1e4),
  };
}

export function calibrate(c: Calibration | null, score: number): number {
  if (!c || !c.bounds.length) return score;
  for (let i = 0; i < c.bounds.length; i++) if (score <= c.bounds[i]!) return c.values[i]!;
  return c.values[c.values.length - 1]!;
}
