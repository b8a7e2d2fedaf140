import type { Request, RequestHandler } from 'express';
import { type Role } from '../../db/vocabulary.js';
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

/** Where each role files what it sees: its own page, under its own name. */
export const FILING_PAGE: Partial<Record<Role, string>> = { grid_worker: '/field/', leader: '/assign/', operator: '/hotline/' };

/**
 * 随手拍 is the anonymous citizen's channel. A report sent with a staff session (the page sends the token
 * whenever someone is signed in) would file a case nobody owns while the sender believes it is theirs, so it is
 * refused (403 `staff_report_elsewhere`, naming the role's own page when it has one). An expired or unknown
 * token is no session: the report goes on as anonymous.
 */
export const refuseStaffSession: RequestHandler = async (req, _res, next) => {
  const token = bearerToken(req);
  const actor = token ? await authenticate(token) : null;
  if (!actor) return next();
  const page = FILING_PAGE[actor.role] ?? null;
  next(new HttpError(403, 'staff_report_elsewhere', undefined, { page }));
};
