import { EventType } from '../../db/models/index.js';
import { KeywordClassifier } from './keyword-classifier.js';

/** A classifier over the active event types as they are in the database now. */
export async function loadCatalogueClassifier(): Promise<KeywordClassifier> {
  const types = await EventType.findAll({ where: { active: true }, order: [['code', 'ASC']] });
  return new KeywordClassifier(types.map((t) => ({ code: t.code, name: t.name, category: t.category, keywords: t.keywords ?? [] })));
}

/** The active catalogue entry with this code, if any (to trust a type a channel already knew). */
export async function findActiveEventType(code: string): Promise<{ code: string; category: string } | null> {
  const type = await EventType.findOne({ where: { code, active: true } });
  return type ? { code: type.code, category: type.category } : null;
}
