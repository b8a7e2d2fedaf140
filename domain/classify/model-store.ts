import { appSql, withTransaction } from '../../db/sql/current.js';
import { tableWritten } from '../../db/sql/table-writes.js';
import type { Selectable } from 'kysely';
import type { ClassifyModelsTable } from '../../db/sql/schema.js';
import { FeatureExtractor } from './features.js';
import type { ClassifierEntry } from './keyword-classifier.js';
import { isNotDispatchable, labelOfRejection } from './labels.js';
import type { PlaceGrid } from './place-extractor.js';
import { TextModel, type Algorithm, type ModelState } from './text-classifier.js';
import { trainOffThread } from './train-off-thread.js';

/**
 * Naive Bayes by default: on the shipped corpus and the held-out set it read as well as logistic
 * regression (README, "Smart intake"), trains ~7× faster (~2 s of a worker thread's CPU, not ~14 s)
 * and stores ~30× smaller. CLASSIFY_ALGORITHM=logistic picks the other.
 */
export const ALGORITHM: Algorithm = process.env['CLASSIFY_ALGORITHM'] === 'logistic' ? 'logistic' : 'naive-bayes';
/** A new version is trained after this many new operator decisions. */
export const RETRAIN_EVERY = Number(process.env['CLASSIFY_RETRAIN_EVERY'] ?? 25);
/** A retrained version becomes active unless it reads this much worse than the active one. */
const WORSE_TOLERANCE = 0.02;

export async function activeCatalogue(): Promise<ClassifierEntry[]> {
  const types = await appSql()
    .selectFrom('event_types')
    .select(['code', 'name', 'category', 'keywords'])
    .where('active', '=', true)
    .orderBy('code', 'asc')
    .execute();
  return types.map((t) => ({ code: t.code, name: t.name, category: t.category, keywords: t.keywords === null ? [] : (JSON.parse(t.keywords) as string[]) }));
}

export async function placeGrids(): Promise<PlaceGrid[]> {
  const [grids, units] = await Promise.all([
    appSql().selectFrom('grids').selectAll().where('active', '=', true).execute(),
    appSql().selectFrom('units').select(['id', 'name', 'shortName']).execute(),
  ]);
  const nameOf = new Map(units.map((u) => [u.id, u.shortName || u.name]));
  return grids.map((g) => ({
    code: g.code,
    name: g.name,
    township: nameOf.get(g.townshipId) ?? '',
    community: nameOf.get(g.communityId) ?? '',
    lng: Number(g.centroidLng),
    lat: Number(g.centroidLat),
  }));
}

export const placeNamesOf = (grids: readonly PlaceGrid[]) => [...new Set(grids.flatMap((g) => [g.township, g.community, g.name]))];

export interface ModelSummary {
  version: number;
  algorithm: string;
  active: boolean;
  reason: string;
  createdAt: Date;
  examples: number;
  operatorExamples: number;
  typeTop1: number;
  typeTop3: number;
  category: number;
  notDispatchableRecall: number;
}
/** a model version's row without its (large) state */
const SUMMARY = [
  'id',
  'algorithm',
  'active',
  'reason',
  'createdAt',
  'examples',
  'operatorExamples',
  'typeTop1',
  'typeTop3',
  'categoryAccuracy',
  'notDispatchableRecall',
] as const;
type ClassifyModel = Omit<Selectable<ClassifyModelsTable>, 'state' | 'lastExampleId'>;
const summaryOf = (m: ClassifyModel): ModelSummary => ({
  version: m.id,
  algorithm: m.algorithm,
  active: m.active,
  reason: m.reason,
  createdAt: m.createdAt,
  examples: m.examples,
  operatorExamples: m.operatorExamples,
  typeTop1: m.typeTop1,
  typeTop3: m.typeTop3,
  category: m.categoryAccuracy,
  notDispatchableRecall: m.notDispatchableRecall,
});

export async function listModels(): Promise<ModelSummary[]> {
  return (
    await appSql()
      .selectFrom('classify_models')
      .select([...SUMMARY])
      .orderBy('id', 'desc')
      .limit(50)
      .execute()
  ).map(summaryOf);
}

let training: Promise<ModelSummary | null> | null = null;

/**
 * Trains a new version from every example (corpus, admin and operators' decisions) and the catalogue,
 * measures it by 5-fold cross-validation, records it, and makes it active unless it reads worse than
 * the active one. One training at a time in this process; a second caller waits for the first.
 */
export function retrain(reason: string): Promise<ModelSummary | null> {
  training ??= (async () => {
    try {
      const examples = await appSql().selectFrom('classify_examples').select(['id', 'text', 'label', 'source']).orderBy('id', 'asc').execute();
      if (!examples.length) return null;
      const catalogue = await activeCatalogue();
      const known = new Set(catalogue.map((c) => c.code));
      const usable = examples.filter((e) => known.has(e.label) || isNotDispatchable(e.label));
      // off the main thread: intake, the job workers and the engine's timers keep running meanwhile
      const { state, algorithm, metrics } = await trainOffThread({
        examples: usable.map((e) => ({ text: e.text, label: e.label })),
        catalogue,
        placeNames: placeNamesOf(await placeGrids()),
        algorithm: ALGORITHM,
      });
      const current = await appSql()
        .selectFrom('classify_models')
        .select([...SUMMARY])
        .where('active', '=', true)
        .executeTakeFirst();
      const better = !current || metrics.typeTop1 >= current.typeTop1 - WORSE_TOLERANCE;
      const row = await withTransaction(async (transaction) => {
        const q = appSql(transaction);
        if (better) await q.updateTable('classify_models').set({ active: false }).where('active', '=', true).execute();
        const values = {
          algorithm,
          state,
          examples: usable.length,
          operatorExamples: usable.filter((e) => e.source === 'operator').length,
          lastExampleId: examples[examples.length - 1]!.id,
          typeTop1: metrics.typeTop1,
          typeTop3: metrics.typeTop3,
          categoryAccuracy: metrics.category,
          notDispatchableRecall: metrics.notDispatchableRecall,
          active: better,
          reason: `${reason}${better ? '' : ' (not activated: reads worse than the active version)'}`.slice(0, 200),
          createdAt: new Date(),
        };
        const inserted = await q.insertInto('classify_models').values(values).executeTakeFirstOrThrow();
        tableWritten('classify_models', transaction);
        return { ...values, id: Number(inserted.insertId) };
      });
      return summaryOf(row);
    } finally {
      training = null;
    }
  })();
  return training;
}

export class RollbackError extends Error {}

/** Makes the version before the active one active again. */
export async function rollback(): Promise<ModelSummary> {
  const models = () => appSql().selectFrom('classify_models');
  const current = await models().select('id').where('active', '=', true).executeTakeFirst();
  if (!current) throw new RollbackError('no active model version');
  const previous = await models().select('id').where('id', '<', current.id).orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (!previous) throw new RollbackError('no earlier model version to roll back to');
  await withTransaction(async (transaction) => {
    await appSql(transaction).updateTable('classify_models').set({ active: false }).where('id', '=', current.id).execute();
    await appSql(transaction).updateTable('classify_models').set({ active: true }).where('id', '=', previous.id).execute();
    tableWritten('classify_models', transaction);
  });
  return summaryOf(
    await models()
      .select([...SUMMARY])
      .where('id', '=', previous.id)
      .executeTakeFirstOrThrow(),
  );
}

/** The active version's model, ready to score, or null when none has been trained. */
export async function activeModel(catalogue: readonly ClassifierEntry[], features: FeatureExtractor): Promise<{ model: TextModel; version: number } | null> {
  const row = await appSql().selectFrom('classify_models').select(['id', 'state']).where('active', '=', true).executeTakeFirst();
  if (!row) return null;
  return { model: new TextModel(JSON.parse(row.state) as ModelState, features, catalogue), version: row.id };
}

/**
 * An operator's 受理 decision becomes a training example: the event type filed, or for 不予立案 the
 * not-dispatchable kind its reason tells (a duplicate teaches nothing). One example per case; a new
 * version is trained after every RETRAIN_EVERY new decisions, in the background.
 */
export async function recordDecision(input: {
  caseId: string;
  text: string;
  eventTypeCode?: string | null;
  rejectReason?: string | null;
  filed: boolean;
}): Promise<void> {
  const label = input.filed ? (input.eventTypeCode ?? null) : labelOfRejection(input.rejectReason);
  if (!label || !input.text.trim()) return;
  const code = `OP-${input.caseId}`.slice(0, 32);
  const text = input.text.slice(0, 2000);
  const existing = await appSql().selectFrom('classify_examples').select(['id', 'label', 'text']).where('code', '=', code).executeTakeFirst();
  const now = new Date();
  // as the model's update: written (and updated_at stamped) only when something changed
  if (existing && (existing.label !== label || existing.text !== text))
    await appSql().updateTable('classify_examples').set({ label, text, updatedAt: now }).where('id', '=', existing.id).execute();
  else if (!existing)
    await appSql()
      .insertInto('classify_examples')
      .values({ code, text, label, channel: 'other', source: 'operator', caseId: input.caseId, createdAt: now, updatedAt: now })
      .execute();
  const fresh = await freshDecisions();
  if (fresh >= RETRAIN_EVERY && !training) void retrain(`${fresh} new operator decisions`).catch(() => undefined);
}

/**
 * A person's 受理 decision on a case (the type filed, or 不予立案 and why), learnt from the case's own text
 * and type as they stand now (see {@link recordDecision}).
 */
export async function recordCaseDecision(caseId: string, decision: { filed: boolean; rejectReason: string | null }): Promise<void> {
  const q = appSql();
  const c = await q.selectFrom('cases').select(['id', 'description', 'eventTypeId']).where('id', '=', caseId).executeTakeFirst();
  if (!c?.description) return;
  const type = decision.filed && c.eventTypeId ? await q.selectFrom('event_types').select('code').where('id', '=', c.eventTypeId).executeTakeFirst() : null;
  await recordDecision({ caseId, text: c.description, filed: decision.filed, eventTypeCode: type?.code ?? null, rejectReason: decision.rejectReason });
}

/** Operators' decisions recorded since the newest model version was trained. */
async function freshDecisions(): Promise<number> {
  const last = await appSql()
    .selectFrom('classify_models')
    .select((eb) => eb.fn.max('lastExampleId').as('last'))
    .executeTakeFirst();
  const counted = await appSql()
    .selectFrom('classify_examples')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('source', '=', 'operator')
    .where('id', '>', Number(last?.last ?? 0))
    .executeTakeFirstOrThrow();
  return Number(counted.n);
}

/**
 * The scheduled retrain (domain/schedule): a quiet district may take days to reach RETRAIN_EVERY
 * decisions, so on the schedule a new version is trained when there is at least one decision the
 * newest version has not seen; otherwise nothing is done (no version that would be the same).
 */
export async function retrainIfNewDecisions(): Promise<{ fresh: number; version: number | null; active: boolean | null }> {
  const fresh = await freshDecisions();
  if (!fresh) return { fresh, version: null, active: null };
  const made = await retrain(`scheduled: ${fresh} new operator decisions`);
  return { fresh, version: made?.version ?? null, active: made?.active ?? null };
}
