import { EventType } from '../../db/models/index.js';
import { keptCopy } from '../shared/on-model-writes.js';
import { KeywordClassifier } from './keyword-classifier.js';

/** how long another process's change to the catalogue may take to show here */
const KEEP_MS = 30_000;

/**
 * A classifier over the active event types. Every new case is classified, and reading the whole
 * catalogue each time was the workers' largest read under an intake burst; the classifier is built
 * once and kept until the catalogue changes through the model in this process (the admin pages), or
 * KEEP_MS has passed.
 */
export const loadCatalogueClassifier = keptCopy('forget-catalogue-classifier', [EventType as never], KEEP_MS, async () => {
  const types = await EventType.findAll({ where: { active: true }, order: [['code', 'ASC']] });
  return new KeywordClassifier(types.map((t) => ({ code: t.code, name: t.name, category: t.category, keywords: t.keywords ?? [] })));
});

/** The active catalogue entry with this code, if any (to trust a type a channel already knew). */
export async function findActiveEventType(code: string): Promise<{ code: string; category: string } | null> {
  const type = await EventType.findOne({ where: { code, active: true } });
  return type ? { code: type.code, category: type.category } : null;
}
