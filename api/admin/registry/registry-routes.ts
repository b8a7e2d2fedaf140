import { Router } from 'express';
import { calendarRoutes } from './calendar-routes.js';
import { catalogueRoutes } from './catalogue-routes.js';
import { gridRoutes } from './grid-routes.js';
import { unitRoutes } from './unit-routes.js';
import { userRoutes } from './user-routes.js';

/** Registry administration under /api/admin: units, grids, users, catalogue, routing rules, calendar days. */
export function registryRoutes(): Router {
  const r = Router();
  r.use(unitRoutes(), gridRoutes(), userRoutes(), catalogueRoutes(), calendarRoutes());
  return r;
}
