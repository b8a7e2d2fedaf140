import { type Category, type RoutingRule } from '../../db/vocabulary.js';
import { appSql } from '../../db/sql/current.js';
import { eventTypeRecord, type EventTypeRecord } from './event-type-record.js';
import { requireEventType, updateEventType } from './event-types.js';
import type { RegistryActor } from './audited-change.js';
import { pageWindow, textFilter, type PageQuery, type Paged } from './paging.js';

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

async function views(types: EventTypeRecord[]): Promise<RoutingRuleView[]> {
  const ids = [...new Set(types.map((t) => t.ownerUnitId))];
  const units = new Map(
    (ids.length ? await appSql().selectFrom('units').select(['id', 'code', 'name']).where('id', 'in', ids).execute() : []).map((u) => [u.id, u]),
  );
  return types.map((t) => ({
    id: t.id,
    eventTypeCode: t.code,
    eventTypeName: t.name,
    kind: t.kind,
    category: t.category,
    routingRule: t.routingRule,
    ownerUnitId: t.ownerUnitId,
    ownerUnitCode: units.get(t.ownerUnitId)?.code ?? null,
    ownerUnitName: units.get(t.ownerUnitId)?.name ?? null,
    enabled: t.active !== false,
    updatedAt: t.updatedAt.toISOString(),
  }));
}

export async function listRoutingRules(query: RoutingRuleQuery): Promise<Paged<RoutingRuleView>> {
  const { page, pageSize, limit, offset } = pageWindow(query);
  let ownerUnitId: number | undefined;
  if (query.ownerUnitCode !== undefined)
    ownerUnitId = (await appSql().selectFrom('units').select('id').where('code', '=', query.ownerUnitCode).executeTakeFirst())?.id ?? -1;
  const text = textFilter(query.q, ['code', 'name']);
  const matching = appSql()
    .selectFrom('event_types')
    .$if(!!text, (b) => b.where(text!))
    .$if(!!query.routingRule, (b) => b.where('routingRule', '=', query.routingRule!))
    .$if(ownerUnitId !== undefined, (b) => b.where('ownerUnitId', '=', ownerUnitId!));
  const [counted, rows] = await Promise.all([
    matching.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    matching.selectAll().orderBy('code', 'asc').limit(limit).offset(offset).execute(),
  ]);
  return { items: await views(rows.map(eventTypeRecord)), total: Number(counted.n), page, pageSize };
}

export async function getRoutingRule(key: string): Promise<RoutingRuleView> {
  return (await views([await requireEventType(key)]))[0]!;
}

/** Changes the rule or owner of one event type, audited as `admin.routing_rule.update`; same checks as the event type. */
export async function updateRoutingRule(actor: RegistryActor, key: string, input: RoutingRuleInput): Promise<RoutingRuleView> {
  const updated = await updateEventType(actor, key, input, 'routing_rule');
  return getRoutingRule(String(updated.id));
}
