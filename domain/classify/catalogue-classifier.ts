import { sql } from 'kysely';
import { appSql } from '../../db/sql/current.js';
import { onTableWrites } from '../../db/sql/table-writes.js';
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
  // building it parses the model and sets up the features on the event loop's thread (hundreds of ms with a
  // trained model): when KEEP_MS passes with nothing changed, the one built before is kept
  // taken before the build: a change meanwhile (the first model trained below) just rebuilds it once more
  const stamp = await sourcesStamp();
  if (built && built.stamp === stamp && built.db === appSql()) return built.classifier;
  const catalogue = await activeCatalogue();
  const grids = await placeGrids();
  const features = new FeatureExtractor(catalogue, placeNamesOf(grids));
  let active = await activeModel(catalogue, features);
  if (!active && (await noModelYet()) && (await retrain('first model, from the examples'))) active = await activeModel(catalogue, features);
  const classifier = new SmartClassifier(catalogue, active?.model ?? null, new PlaceExtractor(grids), active?.version ?? null);
  built = { stamp, db: appSql(), classifier };
  return classifier;
});

let built: { stamp: string; db: unknown; classifier: SmartClassifier } | null = null;
// a write in this process builds it anew whatever the stamp says (the stamp is for other processes' changes)
onTableWrites(['event_types', 'classify_models', 'grids'], () => {
  built = null;
});

/** What the classifier is built from, in one short read: any change to the catalogue, the grids or the active model moves it. */
async function sourcesStamp(): Promise<string> {
  const { rows } = await sql<Record<string, unknown>>`SELECT
      (SELECT COUNT(*) FROM event_types) AS types, (SELECT MAX(updated_at) FROM event_types) AS types_at,
      (SELECT COUNT(*) FROM grids) AS grids, (SELECT MAX(updated_at) FROM grids) AS grids_at,
      (SELECT MAX(id) FROM classify_models) AS newest, (SELECT MAX(id) FROM classify_models WHERE active = ${true}) AS active`.execute(appSql());
  return JSON.stringify(rows[0] ?? null);
}

/** The active catalogue entry with this code, if any (to trust a type a channel already knew). */
export async function findActiveEventType(code: string): Promise<{ code: string; category: string } | null> {
  return (await appSql().selectFrom('event_types').select(['code', 'category']).where('code', '=', code).where('active', '=', true).executeTakeFirst()) ?? null;
}
