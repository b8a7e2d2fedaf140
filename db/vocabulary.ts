/**
 * The value sets the schema's columns hold (the closed vocabularies of cases, units, users, the catalogue...).
 * They live apart from any data-access code so that the domain, the API and the pages can name them
 * without importing a database layer.
 */

export const CHANNELS = ['hotline', 'photo', 'ai_camera', 'grid_worker', 'leader', 'open311'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Case lifecycle states (GB/T 30428 loop plus the exception flows). */
export const CASE_STATUSES = [
  'reported', // 上报, waiting for 受理/立案
  'accepted', // 立案, waiting for 派遣
  'rejected', // 不予立案
  'dispatched', // 派遣, waiting for the unit
  'handling', // 处置中
  'returned', // 退单 pending the centre's decision
  'verifying', // 核查
  'closed', // 结案
  'shelved', // 挂账
  'merged', // 并单 into another case
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export type WarningLight = 'green' | 'yellow' | 'red';

export const CATEGORIES = ['市容环境', '生态环境', '矛盾纠纷', '应急指挥', '住房建设', '食品安全', '其他'] as const;
export type Category = (typeof CATEGORIES)[number];
export type RoutingRule = '属地' | '属主';
export type Clock = 'working' | 'natural';

/** An extra handling stage after the first, e.g. 违法建设: 停工 → 处罚 → 拆除. */
export interface ExtraStage {
  name: string;
  limit: string;
}

export const UNIT_KINDS = ['centre', 'department', 'township', 'community', 'enterprise'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export const ROLES = ['admin', 'operator', 'dept_staff', 'dept_leader', 'grid_worker', 'leader', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export type AttachmentKind = 'photo' | 'photo_before' | 'photo_after' | 'snapshot' | 'document';
export type CameraEventOutcome = 'created' | 'merged';
export type InboxTaskState = 'created' | 'completed' | 'cancelled';
export type OutboxStatus = 'pending' | 'sent' | 'failed';
export type EvaluationScope = 'case' | 'unit' | 'township' | 'category';
export type EvaluationMetrics = Record<string, number | string | null>;
/** A closed ring of [lng, lat] points, first = last. */
export type Polygon = Array<[number, number]>;

export const EXAMPLE_SOURCES = ['corpus', 'admin', 'operator'] as const;
export const EXAMPLE_CHANNELS = ['hotline', 'wechat', 'grid', 'other'] as const;
