/**
 * npm run bench:classify — the intake classifier measured on the shipped corpus and the held-out set:
 * 5-fold cross-validation on db/demo/classify_examples.csv (paraphrases of one phrase held out together),
 * the held-out set bench/classify/heldout.csv (written apart, never trained on) by channel, a second
 * held-out set bench/classify/heldout-2.csv (written later and apart; never tuned on, only read here),
 * the share filed automatically at CLASSIFY_MIN_CONFIDENCE and the wrong share among those, the
 * learning curve (held-out top-1 as labelled decisions accumulate) and milliseconds per report.
 * Both algorithms are measured; the last line is JSON for the default one.
 */
import { FeatureExtractor } from '../domain/classify/features.js';
import { ALGORITHM } from '../domain/classify/model-store.js';
import { PlaceExtractor } from '../domain/classify/place-extractor.js';
import { SmartClassifier } from '../domain/classify/smart-classifier.js';
import { score } from '../domain/classify/evaluate.js';
import { trainModel, TextModel, type Algorithm, type LabelledText } from '../domain/classify/text-classifier.js';
import { demoCatalogue, demoPlaceNames, heldOut, heldOut2, shippedCorpus } from './classify/demo-files.js';

const threshold = Number(process.env['CLASSIFY_MIN_CONFIDENCE'] ?? 0.6);
const catalogue = demoCatalogue();
const categoryOf = new Map(catalogue.map((c) => [c.code, c.category]));
const features = new FeatureExtractor(catalogue, demoPlaceNames());
const places = new PlaceExtractor([]);
const corpus = shippedCorpus();
const held = heldOut();
const held2 = heldOut2();
const pct = (v: number) => `${(v * 100).toFixed(1)} %`;

function build(examples: readonly LabelledText[], algorithm: Algorithm) {
  const t = performance.now();
  const { state, metrics } = trainModel(examples, features, catalogue, algorithm);
  const trainMs = performance.now() - t;
  return {
    classifier: new SmartClassifier(catalogue, new TextModel(state, features, catalogue), places, 1),
    metrics,
    trainMs,
    bytes: JSON.stringify(state).length,
  };
}

console.log(`corpus ${corpus.length} examples, held-out ${held.length} reports, held-out-2 ${held2.length} reports, threshold ${threshold}`);
const keywordOnly = new SmartClassifier(catalogue, null, places, null);
const kw = score(held, (t) => keywordOnly.classify(t), categoryOf, threshold);
console.log(
  `keyword rules alone, held-out: top-1 ${pct(kw.typeTop1)}, category ${pct(kw.category)}, auto ${pct(kw.autoShare)} (wrong ${pct(kw.autoWrongShare)})`,
);
const kw2 = score(held2, (t) => keywordOnly.classify(t), categoryOf, threshold);
console.log(
  `keyword rules alone, held-out-2: top-1 ${pct(kw2.typeTop1)}, category ${pct(kw2.category)}, auto ${pct(kw2.autoShare)} (wrong ${pct(kw2.autoWrongShare)})`,
);

let result: Record<string, number> = {};
for (const algorithm of ['naive-bayes', 'logistic'] as Algorithm[]) {
  const { classifier, metrics, trainMs, bytes } = build(corpus, algorithm);
  const folds = score(held, (t) => classifier.classify(t), categoryOf, threshold);
  let t = performance.now();
  const rounds = 5;
  for (let i = 0; i < rounds; i++) for (const e of held) classifier.classify(e.text);
  const ms = (performance.now() - t) / (rounds * held.length);
  console.log(`\n${algorithm}: trained in ${(trainMs / 1000).toFixed(1)} s (5 folds + final), model ${(bytes / 1024).toFixed(0)} kB`);
  console.log(
    `  5-fold on the corpus: top-1 ${pct(metrics.typeTop1)}, top-3 ${pct(metrics.typeTop3)}, category ${pct(metrics.category)}, not-dispatchable recognised ${pct(metrics.notDispatchableRecall)}`,
  );
  console.log(
    `  held-out: top-1 ${pct(folds.typeTop1)}, top-3 ${pct(folds.typeTop3)}, category ${pct(folds.category)}, not-dispatchable ${pct(folds.notDispatchableRecall)}, auto ${pct(folds.autoShare)} with ${pct(folds.autoWrongShare)} wrong, ${ms.toFixed(3)} ms/report`,
  );
  for (const channel of ['hotline', 'wechat', 'grid']) {
    const s = score(
      held.filter((e) => e.channel === channel),
      (x) => classifier.classify(x),
      categoryOf,
      threshold,
    );
    console.log(`    ${channel.padEnd(8)} top-1 ${pct(s.typeTop1)}, category ${pct(s.category)}, auto ${pct(s.autoShare)} (wrong ${pct(s.autoWrongShare)})`);
  }
  const second = score(held2, (t) => classifier.classify(t), categoryOf, threshold);
  console.log(
    `  held-out-2: top-1 ${pct(second.typeTop1)}, top-3 ${pct(second.typeTop3)}, category ${pct(second.category)}, not-dispatchable ${pct(second.notDispatchableRecall)}, auto ${pct(second.autoShare)} with ${pct(second.autoWrongShare)} wrong`,
  );
  for (const channel of ['hotline', 'wechat', 'grid']) {
    const s = score(
      held2.filter((e) => e.channel === channel),
      (x) => classifier.classify(x),
      categoryOf,
      threshold,
    );
    console.log(`    ${channel.padEnd(8)} top-1 ${pct(s.typeTop1)}, category ${pct(s.category)}, auto ${pct(s.autoShare)} (wrong ${pct(s.autoWrongShare)})`);
  }
  if (algorithm === ALGORITHM) {
    result = {
      type_top1: metrics.typeTop1,
      type_top3: metrics.typeTop3,
      category: metrics.category,
      auto_share: folds.autoShare,
      auto_wrong_share: folds.autoWrongShare,
      ms_per_report: Math.round(ms * 1000) / 1000,
      heldout_type_top1: folds.typeTop1,
      heldout_type_top3: folds.typeTop3,
      heldout_category: folds.category,
      heldout_not_dispatchable: folds.notDispatchableRecall,
      heldout_auto_share: folds.autoShare,
      heldout_auto_wrong_share: folds.autoWrongShare,
      heldout2_type_top1: second.typeTop1,
      heldout2_type_top3: second.typeTop3,
      heldout2_category: second.category,
      heldout2_not_dispatchable: second.notDispatchableRecall,
      heldout2_auto_share: second.autoShare,
      heldout2_auto_wrong_share: second.autoWrongShare,
    };
    t = 0;
    console.log(`\nlearning curve (${algorithm}): held-out top-1 as labelled decisions accumulate (catalogue words always known)`);
    let seed = 11;
    const order = corpus.map((_, i) => i).sort(() => (seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5);
    for (const n of [0, 100, 250, 500, 1000, corpus.length]) {
      const some = order.slice(0, n).map((i) => corpus[i]!);
      const c = n === 0 ? keywordOnly : build(some, algorithm).classifier;
      const s = score(held, (x) => c.classify(x), categoryOf, threshold);
      console.log(
        `  ${String(n).padStart(5)} decisions: top-1 ${pct(s.typeTop1)}, category ${pct(s.category)}, auto ${pct(s.autoShare)} (wrong ${pct(s.autoWrongShare)})`,
      );
    }
  }
}
console.log(JSON.stringify(result));
