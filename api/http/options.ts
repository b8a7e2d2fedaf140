import type { RequestHandler } from 'express';

/**
 * OPTIONS on the API, answered from the OpenAPI document. Express answers OPTIONS by itself per router, and
 * our routes are spread over several routers: the first router holding the path answered with its own
 * methods only (OPTIONS /api/cases said "GET, HEAD": the POST lives in another router). The document lists
 * every route with all its methods (test/api/access.test.ts keeps it complete).
 */
export function optionsFromDocument(paths: Record<string, Record<string, unknown>>): RequestHandler {
  // paths with their own `servers` (Open311, under /open311/v2) are not under /api
  const routes = Object.entries(paths)
    .filter(([, ops]) => !('servers' in ops))
    .map(([path, ops]) => ({
      pattern: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\\{[^}]+\\\}|\{[^}]+\}/g, '[^/]+')}$`),
      methods: Object.keys(ops)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => m.toUpperCase()),
    }));
  return (req, res, next) => {
    if (req.method !== 'OPTIONS') return next();
    const methods = new Set(routes.filter((r) => r.pattern.test(req.path)).flatMap((r) => r.methods));
    if (!methods.size) return next();
    if (methods.has('GET')) methods.add('HEAD');
    methods.add('OPTIONS');
    res.setHeader('Allow', [...methods].join(', '));
    res.status(204).end();
  };
}
