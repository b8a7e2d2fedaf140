import { type Category } from '../../db/vocabulary.js';

/** The process (processes/<id>.bpmn) of each case category; 其他 and unknown categories run the generic loop. */
export const PROCESS_FOR_CATEGORY: Readonly<Record<Category, string>> = {
  市容环境: 'case-city-appearance',
  生态环境: 'case-ecology',
  矛盾纠纷: 'case-dispute',
  应急指挥: 'case-emergency',
  住房建设: 'case-illegal-building',
  食品安全: 'case-food-safety',
  其他: 'case-generic',
};

export const FALLBACK_PROCESS_ID = 'case-generic';

/** The extra stages `case-illegal-building` times, by name (its `extraStage` headers). */
export const ILLEGAL_BUILDING_STAGES = ['停工', '处罚', '拆除'] as const;

/** The extra stages (`extra_stages` names) a category process times; a type lacking one runs the generic loop. */
export const REQUIRED_EXTRA_STAGES: Readonly<Record<string, readonly string[]>> = {
  'case-illegal-building': ILLEGAL_BUILDING_STAGES,
  'case-dispute': ['首次调解', '再次调解'],
};

/**
 * The process id to start for a case of `category` (null while the report is unclassified).
 * A process that times extra stages (`REQUIRED_EXTRA_STAGES`) runs only for event types that have
 * them: given the type's stage names (`extraStages`), 住房建设 runs 违法建设 only with 停工, 处罚 and
 * 拆除 (施工占道 and 危房 have none, 乱占耕地建房 has 复耕), 矛盾纠纷 runs the mediation process only
 * with 首次调解 and 再次调解 (劳资, 消费纠纷 have none); the others run the generic loop.
 */
export function processIdForCategory(category: string | null | undefined, opts: { extraStages?: readonly string[] | null } = {}): string {
  if (!category || !Object.prototype.hasOwnProperty.call(PROCESS_FOR_CATEGORY, category)) return FALLBACK_PROCESS_ID;
  const processId = PROCESS_FOR_CATEGORY[category as Category];
  const required = REQUIRED_EXTRA_STAGES[processId];
  if (required) {
    if (opts.extraStages !== undefined && !required.every((s) => opts.extraStages?.includes(s))) return FALLBACK_PROCESS_ID;
  }
  return processId;
}
