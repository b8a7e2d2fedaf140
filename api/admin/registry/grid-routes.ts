import { Router } from 'express';
import { createGrid, deleteGrid, getGrid, listGrids, updateGrid, type GridQuery } from '../../../domain/admin/grids.js';
import { text, validate } from '../../http/validate.js';
import { EVERYONE, WRITERS, codeSchema, guard, keyParams, listQuery, nullable, pageOf, patchOf, registryActor } from './registry-http.js';

/** Types and outer bounds only; the importer's column checks (db/import/columns.ts) decide the ranges. */
const point = { type: 'array', minItems: 2, maxItems: 2, items: { type: 'number', minimum: -180, maximum: 180 } };

export const gridCreateBody = {
  type: 'object',
  additionalProperties: false,
  required: ['code', 'name', 'townshipCode', 'communityCode', 'centroidLng', 'centroidLat'],
  properties: {
    code: codeSchema,
    name: text(100),
    townshipCode: codeSchema,
    communityCode: codeSchema,
    centroidLng: { type: 'number', minimum: -180, maximum: 180 },
    centroidLat: { type: 'number', minimum: -90, maximum: 90 },
    polygon: nullable({ type: 'array', minItems: 4, maxItems: 2000, items: point }),
    gridKind: { enum: ['综合', '专属'] },
    enabled: { type: 'boolean' },
  },
};
export const gridPatchBody = patchOf(gridCreateBody, ['code']);
export const gridListQuery = listQuery({ townshipCode: codeSchema, communityCode: codeSchema, enabled: { type: 'boolean' } });
export const gridSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    code: { type: 'string' },
    name: { type: 'string' },
    townshipId: { type: 'integer' },
    townshipCode: { type: 'string' },
    communityId: { type: 'integer' },
    communityCode: { type: 'string' },
    centroidLng: { type: 'number' },
    centroidLat: { type: 'number' },
    polygon: { type: ['array', 'null'], items: { type: 'array', items: { type: 'number' } } },
    gridKind: { type: 'string' },
    enabled: { type: 'boolean' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
};
export const gridPage = pageOf(gridSchema);

/** /admin/grids: grids (网格) with centroid and outline. Everyone signed in reads; admins write. */
export function gridRoutes(): Router {
  const r = Router();
  r.get('/admin/grids', ...guard(EVERYONE), validate({ query: gridListQuery }), async (req, res) => {
    res.json(await listGrids(req.query as GridQuery));
  });
  r.post('/admin/grids', ...guard(WRITERS), validate({ body: gridCreateBody }), async (req, res) => {
    res.status(201).json(await createGrid(registryActor(req), req.body));
  });
  r.get('/admin/grids/:id', ...guard(EVERYONE), validate({ params: keyParams }), async (req, res) => {
    res.json(await getGrid(String(req.params['id'])));
  });
  r.patch('/admin/grids/:id', ...guard(WRITERS), validate({ params: keyParams, body: gridPatchBody }), async (req, res) => {
    res.json(await updateGrid(registryActor(req), String(req.params['id']), req.body));
  });
  r.delete('/admin/grids/:id', ...guard(WRITERS), validate({ params: keyParams }), async (req, res) => {
    await deleteGrid(registryActor(req), String(req.params['id']));
    res.status(204).end();
  });
  return r;
}
