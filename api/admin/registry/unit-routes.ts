import { Router } from 'express';
import { UNIT_KINDS } from '../../../db/vocabulary.js';
import { createUnit, deleteUnit, getUnit, listUnits, updateUnit, type UnitQuery } from '../../../domain/admin/units.js';
import { text, validate } from '../../http/validate.js';
import { EVERYONE, WRITERS, codeSchema, guard, keyParams, listQuery, nullable, pageOf, patchOf, registryActor } from './registry-http.js';

const phone = { type: 'string', pattern: '^[0-9+\\- ]{7,20}$' };

export const unitCreateBody = {
  type: 'object',
  additionalProperties: false,
  required: ['code', 'name', 'kind'],
  properties: {
    code: codeSchema,
    name: text(100),
    shortName: nullable(text(50)),
    kind: { enum: [...UNIT_KINDS] },
    parentCode: nullable(codeSchema),
    contactPerson: nullable(text(50)),
    contactPhone: nullable(phone),
    enabled: { type: 'boolean' },
  },
};
export const unitPatchBody = patchOf(unitCreateBody, ['code']);
export const unitListQuery = listQuery({ kind: { enum: [...UNIT_KINDS] }, parentCode: codeSchema, enabled: { type: 'boolean' } });
export const unitSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    code: { type: 'string' },
    name: { type: 'string' },
    shortName: { type: ['string', 'null'] },
    kind: { type: 'string' },
    parentId: { type: ['integer', 'null'] },
    parentCode: { type: ['string', 'null'] },
    contactPerson: { type: ['string', 'null'] },
    contactPhone: { type: ['string', 'null'] },
    enabled: { type: 'boolean' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
};
export const unitPage = pageOf(unitSchema);

/** /admin/units: member units (成员单位). Everyone signed in reads (unit pickers); admins write. */
export function unitRoutes(): Router {
  const r = Router();
  r.get('/admin/units', ...guard(EVERYONE), validate({ query: unitListQuery }), async (req, res) => {
    res.json(await listUnits(req.query as UnitQuery));
  });
  r.post('/admin/units', ...guard(WRITERS), validate({ body: unitCreateBody }), async (req, res) => {
    res.status(201).json(await createUnit(registryActor(req), req.body));
  });
  r.get('/admin/units/:id', ...guard(EVERYONE), validate({ params: keyParams }), async (req, res) => {
    res.json(await getUnit(String(req.params['id'])));
  });
  r.patch('/admin/units/:id', ...guard(WRITERS), validate({ params: keyParams, body: unitPatchBody }), async (req, res) => {
    res.json(await updateUnit(registryActor(req), String(req.params['id']), req.body));
  });
  r.delete('/admin/units/:id', ...guard(WRITERS), validate({ params: keyParams }), async (req, res) => {
    await deleteUnit(registryActor(req), String(req.params['id']));
    res.status(204).end();
  });
  return r;
}
