import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { ClassifierEntry } from '../../domain/classify/keyword-classifier.js';
import type { LabelledText } from '../../domain/classify/text-classifier.js';

/** The demo catalogue, place names and corpora read straight from the shipped CSV files (no database). */
const rows = (path: string) =>
  parse(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8'), { columns: true, skipEmptyLines: true }) as Array<Record<string, string>>;

export const demoCatalogue = (): ClassifierEntry[] =>
  rows('db/demo/event_types.csv').map((r) => ({
    code: r['code']!,
    name: r['name']!,
    category: r['category']!,
    keywords: (r['keywords'] ?? '').split('|').filter(Boolean),
  }));
export const demoPlaceNames = (): string[] =>
  rows('db/demo/units.csv')
    .filter((r) => r['kind'] === 'township' || r['kind'] === 'community')
    .flatMap((r) => [r['short_name'] || r['name']!, r['name']!]);
export const shippedCorpus = (): Array<LabelledText & { channel: string }> =>
  rows('db/demo/classify_examples.csv').map((r) => ({ text: r['text']!, label: r['label']!, channel: r['channel']! }));
export const heldOut = (file = 'bench/classify/heldout.csv'): Array<LabelledText & { channel: string }> =>
  rows(file).map((r) => ({ text: r['text']!, label: r['label']!, channel: r['channel']! }));
/** A second held-out set, written later and apart from both the corpus and heldout.csv; never tuned on. */
export const heldOut2 = () => heldOut('bench/classify/heldout-2.csv');
