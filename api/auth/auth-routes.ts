import { Router } from 'express';
import { login, logout } from '../../domain/auth/sessions.js';
import { rateLimit } from '../http/security.js';
import { text, validate } from '../http/validate.js';
import { actorOf, bearerToken, requireAuth } from './middleware.js';

export const loginBody = {
  type: 'object', additionalProperties: false, required: ['username', 'password'],
  properties: { username: text(64), password: { type: 'string', minLength: 1, maxLength: 256 } },
};

export const actorSchema = {
  type: 'object',
  properties: { userId: { type: 'integer' }, username: { type: 'string' }, displayName: { type: 'string' }, role: { type: 'string' }, unitId: { type: ['integer', 'null'] } },
};

/** POST /auth/login → bearer token; GET /auth/me; POST /auth/logout. */
export function authRoutes(options: { loginLimit: number }): Router {
  const r = Router();
  r.post('/auth/login', rateLimit({ windowMs: 60_000, max: options.loginLimit }), validate({ body: loginBody }), async (req, res) => {
    const { username, password } = req.body as { username: string; password: string };
    const session = await login(username, password);
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
