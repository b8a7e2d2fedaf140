import type { Request, RequestHandler } from 'express';
import type { Role } from '../../db/models/users.js';
import { authenticate, type Actor } from '../../domain/auth/sessions.js';
import { HttpError } from '../http/errors.js';

export function bearerToken(req: Request): string | null {
  const m = /^Bearer ([A-Za-z0-9_-]{10,200})$/.exec(req.get('authorization') ?? '');
  return m ? m[1]! : null;
}

/** The authenticated caller (set by {@link requireAuth}). */
export function actorOf(req: Request): Actor {
  const actor = (req as Request & { actor?: Actor }).actor;
  if (!actor) throw new HttpError(401, 'unauthenticated');
  return actor;
}

/** 401 without a valid bearer token. */
export const requireAuth: RequestHandler = async (req, _res, next) => {
  const token = bearerToken(req);
  const actor = token ? await authenticate(token) : null;
  if (!actor) return next(new HttpError(401, 'unauthenticated'));
  (req as Request & { actor?: Actor }).actor = actor;
  next();
};

/** 403 unless the caller has one of the roles. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    if (!roles.includes(actorOf(req).role)) return next(new HttpError(403, 'forbidden'));
    next();
  };
}
