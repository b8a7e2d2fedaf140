/** Routing (派单): 事件先属地后属主, 部件先属主后属地. */
export { decideRoute, routeCase, type RouteBasis, type RouteDecision, type RouteInput } from './route-case.js';
