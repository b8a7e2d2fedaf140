import { Router } from 'express';
import { CATEGORIES } from '../../../db/vocabulary.js';
import { createEventType, deleteEventType, getEventType, listEventTypes, updateEventType, type EventTypeQuery } from '../../../domain/admin/event-types.js';
import {
  createGovernanceItem,
  deleteGovernanceItem,
  getGovernanceItem,
  listGovernanceItems,
  updateGovernanceItem,
  type GovernanceItemQuery,
} from '../../../domain/admin/governance-items.js';
import { getRoutingRule, listRoutingRules, updateRoutingRule, type RoutingRuleQuery } from '../../../domain/admin/routing-rules.js';
import { HttpError } from '../../http/errors.js';
import { text, validate } from '../../http/validate.js';
import { EVERYONE, WRITERS, codeSchema, guard, keyParams, listQuery, nullable, pageOf, patchOf, registryActor } from './registry-http.js';

/** The importer's duration cell (`30m`, `4h`, `0.5d`); the column check parses it. */
const duration = { type: 'string', minLength: 2, maxLength: 16 };
const category = { enum: [...CATEGORIES] };
const routingRule = { enum: ['属地', '属主'] };

export const eventTypeCreateBody = {
  type: 'object',
  additionalProperties: false,
  required: [
    'code',
    'name',
    'kind',
    'major',
    'category',
    'filingCondition',
    'closingCondition',
    'routingRule',
    'ownerUnitCode',
    'clock',
    'acceptLimit',
    'dispatchLimit',
    'handleLimit',
    'verifyLimit',
    'emergency',
  ],
  properties: {
    code: codeSchema,
    name: text(64),
    kind: { enum: ['部件', '事件'] },
    major: text(64),
    category,
    filingCondition: text(2000),
    closingCondition: text(2000),
    routingRule,
    ownerUnitCode: codeSchema,
    clock: { enum: ['working', 'natural'] },
    acceptLimit: duration,
    dispatchLimit: duration,
    handleLimit: duration,
    verifyLimit: duration,
    extraStages: nullable({
      type: 'array',
      maxItems: 10,
      items: { type: 'object', additionalProperties: false, required: ['name', 'limit'], properties: { name: text(32), limit: duration } },
    }),
    emergency: { type: 'boolean' },
    keywords: nullable({ type: 'array', maxItems: 100, items: text(32) }),
    enabled: { type: 'boolean' },
  },
};
export const eventTypePatchBody = patchOf(eventTypeCreateBody, ['code']);
export const eventTypeListQuery = listQuery({ category, kind: { enum: ['部件', '事件'] }, enabled: { type: 'boolean' } });
export const eventTypeSchema = {
  type: 'object',
  properties: {
    ...eventTypeCreateBody.properties,
    id: { type: 'integer' },
    ownerUnitId: { type: 'integer' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
};
export const eventTypePage = pageOf(eventTypeSchema);

export const governanceItemCreateBody = {
  type: 'object',
  additionalProperties: false,
  required: ['code', 'name', 'category', 'responsibleUnitCode'],
  properties: {
    code: codeSchema,
    name: text(200),
    category,
    eventTypeCode: nullable(codeSchema),
    responsibleUnitCode: codeSchema,
    assistingUnitCodes: nullable({ type: 'array', maxItems: 50, items: codeSchema }),
    basis: nullable(text(2000)),
  },
};
export const governanceItemPatchBody = patchOf(governanceItemCreateBody, ['code']);
export const governanceItemListQuery = listQuery({ category, eventTypeCode: codeSchema });
export const governanceItemSchema = {
  type: 'object',
  properties: {
    ...governanceItemCreateBody.properties,
    id: { type: 'integer' },
    eventTypeId: { type: ['integer', 'null'] },
    responsibleUnitId: { type: 'integer' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
};
export const governanceItemPage = pageOf(governanceItemSchema);

export const routingRulePatchBody = { type: 'object', additionalProperties: false, minProperties: 1, properties: { routingRule, ownerUnitCode: codeSchema } };
export const routingRuleListQuery = listQuery({ routingRule, ownerUnitCode: codeSchema });
export const routingRuleSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    eventTypeCode: { type: 'string' },
    eventTypeName: { type: 'string' },
    kind: { type: 'string' },
    category: { type: 'string' },
    routingRule: { type: 'string' },
    ownerUnitId: { type: 'integer' },
    ownerUnitCode: { type: 'string' },
    ownerUnitName: { type: 'string' },
    enabled: { type: 'boolean' },
    updatedAt: { type: 'string' },
  },
};
export const routingRulePage = pageOf(routingRuleSchema);

/**
 * The catalogue: /admin/event-types (小类 with stage limits), /admin/governance-items (基层治理事项),
 * /admin/routing-rules (each event type's 属地/属主 rule and owner unit, which domain/routing applies).
 */
export function catalogueRoutes(): Router {
  const r = Router();
  r.get('/admin/event-types', ...guard(EVERYONE), validate({ query: eventTypeListQuery }), async (req, res) => {
    res.json(await listEventTypes(req.query as EventTypeQuery));
  });
  r.post('/admin/event-types', ...guard(WRITERS), validate({ body: eventTypeCreateBody }), async (req, res) => {
    res.status(201).json(await createEventType(registryActor(req), req.body));
  });
  r.get('/admin/event-types/:id', ...guard(EVERYONE), validate({ params: keyParams }), async (req, res) => {
    res.json(await getEventType(String(req.params['id'])));
  });
  r.patch('/admin/event-types/:id', ...guard(WRITERS), validate({ params: keyParams, body: eventTypePatchBody }), async (req, res) => {
    res.json(await updateEventType(registryActor(req), String(req.params['id']), req.body));
  });
  r.delete('/admin/event-types/:id', ...guard(WRITERS), validate({ params: keyParams }), async (req, res) => {
    await deleteEventType(registryActor(req), String(req.params['id']));
    res.status(204).end();
  });

  r.get('/admin/governance-items', ...guard(EVERYONE), validate({ query: governanceItemListQuery }), async (req, res) => {
    res.json(await listGovernanceItems(req.query as GovernanceItemQuery));
  });
  r.post('/admin/governance-items', ...guard(WRITERS), validate({ body: governanceItemCreateBody }), async (req, res) => {
    res.status(201).json(await createGovernanceItem(registryActor(req), req.body));
  });
  r.get('/admin/governance-items/:id', ...guard(EVERYONE), validate({ params: keyParams }), async (req, res) => {
    res.json(await getGovernanceItem(String(req.params['id'])));
  });
  r.patch('/admin/governance-items/:id', ...guard(WRITERS), validate({ params: keyParams, body: governanceItemPatchBody }), async (req, res) => {
    res.json(await updateGovernanceItem(registryActor(req), String(req.params['id']), req.body));
  });
  r.delete('/admin/governance-items/:id', ...guard(WRITERS), validate({ params: keyParams }), async (req, res) => {
    await deleteGovernanceItem(registryActor(req), String(req.params['id']));
    res.status(204).end();
  });

  r.get('/admin/routing-rules', ...guard(EVERYONE), validate({ query: routingRuleListQuery }), async (req, res) => {
    res.json(await listRoutingRules(req.query as RoutingRuleQuery));
  });
  r.get('/admin/routing-rules/:id', ...guard(EVERYONE), validate({ params: keyParams }), async (req, res) => {
    res.json(await getRoutingRule(String(req.params['id'])));
  });
  r.patch('/admin/routing-rules/:id', ...guard(WRITERS), validate({ params: keyParams, body: routingRulePatchBody }), async (req, res) => {
    res.json(await updateRoutingRule(registryActor(req), String(req.params['id']), req.body));
  });
  // a rule lives and dies with its event type: create or delete the type instead
  const withType = (allow: string) => (_req: unknown, res: { setHeader(k: string, v: string): void }) => {
    res.setHeader('Allow', allow);
    throw new HttpError(405, 'method_not_allowed', undefined, {
      errors: [{ path: '/', message: 'a routing rule is created and deleted with its event type (/admin/event-types)' }],
    });
  };
  r.post('/admin/routing-rules', ...guard(WRITERS), validate({}), withType('GET'));
  r.delete('/admin/routing-rules/:id', ...guard(WRITERS), validate({ params: keyParams }), withType('GET, PATCH'));
  return r;
}
