import { calibrate, fitIsotonic, type Calibration } from './calibration.js';
import { FeatureExtractor, featureWord } from './features.js';
import type { ClassifierEntry } from './keyword-classifier.js';
import { isNotDispatchable, NOT_DISPATCHABLE, type NotDispatchableLabel } from './labels.js';
import { Logistic, trainLogistic, type LogisticState } from './logistic-regression.js';
import { NaiveBayes, trainNaiveBayes, type NaiveBayesState } from './naive-bayes.js';

export type Algorithm = 'naive-bayes' | 'logistic';

export interface LabelledText {
  text: string;
  label: string;
}

/** What a trained model is, as stored in classify_models.state (JSON). */
export interface ModelState {
  format: 1;
  algorithm: Algorithm;
  model: NaiveBayesState | LogisticState;
  calibration: Calibration;
}

/** Measured on predictions for examples the model had not seen (k-fold, out of fold). */
export interface ModelMetrics {
  examples: number;
  typeTop1: number;
  typeTop3: number;
  category: number;
  /** share of not-dispatchable examples recognised as such */
  notDispatchableRecall: number;
}

export interface Candidate {
  code: string;
  name: string;
  category: string;
  /** 0–1; the first is calibrated (measured share right at that score), the others the model's probability */
  confidence: number;
  /** the words in the report that spoke most for this type */
  words: string[];
}

export interface ModelVerdict {
  candidates: Candidate[];
  dispatchable: boolean;
  /** when not dispatchable: which kind (咨询, 表扬感谢 …) and how sure */
  notDispatchable: { label: NotDispatchableLabel; name: string; confidence: number } | null;
  /** calibrated confidence of the model's top answer (a type, or not-dispatchable) */
  confidence: number;
}

interface Scorer {
  labels: string[];
  scores(f: readonly string[]): Float64Array;
  weight(f: string, label: number): number;
  knows(f: string): boolean;
}

/**
 * A report none of whose features the model has learned anything about (「嗯」, 「1111111」, a silent
 * call) says nothing about what happened: the model's answer would be its prior alone. Such a report
 * is 信息不全 (NONE-VAGUE), never a guessed type.
 */
function evidenceFree(scorer: Scorer, features: readonly string[]): boolean {
  return !features.some((f) => scorer.knows(f));
}

function scorerOf(state: NaiveBayesState | LogisticState): Scorer {
  return state.kind === 'naive-bayes' ? new NaiveBayes(state) : new Logistic(state);
}

/**
 * Features said for many types at once (「请相关部门尽快处理」, 「赶紧来看看」, 「已拍照」: how a channel
 * talks, not what happened) are dropped before fitting: naive Bayes otherwise reads whichever type
 * happened to get more of them as evidence. A feature seen under more than this share of the labels goes.
 */
export const MAX_LABEL_SHARE = 0.1;

function informative(rows: ReadonlyArray<{ features: readonly string[]; label: string }>): Array<{ features: string[]; label: string }> {
  const labelsOf = new Map<string, Set<string>>();
  for (const r of rows) for (const f of r.features) (labelsOf.get(f) ?? labelsOf.set(f, new Set()).get(f)!).add(r.label);
  const labels = new Set(rows.map((r) => r.label)).size;
  const cap = Math.max(2, Math.floor(labels * MAX_LABEL_SHARE));
  return rows.map((r) => ({ label: r.label, features: r.features.filter((f) => labelsOf.get(f)!.size <= cap) }));
}

function fit(algorithm: Algorithm, rows: ReadonlyArray<{ features: readonly string[]; label: string }>): NaiveBayesState | LogisticState {
  const kept = informative(rows);
  return algorithm === 'naive-bayes' ? trainNaiveBayes(kept) : trainLogistic(kept);
}

/**
 * Deterministic fold of the i-th example. Consecutive examples share a fold in blocks of three: the
 * corpus says each phrase three ways one after another, and paraphrases must be held out together or
 * the k-fold figure measures memory rather than reading.
 */
export function foldOf(i: number, k: number): number {
  let h = Math.floor(i / 3) + 1; // murmur3's finaliser: well spread, so no fold follows the corpus's order
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) % k;
}

/** The catalogue as examples too: each type's name and each of its keywords says that type. */
export function catalogueExamples(catalogue: readonly ClassifierEntry[]): LabelledText[] {
  return catalogue.flatMap((c) => [c.name, ...c.keywords].map((text) => ({ text, label: c.code })));
}

/**
 * Trains a model from labelled texts and measures it: k-fold out-of-fold predictions give the
 * metrics and the calibration points, then the model is fitted on all the examples.
 */
export function trainModel(
  examples: readonly LabelledText[],
  features: FeatureExtractor,
  catalogue: readonly ClassifierEntry[],
  algorithm: Algorithm,
  k = 5,
): { state: ModelState; metrics: ModelMetrics } {
  const rows = examples.map((e) => ({ features: features.extract(e.text), label: e.label }));
  const always = catalogueExamples(catalogue).map((e) => ({ features: features.extract(e.text), label: e.label }));
  const categoryOf = new Map(catalogue.map((c) => [c.code, c.category]));
  const points: Array<{ score: number; right: boolean }> = [];
  const tally = { top1: 0, top3: 0, category: 0, typed: 0, nd: 0, ndRight: 0 };
  if (rows.length >= k * 2) {
    for (let fold = 0; fold < k; fold++) {
      const train = [...always, ...rows.filter((_, i) => foldOf(i, k) !== fold)];
      const scorer = scorerOf(fit(algorithm, train));
      rows.forEach((r, i) => {
        if (foldOf(i, k) !== fold) return;
        const p = scorer.scores(r.features);
        const ranked = [...p.keys()].sort((a, b) => p[b]! - p[a]!);
        const top = evidenceFree(scorer, r.features) ? 'NONE-VAGUE' : scorer.labels[ranked[0]!]!;
        points.push({ score: p[ranked[0]!]!, right: top === r.label });
        if (isNotDispatchable(r.label)) {
          tally.nd++;
          if (isNotDispatchable(top)) tally.ndRight++;
          return;
        }
        const types = ranked.map((li) => scorer.labels[li]!).filter((l) => !isNotDispatchable(l));
        tally.typed++;
        if (types[0] === r.label) tally.top1++;
        if (types.slice(0, 3).includes(r.label)) tally.top3++;
        if (categoryOf.get(types[0]!) === categoryOf.get(r.label)) tally.category++;
      });
    }
  }
  const share = (a: number, b: number) => (b ? Math.round((a / b) * 10000) / 10000 : 0);
  return {
    state: { format: 1, algorithm, model: fit(algorithm, [...always, ...rows]), calibration: fitIsotonic(points) },
    metrics: {
      examples: rows.length,
      typeTop1: share(tally.top1, tally.typed),
      typeTop3: share(tally.top3, tally.typed),
      category: share(tally.category, tally.typed),
      notDispatchableRecall: share(tally.ndRight, tally.nd),
    },
  };
}

/** A trained model ready to answer: scores a report and explains the answer. */
export class TextModel {
  private readonly scorer: Scorer;
  private readonly entries: Map<string, ClassifierEntry>;

  constructor(
    readonly state: ModelState,
    private readonly features: FeatureExtractor,
    catalogue: readonly ClassifierEntry[],
  ) {
    this.scorer = scorerOf(state.model);
    this.entries = new Map(catalogue.map((c) => [c.code, c]));
  }

  judge(text: string, topN = 3): ModelVerdict {
    const feats = this.features.extract(text);
    const p = this.scorer.scores(feats);
    const ranked = [...p.keys()].sort((a, b) => p[b]! - p[a]!);
    const blank = evidenceFree(this.scorer, feats);
    const topLabel = blank ? 'NONE-VAGUE' : this.scorer.labels[ranked[0]!]!;
    const confidence = blank ? 1 : calibrate(this.state.calibration, p[ranked[0]!]!);
    const round = (v: number) => Math.round(v * 1000) / 1000;
    const candidates: Candidate[] = [];
    for (const li of ranked) {
      const label = this.scorer.labels[li]!;
      const entry = this.entries.get(label);
      if (!entry) continue; // a not-dispatchable label, or a type no longer in the active catalogue
      const first = candidates.length === 0 && label === topLabel;
      candidates.push({
        code: entry.code,
        name: entry.name,
        category: entry.category,
        confidence: round(first ? confidence : Math.min(p[li]!, candidates[0]?.confidence ?? 1)),
        words: this.decidingWords(feats, li),
      });
      if (candidates.length >= topN) break;
    }
    const dispatchable = !isNotDispatchable(topLabel);
    return {
      candidates,
      dispatchable,
      confidence: round(confidence),
      notDispatchable: dispatchable
        ? null
        : { label: topLabel as NotDispatchableLabel, name: NOT_DISPATCHABLE[topLabel as NotDispatchableLabel], confidence: round(confidence) },
    };
  }

  /** Up to four words of the report that weigh most for the label (whole words first, then n-grams). */
  private decidingWords(feats: readonly string[], label: number): string[] {
    const weighed = feats
      .map((f) => ({ f, word: featureWord(f), w: this.scorer.weight(f, label) + (f.startsWith('w:') ? 0.01 : 0) }))
      // a single character (也, 里) explains nothing to the operator, though it may weigh
      .filter((x) => x.word && x.word.length >= 2 && x.w > 0)
      .sort((a, b) => b.w - a.w);
    const words: string[] = [];
    for (const { word } of weighed) {
      if (words.some((w) => w.includes(word!) || word!.includes(w))) continue;
      words.push(word!);
      if (words.length >= 4) break;
    }
    return words;
  }
}
