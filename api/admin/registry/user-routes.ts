import { Router } from 'express';
import { ROLES } from '../../../db/vocabulary.js';
import { createUser, deleteUser, getUser, listUsers, resetPassword, updateUser, type UserQuery } from '../../../domain/admin/users.js';
import { text, validate } from '../../http/validate.js';
import { AUDIT_READERS, WRITERS, codeSchema, guard, keyParams, listQuery, nullable, pageOf, patchOf, registryActor } from './registry-http.js';

export const userCreateBody = {
  type: 'object',
  additionalProperties: false,
  required: ['username', 'displayName', 'role'],
  properties: {
    username: { type: 'string', pattern: '^[A-Za-z0-9_.-]{3,64}$' },
    displayName: text(64),
    role: { enum: [...ROLES] },
    unitCode: nullable(codeSchema),
    phone: nullable({ type: 'string', pattern: '^[0-9+\\- ]{7,20}$' }),
    gridCodes: { type: 'array', maxItems: 200, uniqueItems: true, items: codeSchema },
    password: { type: 'string', minLength: 8, maxLength: 128 },
    enabled: { type: 'boolean' },
  },
};
export const userPatchBody = patchOf(userCreateBody, ['username', 'password']);
export const userListQuery = listQuery({ role: { enum: [...ROLES] }, unitCode: codeSchema, enabled: { type: 'boolean' } });
export const userSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    username: { type: 'string' },
    displayName: { type: 'string' },
    role: { type: 'string' },
    unitId: { type: ['integer', 'null'] },
    unitCode: { type: ['string', 'null'] },
    phone: { type: ['string', 'null'] },
    gridCodes: { type: 'array', items: { type: 'string' } },
    enabled: { type: 'boolean' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
};
export const userPage = pageOf(userSchema);
export const createdUserSchema = {
  type: 'object',
  required: ['user'],
  properties: { user: userSchema, password: { type: 'string', description: 'only when generated: shown this once' } },
};
export const passwordSchema = { type: 'object', required: ['password'], properties: { password: { type: 'string', description: 'shown this once' } } };

/** /admin/users: accounts. Admins and auditors read (never a password hash); admins write. */
export function userRoutes(): Router {
  const r = Router();
  r.get('/admin/users', ...guard(AUDIT_READERS), validate({ query: userListQuery }), async (req, res) => {
    res.json(await listUsers(req.query as UserQuery));
  });
  r.post('/admin/users', ...guard(WRITERS), validate({ body: userCreateBody }), async (req, res) => {
    res.status(201).json(await createUser(registryActor(req), req.body));
  });
  r.get('/admin/users/:id', ...guard(AUDIT_READERS), validate({ params: keyParams }), async (req, res) => {
    res.json(await getUser(String(req.params['id'])));
  });
  r.patch('/admin/users/:id', ...guard(WRITERS), validate({ params: keyParams, body: userPatchBody }), async (req, res) => {
    res.json(await updateUser(registryActor(req), String(req.params['id']), req.body));
  });
  r.delete('/admin/users/:id', ...guard(WRITERS), validate({ params: keyParams }), async (req, res) => {
    await deleteUser(registryActor(req), String(req.params['id']));
    res.status(204).end();
  });
  r.post('/admin/users/:id/reset-password', ...guard(WRITERS), validate({ params: keyParams }), async (req, res) => {
    res.json(await resetPassword(registryActor(req), String(req.params['id'])));
  });
  return r;
}
