/**
 * Keyword classification of a report's text against the catalogue (plain substring matching —
 * no word segmenter: the catalogue's keywords are short Chinese phrases, and a substring search
 * over 59 types × a few keywords is exact, fast and needs no native binary).
 *
 * Longer keywords win: every occurrence of every keyword (and of the type's own name) is found,
 * then occurrences are taken longest first and one lying wholly inside an already taken longer one
 * is dropped — so 「污水井盖」 counts for 污水井盖 and not also for a shorter 「井盖」 of another type.
 * A type's score is the total length of its kept matches (each keyword counted once).
 */

export interface ClassifierEntry {
  code: string;
  name: string;
  category: string;
  keywords: readonly string[];
}

export interface Classification {
  eventTypeCode: string | null;
  category: string | null;
  /** 0–1: how sure; below the threshold a person decides in 受理 */
  confidence: number;
  matched: string[];
  /** the next best codes, for the operator's pick list */
  alternatives: Array<{ code: string; score: number }>;
}

interface Occurrence {
  code: string;
  keyword: string;
  start: number;
  end: number;
}

function occurrences(text: string, entry: ClassifierEntry): Occurrence[] {
  const found: Occurrence[] = [];
  for (const keyword of new Set([entry.name, ...entry.keywords].map((k) => k.trim()).filter((k) => k.length > 0))) {
    for (let at = text.indexOf(keyword); at !== -1; at = text.indexOf(keyword, at + 1)) {
      found.push({ code: entry.code, keyword, start: at, end: at + keyword.length });
    }
  }
  return found;
}

/** Normalises what people type: full-width forms to half-width, spaces out, lower case. */
export function normaliseText(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

export class KeywordClassifier {
  private readonly entries: ClassifierEntry[];

  constructor(entries: readonly ClassifierEntry[]) {
    this.entries = entries.map((e) => ({ ...e, name: normaliseText(e.name), keywords: e.keywords.map(normaliseText) }));
  }

  classify(rawText: string): Classification {
    const text = normaliseText(rawText ?? '');
    const all = this.entries.flatMap((e) => occurrences(text, e));
    all.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
    const kept: Occurrence[] = [];
    for (const o of all) {
      if (kept.some((k) => k.start <= o.start && o.end <= k.end && k.end - k.start > o.end - o.start)) continue;
      kept.push(o);
    }
    const scores = new Map<string, { score: number; keywords: Set<string>; longest: number }>();
    for (const o of kept) {
      const s = scores.get(o.code) ?? { score: 0, keywords: new Set<string>(), longest: 0 };
      if (!s.keywords.has(o.keyword)) {
        s.keywords.add(o.keyword);
        s.score += o.keyword.length;
        s.longest = Math.max(s.longest, o.keyword.length);
      }
      scores.set(o.code, s);
    }
    const ranked = [...scores.entries()].sort((a, b) => b[1].score - a[1].score || b[1].longest - a[1].longest || a[0].localeCompare(b[0]));
    const best = ranked[0];
    if (!best) return { eventTypeCode: null, category: null, confidence: 0, matched: [], alternatives: [] };
    const second = ranked[1]?.[1].score ?? 0;
    const entry = this.entries.find((e) => e.code === best[0])!;
    return {
      eventTypeCode: entry.code,
      category: entry.category,
      confidence: confidenceOf(best[1].score, best[1].longest, second),
      matched: [...best[1].keywords],
      alternatives: ranked.slice(1, 4).map(([code, s]) => ({ code, score: s.score })),
    };
  }
}

/**
 * Confidence = strength × margin. Strength grows with the longest match (a 4-character phrase is
 * specific, a 2-character word like 垃圾 is not): min(1, longest / 4). Margin is the best score's
 * share against the runner-up: best / (best + second), so a tie gives 0.5 and no rival gives 1.
 */
export function confidenceOf(best: number, longest: number, second: number): number {
  const strength = Math.min(1, longest / 4);
  const margin = best / (best + second);
  return Math.round(strength * margin * 1000) / 1000;
}
