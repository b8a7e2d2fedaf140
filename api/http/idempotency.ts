import { createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { beginIdempotent } from '../../domain/intake/idempotency.js';
import { HttpError } from './errors.js';

export interface Reply {
  status: number;
  body: unknown;
}

/**
 * Runs a POST handler under `Idempotency-Key` (optional header, 1–128 visible ASCII characters):
 * a retry with the same key and body gets the stored first answer (`Idempotent-Replayed: true`),
 * another body under the same key 409. `scope` keeps different routes and callers apart.
 */
export interface IdempotencyContext {
  /** a hash of the key and its scope, for handlers that mark their own work with it (intake); null without a key */
  keyHash: string | null;
}

/**
 * `resumable`: the handler finds its own half-done work by `keyHash`, so a retry of a request that a crash
 * cut off may run it again (see beginIdempotent).
 */
export function idempotent(
  scope: (req: Request) => string,
  handler: (req: Request, context: IdempotencyContext) => Promise<Reply>,
  options: { resumable?: boolean } = {},
): RequestHandler {
  return async (req, res) => {
    const key = req.get('idempotency-key');
    if (key === undefined) {
      const reply = await handler(req, { keyHash: null });
      res.status(reply.status).json(reply.body);
      return;
    }
    if (!/^[\x21-\x7e]{1,128}$/.test(key))
      throw new HttpError(400, 'invalid_input', 'bad Idempotency-Key', { errors: [{ path: 'Idempotency-Key', message: '1-128 visible ASCII characters' }] });
    const scoped = `${scope(req)}:${key}`;
    const begun = await beginIdempotent(scoped, req.body, options);
    if (begun.replay) {
      res.setHeader('Idempotent-Replayed', 'true');
      res.status(begun.status).json(begun.body);
      return;
    }
    let reply: Reply;
    try {
      reply = await handler(req, { keyHash: createHash('sha256').update(scoped).digest('hex') });
    } catch (err) {
      await begun.abandon();
      throw err;
    }
    if (reply.status < 400) await begun.finish(reply.status, reply.body);
    else await begun.abandon();
    res.status(reply.status).json(reply.body);
  };
}

/**
 * The scope of an anonymous route: the route and the caller's address. Without a user to tell callers apart,
 * a key under the route alone was shared: a second caller sending the same key and body got the first one's
 * answer (its tracking token). A retry comes from the same address; behind one NAT, callers share it and
 * still need distinct keys (as the header's spec asks of every client: a unique key per request).
 */
export const anonymousScope =
  (route: (req: Request) => string) =>
  (req: Request): string =>
    `${route(req)} from ${req.ip ?? 'unknown'}`;
