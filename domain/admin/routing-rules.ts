import { EventType, Unit } from '../../db/models/index.js';
import type { Category, RoutingRule } from '../../db/models/catalogue.js';
import { requireEventType, updateEventType } from './event-types.js';
import type { RegistryActor } from './audited-change.js';
import { allOf, pageWindow, textFilter, type PageQuery, type Paged } from './paging.js';

/**
 * Routing (domain/routing) reads two columns of each event type: `routing_rule` (属地: the township
 * of the case's grid first; 属主: the owner department first) and `owner_unit_id`. A routing rule
 * is that pair, one per event type: it exists with its type and goes with it, so the rules are
 * listed and changed here, and created or deleted with the event types.
 */
export interface RoutingRuleView {
  id: number;
  eventTypeCode: string;
  eventTypeName: string;
  kind: '部件' | '事件';
  category: Category;
  routingRule: RoutingRule;
  ownerUnitId: number;
  ownerUnitCode: string | null;
  ownerUnitName: string | null;
  enabled: boolean;
  updatedAt: string;
}

export interface RoutingRuleInput {
  routingRule?: RoutingRule;
  ownerUnitCode?: string;
}

export interface RoutingRuleQuery extends PageQuery {
  routingRule?: RoutingRule;
  ownerUnitCode?: string;
}

async function views(types: EventType[]): Promise<RoutingRuleView[]> {
  const ids = [...new Set(types.map((t) => t.ownerUnitId))];
  const units = new Map((ids.length ? await Unit.findAll({ where: { id: ids }, attributes: ['id', 'code', 'name'] }) : []).map((u) => [u.id, u]));
  return types.map((t) => ({
    id: t.id, eventTypeCode: t.code, eventTypeName: t.name, kind: t.kind, category: t.category, routingRule: t.routingRule,
    ownerUnitId: t.ownerUnitId, ownerUnitCode: units.get(t.ownerUnitId)?.code ?? null, ownerUnitName: units.get(t.ownerUnitId)?.name ?? null,
    enabled: t.active !== false, updatedAt: t.updatedAt.toISOString(),
  }));
}

export async function listRoutingRules(query: RoutingRuleQuery): Promise<Paged<RoutingRuleView>> {
  const { page, pageSize, limit, offset } = pageWindow(query);
  let ownerFilter = null;
  if (query.ownerUnitCode !== undefined) ownerFilter = { ownerUnitId: (await Unit.findOne({ where: { code: query.ownerUnitCode } }))?.id ?? -1 };
  const where = allOf(textFilter(query.q, ['code', 'name']), query.routingRule ? { routingRule: query.routingRule } : null, ownerFilter);
  const { rows, count } = await EventType.findAndCountAll({ where, order: [['code', 'ASC']], limit, offset });
  return { items: await views(rows), total: count, page, pageSize };
}

export async function getRoutingRule(key: string): Promise<RoutingRuleView> {
  return (await views([await requireEventType(key)]))[0]!;
}

/** Changes the rule or owner of one event type, audited as `admin.routing_rule.update`; same checks as the event type. */
export async function updateRoutingRule(actor: RegistryActor, key: string, input: RoutingRuleInput): Promise<RoutingRuleView> {
  const updated = await updateEventType(actor, key, input, 'routing_rule');
  return getRoutingRule(String(updated.id));
}
