import type { ClassifierEntry, Classification } from './keyword-classifier.js';
import { KeywordClassifier } from './keyword-classifier.js';
import type { PlaceExtractor, ExtractedPlace } from './place-extractor.js';
import type { Candidate, TextModel } from './text-classifier.js';
import { NOT_DISPATCHABLE, type NotDispatchableLabel } from './labels.js';

/**
 * What the intake, the 受理 form and POST /api/classify get: the keyword classifier's shape
 * (eventTypeCode, category, confidence, matched, alternatives) plus the trained model's answer.
 */
export interface SmartClassification extends Classification {
  /** the top three event types with their confidence and the words that decided */
  candidates: Candidate[];
  /** false for 咨询, praise, spam and reports too vague to act on: answered directly, not dispatched */
  dispatchable: boolean;
  notDispatchable: { label: NotDispatchableLabel; name: string; confidence: number } | null;
  place: ExtractedPlace | null;
  /** 'model' (trained classifier) or 'keywords' (no model yet: the catalogue keyword rules alone) */
  method: 'model' | 'keywords';
  modelVersion: number | null;
}

export class SmartClassifier {
  private readonly keywords: KeywordClassifier;

  constructor(
    catalogue: readonly ClassifierEntry[],
    private readonly model: TextModel | null,
    private readonly places: PlaceExtractor,
    readonly modelVersion: number | null,
  ) {
    this.keywords = new KeywordClassifier(catalogue);
  }

  classify(text: string): SmartClassification {
    const rules = this.keywords.classify(text);
    const place = this.places.extract(text);
    if (!this.model) {
      return {
        ...rules,
        candidates: [],
        dispatchable: true,
        notDispatchable: null,
        place,
        method: 'keywords',
        modelVersion: null,
      };
    }
    const verdict = this.model.judge(text);
    const top = verdict.candidates[0] ?? null;
    return {
      eventTypeCode: top?.code ?? null,
      category: top?.category ?? null,
      // not dispatchable: the confidence is in that verdict, and no type is sure enough to file
      confidence: verdict.dispatchable ? verdict.confidence : 0,
      matched: top?.words ?? [],
      alternatives: verdict.candidates.slice(1).map((c) => ({ code: c.code, score: c.confidence })),
      candidates: verdict.candidates,
      dispatchable: verdict.dispatchable,
      notDispatchable: verdict.notDispatchable,
      place,
      method: 'model',
      modelVersion: this.modelVersion,
    };
  }
}

/** Whether a classification files itself at this threshold (no person in 受理). */
export function filesItself(c: SmartClassification, threshold: number): boolean {
  return c.dispatchable && c.eventTypeCode !== null && c.confidence >= threshold;
}

export { NOT_DISPATCHABLE };
