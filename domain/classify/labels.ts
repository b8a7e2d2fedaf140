/**
 * Labels of reports that are not cases: the hotline answers them directly (咨询/直办 path),
 * nothing is dispatched. They sit beside the event-type codes in the corpus and the model.
 */
export const NOT_DISPATCHABLE = {
  'NONE-CONSULT': '咨询',
  'NONE-PRAISE': '表扬感谢',
  'NONE-VAGUE': '信息不全',
  'NONE-SPAM': '无效骚扰',
} as const;
export type NotDispatchableLabel = keyof typeof NOT_DISPATCHABLE;

export function isNotDispatchable(label: string): label is NotDispatchableLabel {
  return Object.hasOwn(NOT_DISPATCHABLE, label);
}

/**
 * The label an operator's 不予立案 teaches, read from the reason they gave; null when the reason says
 * nothing about the report's content (重复 — a duplicate of a real case — or out of the district).
 */
export function labelOfRejection(reason: string | null | undefined): NotDispatchableLabel | null {
  const r = reason ?? '';
  if (/重复|并单|已办结/.test(r)) return null;
  if (/咨询|询问|政策|怎么办|如何办/.test(r)) return 'NONE-CONSULT';
  if (/表扬|感谢|满意|点赞/.test(r)) return 'NONE-PRAISE';
  if (/骚扰|广告|诈骗|测试|无效|推销|辱骂/.test(r)) return 'NONE-SPAM';
  return 'NONE-VAGUE';
}
