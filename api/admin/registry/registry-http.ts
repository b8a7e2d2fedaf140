import type { Request, RequestHandler } from 'express';
import { ROLES, type Role } from '../../../db/vocabulary.js';
import type { RegistryActor } from '../../../domain/admin/audited-change.js';
import { actorOf, requireAuth, requireRole } from '../../auth/middleware.js';
import type { Schema } from '../../http/validate.js';

/** Writes: administrators only. Reads: administrators and auditors, and for pickers every signed-in role. */
export const WRITERS: Role[] = ['admin'];
export const AUDIT_READERS: Role[] = ['admin', 'auditor'];
export const EVERYONE: Role[] = [...ROLES];

export const registryActor = (req: Request): RegistryActor => {
  const a = actorOf(req);
  return { userId: a.userId, username: a.username, role: a.role };
};

export const guard = (roles: Role[]): RequestHandler[] => [requireAuth, requireRole(...roles)];

/** A registry code, as the CSV importer accepts it. */
export const codeSchema = { type: 'string', pattern: '^[A-Za-z0-9_-]{2,32}$' };
/** A record named in the path: its numeric id or its code. */
export const keyParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$' } },
};

/** ?q and paging, plus the resource's own filters. */
export function listQuery(filters: Record<string, Schema> = {}): Schema {
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      q: { type: 'string', maxLength: 100 },
      page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 },
      pageSize: { type: 'integer', minimum: 1, maximum: 1000, default: 50 },
      ...filters,
    },
  };
}

export const pageOf = (item: Schema): Schema => ({
  type: 'object',
  required: ['items', 'total', 'page', 'pageSize'],
  properties: { items: { type: 'array', items: item }, total: { type: 'integer' }, page: { type: 'integer' }, pageSize: { type: 'integer' } },
});

/** A nullable variant of a property schema (clears an optional field on PATCH). */
export const nullable = (s: Schema): Schema => ({ anyOf: [s, { type: 'null' }] });

/** The PATCH body: the create body's fields minus the key, none required, at least one. */
export function patchOf(create: { properties: Record<string, Schema> }, omit: string[]): Schema {
  const properties = Object.fromEntries(Object.entries(create.properties).filter(([k]) => !omit.includes(k)));
  return { type: 'object', additionalProperties: false, minProperties: 1, properties };
}
