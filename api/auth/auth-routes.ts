import { Router } from 'express';
import { LoginBackoff } from '../../domain/auth/login-backoff.js';
import { login, logout } from '../../domain/auth/sessions.js';
import { DomainError } from '../../domain/shared/errors.js';
import { HttpError } from '../http/errors.js';
import { rateLimit } from '../http/security.js';
import { text, validate } from '../http/validate.js';
import { actorOf, bearerToken, requireAuth } from './middleware.js';

export const loginBody = {
  type: 'object',
  additionalProperties: false,
  required: ['username', 'password'],
  properties: { username: text(64), password: { type: 'string', minLength: 1, maxLength: 256 } },
};

export const actorSchema = {
  type: 'object',
  properties: {
    userId: { type: 'integer' },
    username: { type: 'string' },
    displayName: { type: 'string' },
    role: { type: 'string' },
    unitId: { type: ['integer', 'null'] },
  },
};

/** POST /auth/login → bearer token; GET /auth/me; POST /auth/logout. */
export function authRoutes(options: { loginLimit: number; backoff?: LoginBackoff; now?: () => number }): Router {
  const r = Router();
  const backoff = options.backoff ?? new LoginBackoff();
  const now = options.now ?? Date.now;
  r.post('/auth/login', rateLimit({ windowMs: 60_000, max: options.loginLimit }), validate({ body: loginBody }), async (req, res) => {
    const { username, password } = req.body as { username: string; password: string };
    // per account, whatever the address (the limiter above is per address)
    const wait = backoff.waitMs(username, now());
    if (wait > 0) {
      res.setHeader('Retry-After', String(Math.ceil(wait / 1000)));
      throw new HttpError(429, 'login_throttled');
    }
    const session = await login(username, password).catch((err: unknown) => {
      if (err instanceof DomainError && err.details?.['apiCode'] === 'bad_credentials') backoff.failed(username, now());
      throw err;
    });
    backoff.succeeded(username);
    res.json({ token: session.token, tokenType: 'Bearer', expiresAt: session.expiresAt.toISOString(), user: session.actor });
  });
  r.get('/auth/me', requireAuth, validate({}), (req, res) => {
    res.json({ user: actorOf(req) });
  });
  r.post('/auth/logout', requireAuth, validate({}), async (req, res) => {
    await logout(bearerToken(req)!);
    res.status(204).end();
  });
  return r;
}
