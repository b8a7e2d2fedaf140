import type { RequestHandler } from 'express';
import { requestStarted } from '../../domain/shared/foreground-load.js';

/** Counts the requests being answered (see foreground-load); the live dashboard stream never ends and is not counted. */
export function countInFlight(): RequestHandler {
  return (req, res, next) => {
    if (req.path.endsWith('/dashboard/stream')) return next();
    const end = requestStarted();
    res.once('finish', end);
    res.once('close', end);
    next();
  };
}
