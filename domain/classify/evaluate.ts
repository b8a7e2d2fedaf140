import { isNotDispatchable } from './labels.js';
import { filesItself, type SmartClassification } from './smart-classifier.js';

/** Scores of a classifier on labelled reports it did not learn from. */
export interface Scores {
  reports: number;
  typeTop1: number;
  typeTop3: number;
  category: number;
  notDispatchableRecall: number;
  autoShare: number;
  autoWrongShare: number;
}

export function score(
  examples: ReadonlyArray<{ text: string; label: string }>,
  classify: (text: string) => SmartClassification,
  categoryOf: ReadonlyMap<string, string>,
  threshold: number,
): Scores {
  const t = { top1: 0, top3: 0, cat: 0, typed: 0, nd: 0, ndRight: 0, auto: 0, autoWrong: 0 };
  for (const e of examples) {
    const c = classify(e.text);
    const codes = c.candidates.length ? c.candidates.map((x) => x.code) : [c.eventTypeCode, ...c.alternatives.map((a) => a.code)];
    if (filesItself(c, threshold)) {
      t.auto++;
      if (codes[0] !== e.label) t.autoWrong++;
    }
    if (isNotDispatchable(e.label)) {
      t.nd++;
      if (!c.dispatchable) t.ndRight++;
      continue;
    }
    t.typed++;
    if (codes[0] === e.label) t.top1++;
    if (codes.slice(0, 3).includes(e.label)) t.top3++;
    if (codes[0] && categoryOf.get(codes[0]) === categoryOf.get(e.label)) t.cat++;
  }
  const share = (a: number, b: number) => (b ? Math.round((a / b) * 1000) / 1000 : 0);
  return {
    reports: examples.length,
    typeTop1: share(t.top1, t.typed),
    typeTop3: share(t.top3, t.typed),
    category: share(t.cat, t.typed),
    notDispatchableRecall: share(t.ndRight, t.nd),
    autoShare: share(t.auto, examples.length),
    autoWrongShare: share(t.autoWrong, t.auto),
  };
}
