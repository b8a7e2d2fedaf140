import { KeywordClassifier, normaliseText, type ClassifierEntry } from './keyword-classifier.js';
import { Segmenter } from './segmenter.js';

/**
 * Turns a report into the set of features the models read:
 * - `w:` jieba words (user dictionary: catalogue names, keywords, place names),
 * - `b:`/`t:` character bigrams and trigrams (they survive typos and words jieba has never seen:
 *   「拉圾」 still shares 「圾」-grams with 「垃圾」, 「井该」 shares 「井」),
 * - `k:` the catalogue keyword rules: which event types' keywords the text contains.
 * Punctuation and digits carry no meaning for the type and are dropped before the n-grams.
 */
export class FeatureExtractor {
  private readonly segmenter: Segmenter;
  private readonly keywords: KeywordClassifier;
  private readonly places: RegExp | null;

  constructor(catalogue: readonly ClassifierEntry[], placeNames: readonly string[]) {
    this.segmenter = new Segmenter([...catalogue.flatMap((e) => [e.name, ...e.keywords]), ...placeNames]);
    this.keywords = new KeywordClassifier(catalogue);
    const names = [...new Set(placeNames.map(normaliseText).filter((n) => n.length >= 2))].sort((a, b) => b.length - a.length);
    this.places = names.length ? new RegExp(names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g') : null;
  }

  /** The distinct features of a text; `words` are the segmented words (for explaining a result). */
  extract(rawText: string): string[] {
    // where it happened says nothing about what happened: place names are read by the place
    // extractor, and left out here so a type does not learn the places its examples came from
    const text = this.places ? normaliseText(rawText ?? '').replace(this.places, '') : normaliseText(rawText ?? '');
    const features = new Set<string>();
    const chars = [...text.replace(/[\p{P}\p{S}\d\s]/gu, '')];
    for (const w of this.segmenter.cut(text)) if (!/^[\p{P}\p{S}\s]*$/u.test(w)) features.add(`w:${w}`);
    for (let i = 0; i + 1 < chars.length; i++) features.add(`b:${chars[i]}${chars[i + 1]}`);
    for (let i = 0; i + 2 < chars.length; i++) features.add(`t:${chars[i]}${chars[i + 1]}${chars[i + 2]}`);
    const hit = this.keywords.classify(text);
    if (hit.eventTypeCode) {
      features.add(`k:${hit.eventTypeCode}`);
      for (const a of hit.alternatives) features.add(`k:${a.code}`);
    }
    for (const [name, re] of CUES) if (re.test(text)) features.add(`c:${name}`);
    if (!chars.length) features.add('empty');
    return [...features];
  }
}

/**
 * How a call that is not a case talks, whatever it is about: a question (咨询), thanks for work done
 * (表扬), an advertisement or an abusive call (骚扰). One feature each, so the few not-dispatchable
 * examples share them across their many subjects; the corpus teaches how much each one weighs.
 */
const CUES: ReadonlyArray<[string, RegExp]> = [
  ['ask', /请问|问一下|问问|咨询|想了解|怎么办理|如何办理|怎么交|怎么申请|需要什么材料|要什么材料|什么时候|在哪里办|去哪办|能不能办|可以办吗/],
  ['praise', /表扬|点赞|感谢|辛苦了|效率[真很挺好]*高|给力|满意|服务[真很挺]*好|及时/],
  ['ad', /推销|贷款|套现|注册就送|娱乐|博彩|代办|办理各类|办证|刷单|兼职|中奖|加微信|加V|[0-9x×*]{7,}|\d{3,4}[x×*]{3,}/i],
  ['abuse', /辱骂|骂人|骚扰|恶意|无声|挂断|打错|测试/],
];

/** The human-readable part of a feature (`w:井盖` → 井盖), or null for keyword-rule and empty features. */
export function featureWord(feature: string): string | null {
  return /^[wbt]:/.test(feature) ? feature.slice(2) : null; // c: cues and k: rules are not words of the report
}
