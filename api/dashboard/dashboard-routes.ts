import { Router, type Request, type RequestHandler } from 'express';
import type { AppConfig } from '../../config/schema.js';
import { type Role } from '../../db/vocabulary.js';
import { authenticate, type Actor } from '../../domain/auth/sessions.js';
import { onCasesChanged } from '../../domain/dashboard/case-changes.js';
import { caseMap, type Bbox } from '../../domain/dashboard/case-map.js';
import { dashboardUnitScope } from '../../domain/dashboard/case-scope.js';
import { hotspots } from '../../domain/dashboard/hotspots.js';
import { localDay } from '../../domain/shared/local-time.js';
import { unitRankings } from '../../domain/dashboard/rankings.js';
import type { CaseMapAnswer, DashboardSummary, DashboardSummaryAnswer } from '../../domain/dashboard/dashboard-types.js';
import { dashboardSummary } from '../../domain/dashboard/summary.js';
import { dashboardTrends } from '../../domain/dashboard/trends.js';
import { actorOf, bearerToken, requireAuth, requireRole } from '../auth/middleware.js';
import { HttpError } from '../http/errors.js';
import { validate } from '../http/validate.js';

/** Who sees the dashboard: the centre and the district leaders; department roles their own unit's figures. */
export const DASHBOARD_ROLES: Role[] = ['admin', 'operator', 'leader', 'auditor', 'dept_staff', 'dept_leader'];
/** SSE comment lines keep proxies from closing a quiet stream. */
export const HEARTBEAT_MS = 15_000;

export const trendsQuery = { type: 'object', additionalProperties: false, properties: { days: { type: 'integer', minimum: 1, maximum: 366, default: 30 } } };
export const rankingsQuery = { type: 'object', additionalProperties: false, properties: { month: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$' } } };
/** `west,south,east,north` in degrees, as GeoJSON orders a bbox */
const NUMBER = '-?\\d{1,3}(\\.\\d{1,12})?';
export const mapQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { bbox: { type: 'string', pattern: `^${NUMBER},${NUMBER},${NUMBER},${NUMBER}$` } },
};
export const streamQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { access_token: { type: 'string', pattern: '^[A-Za-z0-9_-]{10,200}$' } },
};

/** every open stream's way to end itself, so a server stopping is not kept waiting by screens */
const openStreams = new Set<() => void>();

/** Ends every open dashboard stream (call before closing the HTTP server: an SSE response never ends by itself). */
export function endDashboardStreams(): void {
  for (const end of [...openStreams]) end();
}

/** The stream only: EventSource cannot set headers, so the token may come as `?access_token=`. */
const streamAuth: RequestHandler = async (req, _res, next) => {
  const token = bearerToken(req) ?? (typeof req.query['access_token'] === 'string' ? req.query['access_token'] : null);
  const actor = token ? await authenticate(token) : null;
  if (!actor) return next(new HttpError(401, 'unauthenticated'));
  (req as Request & { actor?: Actor }).actor = actor;
  next();
};

export function dashboardRoutes(
  config: Pick<AppConfig, 'CALENDAR_UTC_OFFSET_MINUTES' | 'MAP_TILE_URL'>,
  options: { heartbeatMs?: number; /** open incidents in the workflow engine (the port's count) */ openIncidents?: () => Promise<number> } = {},
): Router {
  const offset = config.CALENDAR_UTC_OFFSET_MINUTES;
  /**
   * The engine's open incidents ride along with the summary for the centre's whole-district view (null for a
   * unit's view: incidents are not per unit). Counted at each send, not cached with the case figures: an
   * incident changes no case row, so it raises no "cases changed" signal of its own.
   */
  const withIncidents = async (unitId: number | null, summary: DashboardSummary): Promise<DashboardSummaryAnswer> => ({
    ...summary,
    openIncidents: unitId === null && options.openIncidents ? await options.openIncidents().catch(() => null) : null,
  });
  const r = Router();
  const scope = (req: Request) => dashboardUnitScope(actorOf(req));
  const guard = [requireAuth, requireRole(...DASHBOARD_ROLES)];
  r.get('/dashboard/summary', ...guard, validate({}), async (req, res) => {
    const unitId = scope(req);
    res.json(await withIncidents(unitId, await dashboardSummary(unitId, new Date(), offset)));
  });
  r.get('/dashboard/trends', ...guard, validate({ query: trendsQuery }), async (req, res) => {
    res.json(await dashboardTrends(scope(req), Number(req.query['days']), new Date(), offset));
  });
  r.get('/dashboard/rankings', ...guard, validate({ query: rankingsQuery }), async (req, res) => {
    const month = typeof req.query['month'] === 'string' ? req.query['month'] : localDay(new Date(), offset).slice(0, 7);
    res.json(await unitRankings(month, scope(req)));
  });
  r.get('/dashboard/hotspots', ...guard, validate({}), async (req, res) => {
    res.json(await hotspots(scope(req), new Date(), offset));
  });
  r.get('/dashboard/map', ...guard, validate({ query: mapQuery }), async (req, res) => {
    const bbox = typeof req.query['bbox'] === 'string' ? (req.query['bbox'].split(',').map(Number) as Bbox) : undefined;
    if (
      bbox &&
      !(bbox[0] <= bbox[2] && bbox[1] <= bbox[3] && Math.abs(bbox[1]) <= 90 && Math.abs(bbox[3]) <= 90 && Math.abs(bbox[0]) <= 180 && Math.abs(bbox[2]) <= 180)
    ) {
      throw new HttpError(400, 'invalid_input', 'bbox is west,south,east,north in degrees with west ≤ east and south ≤ north');
    }
    // the tile template rides along so the screen needs no config of its own (null: grid outlines only, offline)
    const answer: CaseMapAnswer = { ...(await caseMap(scope(req), new Date(), bbox)), tileUrl: config.MAP_TILE_URL ?? null };
    res.json(answer);
  });

  // one summary per scope and change, however many screens watch
  const computed = new Map<string, { generation: number; summary: Promise<DashboardSummary> }>();
  const summaryFor = (unitId: number | null, generation: number) => {
    const key = String(unitId);
    const hit = computed.get(key);
    if (hit && hit.generation === generation) return hit.summary;
    const summary = dashboardSummary(unitId, new Date(), offset);
    computed.set(key, { generation, summary });
    return summary;
  };
  r.get('/dashboard/stream', validate({ query: streamQuery }), streamAuth, requireRole(...DASHBOARD_ROLES), async (req, res) => {
    const unitId = scope(req);
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    let open = true;
    const send = (event: string, data: unknown) => {
      if (open) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    // listening for changes before the first summary is read, so none falls in between
    const unsubscribe = onCasesChanged((generation) => {
      summaryFor(unitId, generation)
        .then((s) => withIncidents(unitId, s))
        .then(
          (s) => send('changed', s),
          () => undefined,
        );
    });
    const heartbeat = setInterval(() => {
      if (open) res.write(': heartbeat\n\n');
    }, options.heartbeatMs ?? HEARTBEAT_MS);
    heartbeat.unref?.();
    const end = () => {
      if (!open) return;
      open = false;
      clearInterval(heartbeat);
      unsubscribe();
      openStreams.delete(end);
      res.end();
    };
    openStreams.add(end);
    req.on('close', end);
    // the current figures first, so a screen needs no separate request to start
    send('summary', await withIncidents(unitId, await dashboardSummary(unitId, new Date(), offset)));
  });
  return r;
}
