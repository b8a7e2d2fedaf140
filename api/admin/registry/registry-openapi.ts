import type { Schema } from '../../http/validate.js';
import {
  calendarDayCreateBody,
  calendarDayListQuery,
  calendarDayPage,
  calendarDayParams,
  calendarDayPatchBody,
  calendarDaySchema,
  nationalDaysQuery,
  nationalDaysSchema,
} from './calendar-routes.js';
import {
  eventTypeCreateBody,
  eventTypeListQuery,
  eventTypePage,
  eventTypePatchBody,
  eventTypeSchema,
  governanceItemCreateBody,
  governanceItemListQuery,
  governanceItemPage,
  governanceItemPatchBody,
  governanceItemSchema,
  routingRuleListQuery,
  routingRulePage,
  routingRulePatchBody,
  routingRuleSchema,
} from './catalogue-routes.js';
import { gridCreateBody, gridListQuery, gridPage, gridPatchBody, gridSchema } from './grid-routes.js';
import { keyParams } from './registry-http.js';
import { unitCreateBody, unitListQuery, unitPage, unitPatchBody, unitSchema } from './unit-routes.js';
import { createdUserSchema, passwordSchema, userCreateBody, userListQuery, userPage, userPatchBody, userSchema } from './user-routes.js';

const errorRef = { $ref: '#/components/schemas/Error' };
const err = (description: string) => ({ description, content: { 'application/json': { schema: errorRef } } });
const json = (schema: Schema, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
const body = (schema: Schema) => ({ required: true, content: { 'application/json': { schema } } });
const params = (schema: { properties: Record<string, Schema> }, where: 'path' | 'query') =>
  Object.entries(schema.properties).map(([name, s]) => ({ name, in: where, required: where === 'path', schema: s }));
const security = [{ bearer: [] }];
const refused = { '401': err('no or bad bearer token'), '403': err('role not allowed') };
const badInput = {
  '400': err('invalid input (as the CSV importer would refuse it) or unknown_reference'),
  '413': err('body too large'),
  '415': err('not JSON'),
};

interface Resource {
  path: string;
  what: string;
  readers: string;
  item: Schema;
  page: Schema;
  list: { properties: Record<string, Schema> };
  create?: Schema;
  createdBody?: Schema;
  patch: Schema;
  key: { properties: Record<string, Schema> };
  keyName: string;
  deletable: boolean;
}

function crud(r: Resource): Record<string, unknown> {
  const one = `${r.path}/{${r.keyName}}`;
  return {
    [r.path]: {
      get: {
        summary: `list ${r.what} (?q, paging) — ${r.readers}`,
        security,
        parameters: params(r.list, 'query'),
        responses: { '200': json(r.page), '400': err('bad filter'), ...refused },
      },
      ...(r.create
        ? {
            post: {
              summary: `create ${r.what} — admin; audited`,
              security,
              requestBody: body(r.create),
              responses: { '201': json(r.createdBody ?? r.item, 'created'), ...badInput, ...refused, '409': err('duplicate: the code is taken') },
            },
          }
        : {}),
    },
    [one]: {
      get: {
        summary: `one of the ${r.what} by id or code — ${r.readers}`,
        security,
        parameters: params(r.key, 'path'),
        responses: { '200': json(r.item), ...refused, '404': err('not found') },
      },
      patch: {
        summary: `change ${r.what} — admin; audited with before/after`,
        security,
        parameters: params(r.key, 'path'),
        requestBody: body(r.patch),
        responses: {
          '200': json(r.item),
          ...badInput,
          ...refused,
          '404': err('not found'),
          '409': err('in_use (a change that others rely on) or self_lockout'),
        },
      },
      ...(r.deletable
        ? {
            delete: {
              summary: `delete ${r.what} — admin; audited; refused while referenced`,
              security,
              parameters: params(r.key, 'path'),
              responses: {
                '204': { description: 'deleted' },
                ...refused,
                '404': err('not found'),
                '409': err('in_use: referenced; use enabled:false where offered'),
              },
            },
          }
        : {}),
    },
  };
}

const everyone = 'every signed-in role';

/** The OpenAPI paths of registry administration, from the schemas ajv checks. */
export function registryApiPaths(): Record<string, unknown> {
  return {
    ...crud({
      path: '/admin/units',
      what: 'member units',
      readers: everyone,
      item: unitSchema,
      page: unitPage,
      list: unitListQuery as never,
      create: unitCreateBody,
      patch: unitPatchBody,
      key: keyParams,
      keyName: 'id',
      deletable: true,
    }),
    ...crud({
      path: '/admin/grids',
      what: 'grids',
      readers: everyone,
      item: gridSchema,
      page: gridPage,
      list: gridListQuery as never,
      create: gridCreateBody,
      patch: gridPatchBody,
      key: keyParams,
      keyName: 'id',
      deletable: true,
    }),
    ...crud({
      path: '/admin/users',
      what: 'user accounts (never a password hash; without a password one is generated and returned once)',
      readers: 'admin, auditor',
      item: userSchema,
      page: userPage,
      list: userListQuery as never,
      create: userCreateBody,
      createdBody: createdUserSchema,
      patch: userPatchBody,
      key: keyParams,
      keyName: 'id',
      deletable: true,
    }),
    '/admin/users/{id}/reset-password': {
      post: {
        summary: "a new generated password, returned once; ends the user's sessions — admin; audited",
        security,
        parameters: params(keyParams, 'path'),
        responses: { '200': json(passwordSchema), ...refused, '404': err('not found') },
      },
    },
    ...crud({
      path: '/admin/event-types',
      what: 'event types (小类) with stage limits',
      readers: everyone,
      item: eventTypeSchema,
      page: eventTypePage,
      list: eventTypeListQuery as never,
      create: eventTypeCreateBody,
      patch: eventTypePatchBody,
      key: keyParams,
      keyName: 'id',
      deletable: true,
    }),
    ...crud({
      path: '/admin/governance-items',
      what: 'governance items (基层治理事项)',
      readers: everyone,
      item: governanceItemSchema,
      page: governanceItemPage,
      list: governanceItemListQuery as never,
      create: governanceItemCreateBody,
      patch: governanceItemPatchBody,
      key: keyParams,
      keyName: 'id',
      deletable: true,
    }),
    ...crud({
      path: '/admin/routing-rules',
      what: "routing rules (each event type's 属地/属主 rule and owner unit; created and deleted with the event type, POST/DELETE answer 405)",
      readers: everyone,
      item: routingRuleSchema,
      page: routingRulePage,
      list: routingRuleListQuery as never,
      patch: routingRulePatchBody,
      key: keyParams,
      keyName: 'id',
      deletable: false,
    }),
    ...crud({
      path: '/admin/calendar-days',
      what: 'calendar overrides (declared days off and working days; new deadlines use them at once)',
      readers: everyone,
      item: calendarDaySchema,
      page: calendarDayPage,
      list: calendarDayListQuery as never,
      create: calendarDayCreateBody,
      patch: calendarDayPatchBody,
      key: calendarDayParams,
      keyName: 'date',
      deletable: true,
    }),
    '/admin/calendar-days/national': {
      get: {
        summary: `the national holidays and 调休 working days of a year, each with the local override of that date — ${everyone}`,
        security,
        parameters: params(nationalDaysQuery, 'query').map((p) => ({ ...p, required: true })),
        responses: { '200': json(nationalDaysSchema), '400': err('bad year'), ...refused },
      },
    },
  };
}
