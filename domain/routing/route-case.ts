import { appSql } from '../../db/sql/current.js';
import type { EventTypeRecord, UnitRecord } from '../cases/case-records.js';
import type { CaseView } from '../cases/case-view.js';
import { assignmentOf } from '../intake/assign-case.js';

export interface RouteDecision {
  unitId: number | null;
  unitCode: string | null;
  unitName: string | null;
  /** false: a fallback was used or nothing fit — a person should look at it in 派遣 */
  routeSure: boolean;
  routeReason: string;
  /**
   * Which rule chose the unit: `territory` (属地: the grid's township), `owner` (属主: the department that owns
   * the type), `assigned` (a leader's 交办 named it), `none`. The processes send `territory` to the centre's
   * 派遣 even when sure: the township may hand it to a community or a department (docs/domain.md).
   */
  routeBasis: RouteBasis;
}

export type RouteBasis = 'territory' | 'owner' | 'assigned' | 'none';

/** What routing looks at: the event type's rule and owner, and where the case is. */
export interface RouteInput {
  eventType: Pick<EventTypeRecord, 'code' | 'name' | 'kind' | 'routingRule'> | null;
  owner: Candidate | null;
  township: Candidate | null;
}

type Candidate = Pick<UnitRecord, 'id' | 'code' | 'name' | 'active'>;
const usable = (u: Candidate | null): u is Candidate => !!u && u.active !== false;
const pick = (u: Candidate, routeSure: boolean, routeReason: string, routeBasis: RouteBasis): RouteDecision => ({
  unitId: u.id,
  unitCode: u.code,
  unitName: u.name,
  routeSure,
  routeReason,
  routeBasis,
});
const candidate = async (id: number): Promise<Candidate | null> =>
  (await appSql().selectFrom('units').select(['id', 'code', 'name', 'active']).where('id', '=', id).executeTakeFirst()) ?? null;
const nowhere = (routeReason: string): RouteDecision => ({ unitId: null, unitCode: null, unitName: null, routeSure: false, routeReason, routeBasis: 'none' });

/**
 * 事件先属地后属主, 部件先属主后属地 — by the event type's `routing_rule` (which the catalogue sets
 * per 小类, so an 事件 like 机动车乱停放 can still be 属主): 属地 → the township of the case's grid,
 * else the owner department; 属主 → the owner department, else the township. Using the second
 * choice, or finding neither, makes the route unsure so the centre dispatches by hand.
 */
export function decideRoute(input: RouteInput): RouteDecision {
  const { eventType, owner, township } = input;
  if (!eventType) {
    return usable(township)
      ? pick(township, false, `事件类型未定，暂按属地建议派往${township.name}`, 'territory')
      : nowhere('事件类型与位置均未知，需人工派遣');
  }
  const what = `${eventType.kind}「${eventType.name}」`;
  if (eventType.routingRule === '属地') {
    if (usable(township)) return pick(township, true, `${what}先属地：派往所在网格的${township.name}`, 'territory');
    if (usable(owner)) return pick(owner, false, `${what}先属地，但位置或网格未知：改按属主派往${owner.name}`, 'owner');
  } else {
    if (usable(owner)) return pick(owner, true, `${what}先属主：派往主管单位${owner.name}`, 'owner');
    if (usable(township)) return pick(township, false, `${what}先属主，但主管单位缺失或停用：改按属地派往${township.name}`, 'territory');
  }
  return nowhere(`${what}既无可用主管单位也无所属乡镇街道，需人工派遣`);
}

/**
 * Routes a loaded case (see getCaseView), looking up the owner unit of its event type. A leader's 交办
 * names its unit: that unit, sure, whatever the catalogue's rule says (a unit switched off since goes by the rule).
 */
export async function routeCase(view: CaseView): Promise<RouteDecision> {
  const assigned = await assignmentOf(view.case.id);
  if (assigned) {
    const unit = await candidate(assigned.unitId);
    if (usable(unit)) return pick(unit, true, `领导交办：派往指定单位${unit.name}`, 'assigned');
  }
  const owner = view.eventType ? await candidate(view.eventType.ownerUnitId) : null;
  return decideRoute({ eventType: view.eventType, owner, township: view.township });
}
