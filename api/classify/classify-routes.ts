import { Router } from 'express';
import { Op } from 'sequelize';
import type { AppConfig } from '../../config/schema.js';
import { ClassifyExample } from '../../db/models/index.js';
import { filesItself, listModels, loadCatalogueClassifier, retrain, rollback, RollbackError } from '../../domain/classify/index.js';
import { guard } from '../admin/registry/registry-http.js';
import { HttpError } from '../http/errors.js';
import { validate } from '../http/validate.js';

/** The command centre's roles: they file reports (受理) and may ask the classifier directly. */
const CENTRE = ['admin', 'operator', 'leader'] as const;

const classifyBody = {
  type: 'object', additionalProperties: false, required: ['text'],
  properties: { text: { type: 'string', minLength: 1, maxLength: 2000 } },
};

const csvCell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

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
      eventTypeCode: c.eventTypeCode, category: c.category, confidence: c.confidence,
      candidates: c.candidates, dispatchable: c.dispatchable, notDispatchable: c.notDispatchable,
      auto: filesItself(c, threshold), threshold, place: c.place, matched: c.matched, method: c.method, modelVersion: c.modelVersion,
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
  r.get('/admin/classify/examples.csv', ...guard(['admin', 'auditor']), async (_req, res) => {
    res.type('text/csv; charset=utf-8').setHeader('Content-Disposition', 'attachment; filename="classify_examples.csv"');
    res.write('\uFEFFcode,text,label,channel,source\n');
    let after = 0;
    for (;;) { // a page at a time: operators' decisions keep growing the table
      const page = await ClassifyExample.findAll({ where: { id: { [Op.gt]: after } }, order: [['id', 'ASC']], limit: 1000, raw: true });
      if (!page.length) break;
      res.write(page.map((e) => [e.code, e.text, e.label, e.channel, e.source].map(csvCell).join(',')).join('\n') + '\n');
      after = page[page.length - 1]!.id;
    }
    res.end();
  });
  return r;
}
