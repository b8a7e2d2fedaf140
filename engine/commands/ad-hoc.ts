import { EngineError } from '../errors.js';
import { activateAdHocElements, type ActivateElement } from '../behaviours/ad-hoc-sub-process.js';
import { checkVariables, type CommandContext } from './context.js';

/** Activates inner elements of an active ad-hoc sub-process instance (Camunda 8.8's "activate ad-hoc sub-process activities"). */
export async function activateAdHocSubProcessActivities(ctx: CommandContext, adHocSubProcessInstanceKey: string, elements: ActivateElement[]): Promise<void> {
  if (!Array.isArray(elements) || !elements.length) throw new EngineError('INVALID_ARGUMENT', 'name at least one element to activate');
  for (const e of elements) checkVariables(e?.variables);
  await ctx.command(async (run) => {
    const el = await run.element(adHocSubProcessInstanceKey);
    if (!el || el.type !== 'adHocSubProcess')
      throw new EngineError('NOT_FOUND', `no active ad-hoc sub-process instance with key ${adHocSubProcessInstanceKey}`);
    if (el.state !== 'ACTIVE') throw new EngineError('INVALID_STATE', `ad-hoc sub-process instance ${adHocSubProcessInstanceKey} is not active`);
    await activateAdHocElements(run, el, await run.nodeOf(el), elements);
  });
}
