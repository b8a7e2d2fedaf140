import { appSql } from '../../db/sql/current.js';
import { keptTableCopy } from '../shared/kept-table-copy.js';
import { FeatureExtractor } from './features.js';
import { activeCatalogue, activeModel, placeGrids, placeNamesOf, retrain } from './model-store.js';
import { PlaceExtractor } from './place-extractor.js';
import { SmartClassifier } from './smart-classifier.js';

/** how long another process's change to the catalogue or the active model may take to show here */
const KEEP_MS = 30_000;

const noModelYet = async () => !(await appSql().selectFrom('classify_models').select('id').limit(1).executeTakeFirst());

/**
 * The classifier over the active event types: the active trained model (trained at once from the
 * examples when there is none yet), the keyword rules as fallback, and the place extractor. Every new
 * case is classified, so it is built once and kept until the catalogue, the grids or the model versions
 * change in this process (the admin pages, a retrain, a rollback), or KEEP_MS has passed.
 */
export const loadCatalogueClassifier = keptTableCopy(['event_types', 'classify_models', 'grids'], KEEP_MS, async () => {
  const catalogue = await activeCatalogue();
  const grids = await placeGrids();
  const features = new FeatureExtractor(catalogue, placeNamesOf(grids));
  let active = await activeModel(catalogue, features);
  if (!active && (await noModelYet()) && (await retrain('first model, from the examples'))) active = await activeModel(catalogue, features);
  return new SmartClassifier(catalogue, active?.model ?? null, new PlaceExtractor(grids), active?.version ?? null);
});

/** The active catalogue entry with this code, if any (to trust a type a channel already knew). */
export async function findActiveEventType(code: string): Promise<{ code: string; category: string } | null> {
  return (await appSql().selectFrom('event_types').select(['code', 'category']).where('code', '=', code).where('active', '=', true).executeTakeFirst()) ?? null;
}
