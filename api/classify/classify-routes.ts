import express, { Router } from 'express';
import type { AppConfig } from '../../config/schema.js';
import { EXAMPLE_CHANNELS } from '../../db/vocabulary.js';
import {
  classifyExamplesCsv,
  csvCell,
  examplesAfter,
  examplesPage,
  filesItself,
  findExample,
  ImportError,
  importExamplesCsv,
  listModels,
  loadCatalogueClassifier,
  removeExample,
  retrain,
  rollback,
  RollbackError,
  type ClassifyExampleRow,
} from '../../domain/classify/index.js';
import { guard } from '../admin/registry/registry-http.js';
import { HttpError } from '../http/errors.js';
import { validate } from '../http/validate.js';

/** The command centre's roles: they file reports (受理) and may ask the classifier directly. */
const CENTRE = ['admin', 'operator', 'leader'] as const;

const classifyBody = {
  type: 'object',
  additionalProperties: false,
  required: ['text'],
  properties: { text: { type: 'string', minLength: 1, maxLength: 2000 } },
};

const CODE = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$';
const exampleFields = {
  text: { type: 'string', minLength: 1, maxLength: 2000 },
  label: { type: 'string', minLength: 1, maxLength: 32 },
  channel: { type: 'string', enum: [...EXAMPLE_CHANNELS] },
};
const newExampleBody = {
  type: 'object',
  additionalProperties: false,
  required: ['text', 'label'],
  properties: { code: { type: 'string', pattern: CODE }, ...exampleFields },
};
const exampleChangeBody = { type: 'object', additionalProperties: false, minProperties: 1, properties: exampleFields };
const exampleParams = { type: 'object', required: ['code'], properties: { code: { type: 'string', pattern: CODE } } };
const exampleQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    q: { type: 'string', maxLength: 100 },
    label: { type: 'string', maxLength: 32 },
    after: { type: 'string', pattern: '^[0-9]{1,12}$' },
    limit: { type: 'string', pattern: '^[0-9]{1,3}$' },
  },
};
/** An upload of classify_examples.csv: the demo corpus is ~300 kB, ten times that is room for a district's own. */
const CSV_LIMIT = '5mb';

const exampleJson = (e: ClassifyExampleRow) => ({
  id: e.id,
  code: e.code,
  text: e.text,
  label: e.label,
  channel: e.channel,
  source: e.source,
  caseId: e.caseId,
  updatedAt: e.updatedAt,
});

/** Runs an import; a refused one becomes 400 import_refused with every problem, nothing changed. */
async function imported<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ImportError) throw new HttpError(400, 'import_refused', err.message, { problems: err.problems });
    throw err;
  }
}

/**
 * POST /api/classify answers the candidates the 受理 form shows; /api/admin/classify/* lists model
 * versions, trains a new one, rolls back to the previous one and exports the examples as CSV
 * (the import format of db/csv-formats.md, so an export can be edited and imported again).
 */
export function classifyRoutes(config: Pick<AppConfig, 'CLASSIFY_MIN_CONFIDENCE'>): Router {
  const r = Router();
  const threshold = config.CLASSIFY_MIN_CONFIDENCE ?? 0.6;
  r.post('/classify', ...guard([...CENTRE]), validate({ body: classifyBody }), async (req, res) => {
    const c = (await loadCatalogueClassifier()).classify(String(req.body.text));
    res.json({
      eventTypeCode: c.eventTypeCode,
      category: c.category,
      confidence: c.confidence,
      candidates: c.candidates,
      dispatchable: c.dispatchable,
      notDispatchable: c.notDispatchable,
      auto: filesItself(c, threshold),
      threshold,
      place: c.place,
      matched: c.matched,
      method: c.method,
      modelVersion: c.modelVersion,
    });
  });
  r.get('/admin/classify/models', ...guard(['admin', 'auditor']), async (_req, res) => {
    res.json({ items: await listModels() });
  });
  r.post('/admin/classify/models', ...guard(['admin']), async (req, res) => {
    const made = await retrain(`trained by ${(req as unknown as { actor?: { username?: string } }).actor?.username ?? 'an administrator'}`);
    if (!made) throw new HttpError(409, 'no_examples', 'there are no training examples');
    res.status(201).json(made);
  });
  r.post('/admin/classify/rollback', ...guard(['admin']), async (_req, res) => {
    try {
      res.json(await rollback());
    } catch (err) {
      if (err instanceof RollbackError) throw new HttpError(409, 'no_earlier_version', err.message);
      throw err;
    }
  });
  r.get('/admin/classify/examples', ...guard(['admin', 'auditor']), validate({ query: exampleQuery }), async (req, res) => {
    const q = req.query as { q?: string; label?: string; after?: string; limit?: string };
    const limit = Math.min(Math.max(Number(q.limit ?? 50), 1), 200);
    const { rows, total } = await examplesPage(
      { ...(q.after ? { beforeId: Number(q.after) } : {}), ...(q.label ? { label: q.label } : {}), ...(q.q ? { q: q.q } : {}) },
      limit + 1,
    );
    const page = rows.slice(0, limit);
    res.json({ items: page.map(exampleJson), next: rows.length > limit ? String(page[page.length - 1]!.id) : null, total });
  });
  // adding and editing one example go through the same validated importer as a CSV upload
  r.post('/admin/classify/examples', ...guard(['admin']), validate({ body: newExampleBody }), async (req, res) => {
    const body = req.body as { code?: string; text: string; label: string; channel?: string };
    const code = body.code ?? `AD-${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`.toUpperCase();
    if (await findExample(code)) throw new HttpError(409, 'example_exists');
    await imported(() =>
      importExamplesCsv(classifyExamplesCsv([{ code, text: body.text, label: body.label, channel: body.channel ?? 'other', source: 'admin' }])),
    );
    res.status(201).json(exampleJson((await findExample(code))!));
  });
  r.patch('/admin/classify/examples/:code', ...guard(['admin']), validate({ params: exampleParams, body: exampleChangeBody }), async (req, res) => {
    const existing = await findExample(String(req.params['code']));
    if (!existing) throw new HttpError(404, 'example_not_found');
    const body = req.body as { text?: string; label?: string; channel?: string };
    await imported(() =>
      importExamplesCsv(
        classifyExamplesCsv([
          {
            code: existing.code,
            text: body.text ?? existing.text,
            label: body.label ?? existing.label,
            channel: body.channel ?? existing.channel,
            source: existing.source,
          },
        ]),
      ),
    );
    res.json(exampleJson((await findExample(existing.code))!));
  });
  r.delete('/admin/classify/examples/:code', ...guard(['admin']), validate({ params: exampleParams }), async (req, res) => {
    if (!(await removeExample(String(req.params['code'])))) throw new HttpError(404, 'example_not_found');
    res.status(204).end();
  });
  r.post('/admin/classify/examples.csv', ...guard(['admin']), express.text({ type: ['text/csv', 'text/plain'], limit: CSV_LIMIT }), async (req, res) => {
    if (typeof req.body !== 'string') throw new HttpError(415, 'unsupported_media_type', 'text/csv expected');
    const summary = await imported(() => importExamplesCsv(req.body as string));
    res.json(summary);
  });
  r.get('/admin/classify/examples.csv', ...guard(['admin', 'auditor']), async (_req, res) => {
    res.type('text/csv; charset=utf-8').setHeader('Content-Disposition', 'attachment; filename="classify_examples.csv"');
    res.write('\uFEFFcode,text,label,channel,source\n');
    let after = 0;
    for (;;) {
      // a page at a time: operators' decisions keep growing the table
      const page = await examplesAfter(after, 1000);
      if (!page.length) break;
      res.write(page.map((e) => [e.code, e.text, e.label, e.channel, e.source].map(csvCell).join(',')).join('\n') + '\n');
      after = page[page.length - 1]!.id;
    }
    res.end();
  });
  return r;
}
