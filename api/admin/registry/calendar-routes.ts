import { Router } from 'express';
import {
  createCalendarDay,
  deleteCalendarDay,
  getCalendarDay,
  listCalendarDays,
  nationalCalendarDays,
  updateCalendarDay,
  type CalendarDayQuery,
} from '../../../domain/admin/calendar-days.js';
import { text, validate } from '../../http/validate.js';
import { EVERYONE, WRITERS, guard, listQuery, nullable, pageOf, patchOf, registryActor } from './registry-http.js';

const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };

export const calendarDayCreateBody = {
  type: 'object',
  additionalProperties: false,
  required: ['date', 'working'],
  properties: { date, working: { type: 'boolean' }, note: nullable(text(100)) },
};
export const calendarDayPatchBody = patchOf(calendarDayCreateBody, ['date']);
export const calendarDayListQuery = listQuery({ from: date, to: date, working: { type: 'boolean' } });
export const calendarDayParams = { type: 'object', additionalProperties: false, required: ['date'], properties: { date } };
export const calendarDaySchema = {
  type: 'object',
  properties: {
    date: { type: 'string' },
    working: { type: 'boolean' },
    note: { type: ['string', 'null'] },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
};
export const calendarDayPage = pageOf(calendarDaySchema);
export const nationalDaysQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['year'],
  properties: { year: { type: 'integer', minimum: 2000, maximum: 2100 } },
};
export const nationalDaysSchema = {
  type: 'object',
  properties: {
    year: { type: 'integer' },
    source: { type: 'string' },
    covered: { type: 'boolean', description: 'false: the national data does not reach this year (only Monday–Friday applies)' },
    days: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          date: { type: 'string' },
          working: { type: 'boolean', description: 'false: a statutory holiday; true: a 调休 working weekend day' },
          name: { type: 'string', description: 'the festival, e.g. 国庆节' },
          local: { type: ['object', 'null'], properties: { working: { type: 'boolean' }, note: { type: ['string', 'null'] } } },
        },
      },
    },
  },
};

/**
 * /admin/calendar-days: the district's own days off (working: false) and working days (working: true)
 * over the national calendar. A change reaches the running job workers' calendar for new deadlines.
 */
export function calendarRoutes(): Router {
  const r = Router();
  r.get('/admin/calendar-days', ...guard(EVERYONE), validate({ query: calendarDayListQuery }), async (req, res) => {
    res.json(await listCalendarDays(req.query as CalendarDayQuery));
  });
  // before /:date, which would refuse the word as a date
  r.get('/admin/calendar-days/national', ...guard(EVERYONE), validate({ query: nationalDaysQuery }), async (req, res) => {
    res.json(await nationalCalendarDays(Number(req.query['year'])));
  });
  r.post('/admin/calendar-days', ...guard(WRITERS), validate({ body: calendarDayCreateBody }), async (req, res) => {
    res.status(201).json(await createCalendarDay(registryActor(req), req.body));
  });
  r.get('/admin/calendar-days/:date', ...guard(EVERYONE), validate({ params: calendarDayParams }), async (req, res) => {
    res.json(await getCalendarDay(String(req.params['date'])));
  });
  r.patch('/admin/calendar-days/:date', ...guard(WRITERS), validate({ params: calendarDayParams, body: calendarDayPatchBody }), async (req, res) => {
    res.json(await updateCalendarDay(registryActor(req), String(req.params['date']), req.body));
  });
  r.delete('/admin/calendar-days/:date', ...guard(WRITERS), validate({ params: calendarDayParams }), async (req, res) => {
    await deleteCalendarDay(registryActor(req), String(req.params['date']));
    res.status(204).end();
  });
  return r;
}
